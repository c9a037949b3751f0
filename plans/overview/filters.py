"""The overview's filters: the GET parameters parsed into the filters in force, the
choices of the filter form, and the canonical query string of a set of filters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees.models import Committee
from plans.forms.fields import MonthField
from plans.models import NO_STATUS, BudgetPlan, Colour, Item, Kind
from plans.months import current_month, month_key

# Query-string keys of the overview, in the order a canonical query string lists them.
FILTER_KEYS = ("committee", "kind", "colour", "cross", "state", "responsible", "q", "as_of", "sort")

NOT_REPORTED = "missing"
COLOUR_FILTER_CHOICES = [
    ("", gettext_lazy("Alle farver")),
    *Colour.choices,
    (NO_STATUS, gettext_lazy("Ingen status")),
    (NOT_REPORTED, gettext_lazy("Ikke rapporteret i måneden")),
]
STATE_CHOICES = [
    ("", gettext_lazy("Åbne og afsluttede")),
    ("open", gettext_lazy("Kun åbne")),
    ("completed", gettext_lazy("Kun afsluttede (X)")),
]
KIND_CHOICES = [("", gettext_lazy("Alle typer")), *Kind.choices]

# Sortable columns: key -> label. The direction is a leading "-".
SORT_COLUMNS = {
    "number": gettext_lazy("Nr."),
    "title": gettext_lazy("Emne"),
    "committee": gettext_lazy("Udvalg"),
    "timing": gettext_lazy("Tidspunkt"),
    "completed": gettext_lazy("Afsluttet"),
    "status": gettext_lazy("Status"),
    "report": gettext_lazy("Seneste rapport"),
}
SORT_CHOICES = [
    ("", gettext_lazy("Planens rækkefølge")),
    *[
        choice
        for key, label in SORT_COLUMNS.items()
        for choice in ((key, f"{label} ↑"), (f"-{key}", f"{label} ↓"))
    ],
]

MAX_TEXT = 200
MAX_DB_ID = 2**63 - 1


class OverviewFilterForm(forms.Form):
    """Parses the overview's GET parameters. A field that does not validate is dropped
    (the filter is ignored) and its Danish message shown above the table."""

    committee = forms.CharField(required=False, max_length=MAX_TEXT)
    kind = forms.ChoiceField(
        required=False,
        choices=KIND_CHOICES,
        error_messages={"invalid_choice": gettext_lazy("«%(value)s» er ikke en gyldig type.")},
    )
    colour = forms.ChoiceField(
        required=False,
        choices=COLOUR_FILTER_CHOICES,
        error_messages={"invalid_choice": gettext_lazy("«%(value)s» er ikke en gyldig farve.")},
    )
    cross = forms.BooleanField(required=False)
    state = forms.ChoiceField(
        required=False,
        choices=STATE_CHOICES,
        error_messages={
            "invalid_choice": gettext_lazy(
                "«%(value)s» er ikke et gyldigt valg af åbne/afsluttede."
            )
        },
    )
    responsible = forms.CharField(required=False, max_length=MAX_TEXT)
    q = forms.CharField(
        required=False,
        max_length=MAX_TEXT,
        error_messages={
            "max_length": gettext_lazy("Søgeteksten er for lang (højst %(limit_value)d tegn).")
        },
    )
    as_of = MonthField(required=False, listed=False, max_length=20)
    sort = forms.ChoiceField(
        required=False,
        choices=SORT_CHOICES,
        error_messages={"invalid_choice": gettext_lazy("«%(value)s» er ikke en gyldig sortering.")},
    )

    def __init__(self, data: Any, *, committees: Sequence[Committee]) -> None:
        super().__init__(data)
        self.committees = committees

    def clean_committee(self) -> Committee | None:
        code = self.cleaned_data["committee"]
        if not code:
            return None
        wanted = " ".join(code.split()).casefold()
        for committee in self.committees:
            if wanted in (committee.code.casefold(), committee.name.casefold()):
                return committee
        raise forms.ValidationError(_("Udvalget «%(code)s» findes ikke.") % {"code": code})

    def clean_responsible(self) -> str:
        value = " ".join(self.cleaned_data["responsible"].split())
        if value.isdigit() and int(value) > MAX_DB_ID:
            raise forms.ValidationError(
                _("«%(value)s» er ikke en gyldig ansvarlig.") % {"value": value}
            )
        return value

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())


@dataclass(frozen=True)
class OverviewFilters:
    """The filters in force, after invalid values have been dropped."""

    as_of: date
    as_of_given: bool = False
    committee: Committee | None = None
    kind: str = ""
    colour: str = ""
    cross: bool = False
    state: str = ""
    responsible: str = ""
    q: str = ""
    sort: str = ""

    def params(self, **overrides: Any) -> dict[str, str]:
        values: dict[str, Any] = {
            "committee": self.committee.code if self.committee else "",
            "kind": self.kind,
            "colour": self.colour,
            "cross": "1" if self.cross else "",
            "state": self.state,
            "responsible": self.responsible,
            "q": self.q,
            "as_of": month_key(self.as_of) if self.as_of_given else "",
            "sort": self.sort,
        }
        values.update(overrides)
        return {key: str(values[key]) for key in FILTER_KEYS if values[key]}

    def querystring(self, **overrides: Any) -> str:
        """The canonical query string of these filters (without '?')."""
        return urlencode(self.params(**overrides))

    @property
    def is_filtered(self) -> bool:
        return bool(self.params(sort="", as_of=""))


def parse_filters(
    data: QueryDict, committees: Sequence[Committee]
) -> tuple[OverviewFilters, list[str]]:
    """Read the GET parameters; return the filters in force and one message per
    ignored parameter."""
    form = OverviewFilterForm(data, committees=committees)
    form.is_valid()
    cleaned = form.cleaned_data
    errors = [str(message) for field_errors in form.errors.values() for message in field_errors]
    as_of = cleaned.get("as_of")
    return (
        OverviewFilters(
            as_of=as_of or current_month(),
            as_of_given=as_of is not None,
            committee=cleaned.get("committee"),
            kind=cleaned.get("kind", ""),
            colour=cleaned.get("colour", ""),
            cross=bool(cleaned.get("cross")),
            state=cleaned.get("state", ""),
            responsible=cleaned.get("responsible", ""),
            q=cleaned.get("q", ""),
            sort=cleaned.get("sort", ""),
        ),
        errors,
    )


def back_querystring(raw: str) -> str:
    """Keep only the overview's own parameters of a `back` value: it can only ever lead
    back to the overview of the same plan, never elsewhere."""
    if not raw or len(raw) > 2000:
        return ""
    incoming = QueryDict(raw)
    kept = [(key, incoming[key][:MAX_TEXT]) for key in FILTER_KEYS if incoming.get(key)]
    return urlencode(kept)


def responsible_options(plan: BudgetPlan) -> list[tuple[str, str]]:
    """The people responsible for items of the plan, as (filter value, name); one query."""
    rows = (
        Item.objects.filter(plan=plan)
        .order_by()
        .values_list(
            "responsible_id",
            "responsible__first_name",
            "responsible__last_name",
            "responsible__username",
            "responsible_name",
        )
        .distinct()
    )
    options: dict[str, str] = {}
    for user_id, first, last, username, name in rows:
        if user_id:
            options[str(user_id)] = f"{first} {last}".strip() or username
        elif name:
            options[name] = name
    return sorted(options.items(), key=lambda option: option[1].casefold())


def matches_colour(wanted: str, colour: str, missing: bool) -> bool:
    """The colour filter, applied to a row after the counters have counted it."""
    return (
        not wanted
        or wanted == colour
        or (wanted == NO_STATUS and not colour)
        or (wanted == NOT_REPORTED and missing)
    )

"""The plan overview: parse the filters from the query string and fetch the rows fast.

Pure work apart from the queries: the view hands in the plan and the GET parameters and
gets plain dicts back, with every number and label already formatted, so the template
only prints strings. The whole table costs a constant handful of queries, whatever the
size of the plan: the committees, the responsible people, one `.values()` query for the
items (latest status as of the month and one amount per year as subqueries) and one for
the also-concerned committees.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import F, FilteredRelation, OuterRef, Q, StringAgg, Subquery, Value
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees.models import Committee
from plans.formatting import danish_number
from plans.models import (
    COLOUR_SEVERITY,
    COLOUR_TEXTS,
    KIND_ORDER,
    KIND_SECTION_TITLES,
    BudgetPlan,
    Colour,
    Item,
    ItemAmount,
    Kind,
    latest_report_subquery,
)
from plans.months import current_month, month_key, month_label, parse_month

# Query-string keys of the overview, in the order a canonical query string lists them.
FILTER_KEYS = ("committee", "kind", "colour", "cross", "state", "responsible", "q", "as_of", "sort")

NO_STATUS = "none"
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

COMMENT_PREVIEW_CHARS = 80
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
    as_of = forms.CharField(required=False, max_length=20)
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

    def clean_as_of(self) -> date | None:
        value = self.cleaned_data["as_of"].strip()
        if not value:
            return None
        try:
            return parse_month(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


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


# --- the rows -------------------------------------------------------------------------


@dataclass
class Section:
    kind: str
    title: str
    groups: list[dict[str, Any]]
    totals: list[str]
    count: int


@dataclass
class Overview:
    sections: list[Section]
    years: list[int]
    counts: list[dict[str, Any]]
    shown: int
    total: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def year_labels(self) -> list[str]:
        return [str(year) for year in self.years]


_NUMBER_PARTS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[Any, ...]:
    """'R7' before 'R12': digits compare as numbers."""
    return tuple(
        (1, int(part), "") if part.isdigit() else (0, 0, part.casefold())
        for part in _NUMBER_PARTS.split(text)
        if part
    )


def _sort_key(column: str) -> Any:
    if column == "number":
        return lambda row: natural_key(row["number"])
    if column == "title":
        return lambda row: row["title"].casefold()
    if column == "committee":
        return lambda row: (row["committee_code"].casefold(), natural_key(row["number"]))
    if column == "timing":
        return lambda row: row["timing"].casefold()
    if column == "completed":
        return lambda row: row["completed"]
    if column == "status":
        return lambda row: row["severity"]
    if column == "report":
        return lambda row: row["period_key"]
    raise ValueError(column)


def item_rows_queryset(plan: BudgetPlan, filters: OverviewFilters) -> Any:
    """The one query for the table: every filter except colour (the colour counters
    count the rows before the colour filter, which is applied in Python)."""
    items = Item.objects.filter(plan=plan)
    if filters.committee is not None:
        concerned = Item.also_committees.through.objects.filter(committee=filters.committee).values(
            "item_id"
        )
        # What belongs in the committee's extract (same rule as Item.in_extract_for),
        # written without a join so no DISTINCT is needed.
        items = items.filter(
            Q(committee=filters.committee) | Q(pk__in=concerned) | Q(cross_cutting=True)
        )
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.cross:
        items = items.filter(cross_cutting=True)
    if filters.state == "open":
        items = items.filter(completed=False)
    elif filters.state == "completed":
        items = items.filter(completed=True)
    if filters.responsible:
        if filters.responsible.isdigit():
            items = items.filter(responsible_id=int(filters.responsible))
        else:
            for word in filters.responsible.split():
                items = items.filter(
                    Q(responsible_name__icontains=word)
                    | Q(responsible__first_name__icontains=word)
                    | Q(responsible__last_name__icontains=word)
                    | Q(responsible__username__iexact=word)
                )
    latest = latest_report_subquery(filters.as_of)
    items = items.annotate(
        latest_status_id=Subquery(latest.values("id")[:1]),
        latest=FilteredRelation("reports", condition=Q(reports__id=F("latest_status_id"))),
    )
    if filters.q:
        items = items.filter(
            Q(number__icontains=filters.q)
            | Q(title__icontains=filters.q)
            | Q(latest__comment__icontains=filters.q)
        )
    amount_columns = {
        f"amount_{year}": Subquery(
            ItemAmount.objects.filter(item=OuterRef("pk"), year=year)
            .order_by()
            .values("amount")[:1]
        )
        for year in plan.years
    }
    also_codes = (
        Item.also_committees.through.objects.filter(item_id=OuterRef("pk"))
        .order_by()
        .values("item_id")
        .annotate(
            # No ORDER BY inside the aggregate (SQLite cannot); sorted in Python.
            codes=StringAgg("committee__code", delimiter=Value(","))
        )
        .values("codes")
    )
    return (
        items.annotate(also_codes=Subquery(also_codes), **amount_columns)
        .order_by()
        .values(
            "pk",
            "kind",
            "number",
            "title",
            "order",
            "markers",
            "timing",
            "completed",
            "cross_cutting",
            "committee_id",
            "heading_id",
            "heading__name",
            "heading__order",
            "latest__colour",
            "latest__period",
            "latest__comment",
            "latest__obs",
            "latest__obs_text",
            "also_codes",
            *amount_columns,
        )
    )


def truncate(text: str, limit: int = COMMENT_PREVIEW_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def build_overview(
    plan: BudgetPlan,
    filters: OverviewFilters,
    committees: Iterable[Committee],
    item_url: str | None,
) -> Overview:
    """Rows grouped into sections, amounts formatted, colour counters counted.

    `item_url` is a format string with `{pk}` for the item link, or None when the user
    may not open item pages (then titles are plain text).
    """
    codes = {committee.pk: committee.code for committee in committees}
    committee_order = {committee.pk: position for position, committee in enumerate(committees)}
    code_order = {committee.code: position for position, committee in enumerate(committees)}
    years = plan.years
    amount_keys = [f"amount_{year}" for year in years]
    colour_labels = {colour.value: str(colour.label) for colour in Colour}
    colour_texts = {colour.value: str(COLOUR_TEXTS[colour]) for colour in Colour}
    period_labels: dict[date, str] = {}
    counter: Counter[str] = Counter()
    as_of = filters.as_of

    rows: list[dict[str, Any]] = []
    for values in item_rows_queryset(plan, filters):
        colour = values["latest__colour"] or ""
        period = values["latest__period"]
        counter[colour or NO_STATUS] += 1
        missing = period is None or period < as_of
        if missing:
            counter[NOT_REPORTED] += 1
        if filters.colour and not (
            filters.colour == colour
            or (filters.colour == NO_STATUS and not colour)
            or (filters.colour == NOT_REPORTED and missing)
        ):
            continue
        if period is not None and period not in period_labels:
            period_labels[period] = month_label(period)
        pk = values["pk"]
        amounts = [values[key] for key in amount_keys]
        rows.append(
            {
                "pk": pk,
                "kind": values["kind"],
                "number": values["number"],
                "title": values["title"],
                "url": item_url.format(pk=pk) if item_url else "",
                "committee_code": codes.get(values["committee_id"], ""),
                "also": ", ".join(
                    sorted(values["also_codes"].split(","), key=code_order.__getitem__)
                )
                if values["also_codes"]
                else "",
                "markers": values["markers"],
                "amounts": amounts,
                "amount_texts": [danish_number(amount) for amount in amounts],
                "timing": values["timing"],
                "completed": values["completed"],
                "cross_cutting": values["cross_cutting"],
                "colour": colour,
                "colour_label": colour_labels.get(colour, ""),
                "colour_text": colour_texts.get(colour, ""),
                "severity": COLOUR_SEVERITY.get(colour, -1),  # type: ignore[call-overload]
                "period": period_labels.get(period, "") if period else "",
                "period_key": month_key(period) if period else "",
                "comment": truncate(values["latest__comment"] or ""),
                "obs": bool(values["latest__obs"]),
                "obs_text": values["latest__obs_text"] or "",
                "heading_id": values["heading_id"],
                "heading": values["heading__name"] or "",
                "_order": (
                    KIND_ORDER.get(values["kind"], 99),  # type: ignore[call-overload]
                    values["heading__order"] or 0,
                    values["heading__name"] or "",
                    values["order"],
                    natural_key(values["number"]),
                    committee_order.get(values["committee_id"], 0),
                ),
            }
        )

    rows.sort(key=lambda row: row["_order"])
    if filters.sort:
        column = filters.sort.lstrip("-")
        # Stable: rows that compare equal keep the plan's order.
        rows.sort(key=_sort_key(column), reverse=filters.sort.startswith("-"))

    sections: list[Section] = []
    for kind, title in KIND_SECTION_TITLES.items():
        kind_rows = [row for row in rows if row["kind"] == kind]
        if not kind_rows:
            continue
        groups: list[dict[str, Any]] = []
        if kind == Kind.HENSIGT:
            by_heading: dict[Any, dict[str, Any]] = {}
            heading_order: list[Any] = []
            for row in sorted(kind_rows, key=lambda row: row["_order"][1:3]):
                key = row["heading_id"]
                if key not in by_heading:
                    by_heading[key] = {"heading": row["heading"], "rows": []}
                    heading_order.append(key)
            for row in kind_rows:
                by_heading[row["heading_id"]]["rows"].append(row)
            groups = [by_heading[key] for key in heading_order]
        else:
            groups = [{"heading": "", "rows": kind_rows}]
        totals = [
            danish_number(
                sum((row["amounts"][index] or Decimal(0) for row in kind_rows), Decimal(0))
            )
            for index in range(len(years))
        ]
        sections.append(
            Section(kind=kind, title=str(title), groups=groups, totals=totals, count=len(kind_rows))
        )

    counts = [
        {
            "value": colour.value,
            "label": colour_labels[colour.value],
            "count": counter[colour.value],
        }
        for colour in Colour
    ]
    counts.append({"value": NO_STATUS, "label": _("Ingen status"), "count": counter[NO_STATUS]})
    counts.append(
        {
            "value": NOT_REPORTED,
            "label": _("Ikke rapporteret i måneden"),
            "count": counter[NOT_REPORTED],
        }
    )
    before_colour = sum(counter[key] for key in (*Colour.values, NO_STATUS))
    return Overview(
        sections=sections, years=years, counts=counts, shown=len(rows), total=before_colour
    )

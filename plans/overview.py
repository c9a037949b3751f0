"""The plan overview: parse the filters from the query string, then build the table.

Pure work apart from the queries: the view hands in the plan and the GET parameters and
gets sections whose rows are already HTML, every number and label formatted and every
value escaped, so the template only prints strings. The whole table costs a constant
handful of queries, whatever the size of the plan: the committees, the responsible
people (full page only) and the two row queries of `plans.overview_query` (the items,
with amounts and also-concerned committees as subqueries, then their latest reports as of
the month by primary key).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from html import escape
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees.models import Committee
from plans.models import (
    COLOUR_SEVERITY,
    KIND_ORDER,
    KIND_SECTION_TITLES,
    BudgetPlan,
    Colour,
    Item,
    Kind,
)
from plans.months import current_month, month_key, month_label, parse_month
from plans.obs import mark_open_obs
from plans.overview_query import RowQuery, fetch_rows

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


@dataclass(slots=True)
class RowGroup:
    """Rows under one heading (declarations of intent) or without one, as HTML."""

    heading: str
    html: SafeString


@dataclass
class Section:
    kind: str
    title: str
    groups: list[RowGroup]
    totals: list[str]
    count: int


@dataclass
class Overview:
    sections: list[Section]
    years: list[int]
    counts: list[dict[str, Any]]
    shown: int
    total: int

    @property
    def year_labels(self) -> list[str]:
        return [str(year) for year in self.years]


@dataclass(slots=True)
class Row:
    """One item of the table: its HTML, made once, and what grouping, totals and
    sorting need."""

    html: str
    order: tuple[Any, ...]
    kind: str
    heading_id: int | None
    heading: str
    amounts: tuple[float | None, ...]
    number: str
    title: str
    committee_code: str
    timing: str
    completed: bool
    severity: int
    period: date


def amount_text(value: float | Decimal | int | None) -> str:
    """Like plans.formatting.danish_number for amounts in 1.000 kr. with at most one
    decimal, but cheap enough for thousands of cells: -1234.5 -> '-1.234,5'."""
    if value is None:
        return ""
    tenths = round(value * 10)
    if tenths == 0:
        return "0"
    whole, tenth = divmod(abs(tenths), 10)
    text = f"{whole:,}".replace(",", ".")
    if tenth:
        text = f"{text},{tenth}"
    return f"-{text}" if tenths < 0 else text


def escape_text(text: str) -> str:
    """html.escape, skipped for the many texts with nothing to escape: a thousand-row
    table escapes some 8,000 strings, and the check costs a third of the escape."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return escape(text)
    return text


_NUMBER_PARTS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[Any, ...]:
    """'R7' before 'R12': digits compare as numbers."""
    return tuple(
        (1, int(part), "") if part.isdigit() else (0, 0, part.casefold())
        for part in _NUMBER_PARTS.split(text)
        if part
    )


_SORT_KEYS: dict[str, Any] = {
    "number": lambda row: natural_key(row.number),
    "title": lambda row: row.title.casefold(),
    "committee": lambda row: (row.committee_code.casefold(), natural_key(row.number)),
    "timing": lambda row: row.timing.casefold(),
    "completed": lambda row: row.completed,
    "status": lambda row: row.severity,
    "report": lambda row: row.period,
}


def parse_amounts(pairs: str | None, years: Sequence[int]) -> list[float | None]:
    """'2025:-1500.0;2026:0' -> one value per plan year, None where none is stored."""
    stored: dict[int, float] = {}
    if pairs:
        for pair in pairs.split(";"):
            year, _, amount = pair.partition(":")
            stored[int(year)] = float(amount)
    return [stored.get(year) for year in years]


def truncate(text: str, limit: int = COMMENT_PREVIEW_CHARS) -> str:
    """The start of a comment; HTML collapses its whitespace anyway."""
    if len(text) <= limit:
        return text
    return " ".join(text[: limit * 2].split())[: limit - 1].rstrip() + "…"


def matches_colour(wanted: str, colour: str, missing: bool) -> bool:
    """The colour filter, applied to a row after the counters have counted it."""
    return (
        not wanted
        or wanted == colour
        or (wanted == NO_STATUS and not colour)
        or (wanted == NOT_REPORTED and missing)
    )


def filtered_item_ids(plan: BudgetPlan, filters: OverviewFilters) -> list[int]:
    """The ids of the items the overview shows for these filters (for downloads)."""
    return [
        values["pk"]
        for values in fetch_rows(RowQuery.from_filters(plan, filters))
        if matches_colour(
            filters.colour,
            values["latest__colour"] or "",
            values["latest__period"] is None or values["latest__period"] < filters.as_of,
        )
    ]


@lru_cache(maxsize=8192)
def amount_cells(pairs: str | None, years: tuple[int, ...]) -> tuple[tuple[float | None, ...], str]:
    """The amounts per year of one item and their table cells, from the row query's
    text ('2025:-1500.0;2026:0'). A pure function of its arguments, so it is memoized
    for the process: the same plan is viewed again and again, and a plan repeats its
    amounts (declarations of intent without amounts, the same saving every year).
    Formatting them was half the cost of the overview's rows."""
    amounts = tuple(parse_amounts(pairs, years))
    return amounts, "".join([f'<td class="num">{amount_text(amount)}</td>' for amount in amounts])


_OBS_ROW_START = '<tr class="row-obs">'


class RowRenderer:
    """Turns the query's rows into table rows of HTML, every value escaped.

    Built here rather than with a template tag per cell, because a 400 x 15 table of
    tags costs several times the database (see verified-notes.md); the rest of the page
    stays in plans/plan_detail.html. What is the same for every row (translated words,
    committee codes, month labels, the link pattern) is looked up once per request.
    """

    def __init__(self, committees: Iterable[Committee], years: Sequence[int], item_url: str):
        self.years = tuple(years)
        # The link pattern is escaped once; the pk put into it is a number.
        self.item_url = escape(item_url)
        self.codes = {committee.pk: committee.code for committee in committees}
        self.code_order = {code: position for position, code in enumerate(self.codes.values())}
        self.committee_order = {pk: position for position, pk in enumerate(self.codes)}
        self.colour_labels = {colour.value: str(colour.label) for colour in Colour}
        self.badges = {
            value: f'<span class="badge badge-{value}"><span class="badge-icon" '
            f'aria-hidden="true"></span>{escape(label)}</span>'
            for value, label in self.colour_labels.items()
        }
        self.badges[""] = f'<span class="badge badge-none">{escape(_("Ingen status"))}</span>'
        self.obs_title = escape(_("OBS-punkt"))
        self.period_labels: dict[date, str] = {}

    def row(self, values: dict[str, Any]) -> Row:
        colour = values["latest__colour"] or ""
        period = values["latest__period"]
        period_label = ""
        if period is not None:
            period_label = self.period_labels.get(period) or self.period_labels.setdefault(
                period, month_label(period)
            )
        pk = values["pk"]
        number = values["number"]
        title = escape_text(values["title"])
        if self.item_url:
            title = f'<a href="{self.item_url.format(pk=pk)}">{title}</a>'
        committee_code = self.codes.get(values["committee_id"], "")
        committee = escape_text(committee_code)
        if values["also_codes"]:
            also = sorted(values["also_codes"].split(","), key=lambda c: self.code_order.get(c, 99))
            committee += f" <small>({escape_text(', '.join(also))})</small>"
        badge = self.badges.get(colour, self.badges[""])
        obs = values["latest__obs"]
        if obs:
            text = self.obs_title
            if values["latest__obs_text"]:
                text += f": {escape_text(values['latest__obs_text'])}"
            badge += f' <span class="obs-mark" title="{text}">OBS</span>'
        amounts, cells = amount_cells(values["amount_pairs"], self.years)
        comment = escape_text(truncate(values["latest__comment"] or ""))
        html = (
            f"{_OBS_ROW_START if obs else '<tr>'}"
            f"<td>{escape_text(number)}</td><td>{title}</td><td>{committee}</td>"
            f"<td>{escape_text(values['markers'])}</td>{cells}"
            f"<td>{escape_text(values['timing'])}</td>"
            f"<td>{'X' if values['completed'] else ''}</td><td>{badge}</td>"
            f"<td>{period_label}</td><td>{comment}</td></tr>\n"
        )
        heading = values["heading__name"] or ""
        return Row(
            html=html,
            order=(
                KIND_ORDER.get(values["kind"], 99),
                values["heading__order"] or 0,
                heading,
                values["order"],
                number,
                self.committee_order.get(values["committee_id"], 0),
            ),
            kind=values["kind"],
            heading_id=values["heading_id"],
            heading=heading,
            amounts=amounts,
            number=number,
            title=values["title"],
            committee_code=committee_code,
            timing=values["timing"],
            completed=values["completed"],
            severity=COLOUR_SEVERITY.get(colour, -1),
            period=period or date.min,
        )


def _groups(kind: str, rows: list[Row]) -> list[RowGroup]:
    """The rows of a section as HTML, under their headings for declarations of intent
    (headings in the plan's order, rows in the order given)."""
    if kind != Kind.HENSIGT:
        return [RowGroup(heading="", html=mark_safe("".join([row.html for row in rows])))]  # noqa: S308
    by_heading: dict[Any, list[Row]] = {}
    for row in sorted(rows, key=lambda row: row.order[1:3]):
        by_heading.setdefault(row.heading_id, [])
    for row in rows:
        by_heading[row.heading_id].append(row)
    return [
        RowGroup(heading=group[0].heading, html=mark_safe("".join([row.html for row in group])))  # noqa: S308
        for group in by_heading.values()
    ]


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
    years = plan.years
    renderer = RowRenderer(committees, years, item_url or "")
    counter: Counter[str] = Counter()
    as_of = filters.as_of
    rows: list[Row] = []
    for values in mark_open_obs(fetch_rows(RowQuery.from_filters(plan, filters)), as_of):
        colour = values["latest__colour"] or ""
        period = values["latest__period"]
        counter[colour or NO_STATUS] += 1
        missing = period is None or period < as_of
        if missing:
            counter[NOT_REPORTED] += 1
        if matches_colour(filters.colour, colour, missing):
            rows.append(renderer.row(values))

    rows.sort(key=lambda row: row.order)
    if filters.sort:
        # Stable: rows that compare equal keep the plan's order.
        rows.sort(key=_SORT_KEYS[filters.sort.lstrip("-")], reverse=filters.sort.startswith("-"))

    sections: list[Section] = []
    for kind, title in KIND_SECTION_TITLES.items():
        kind_rows = [row for row in rows if row.kind == kind]
        if not kind_rows:
            continue
        totals = [
            amount_text(sum(row.amounts[index] or 0 for row in kind_rows))
            for index in range(len(years))
        ]
        sections.append(
            Section(
                kind=kind,
                title=str(title),
                groups=_groups(kind, kind_rows),
                totals=totals,
                count=len(kind_rows),
            )
        )

    labels = renderer.colour_labels
    counts = [
        {"value": colour.value, "label": labels[colour.value], "count": counter[colour.value]}
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

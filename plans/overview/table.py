"""The overview's table: the rows of a plan for a set of filters, sorted, grouped into
sections with their totals, and the colour counters counted.

Pure work apart from the queries: the view hands in the plan and the parsed filters and
gets sections whose rows are already HTML (plans.overview.rows), so the template only
prints strings. The whole table costs a constant handful of queries, whatever the size
of the plan: the committees, the responsible people (full page only) and the four row
queries of `plans.overview.query` (the items, with their amounts and place in the round
as subqueries; their latest reports as of the month by primary key; the plan's open OBS
points; the plan's also-concerned committees).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from committees.models import Committee
from plans.models import KIND_SECTION_TITLES, NO_STATUS, BudgetPlan, Colour, Kind
from plans.overview.filters import NOT_REPORTED, OverviewFilters, matches_colour
from plans.overview.query import RowQuery
from plans.overview.rows import Row, RowRenderer, amount_text, natural_key
from plans.overview.sql_cache import fetch_rows


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


_SORT_KEYS: dict[str, Any] = {
    "number": lambda row: natural_key(row.number),
    "title": lambda row: row.title.casefold(),
    "committee": lambda row: (row.committee_code.casefold(), natural_key(row.number)),
    "timing": lambda row: row.timing.casefold(),
    "completed": lambda row: row.completed,
    "status": lambda row: row.severity,
    "report": lambda row: row.period,
}


def not_reported(values: dict[str, Any], as_of: date) -> bool:
    """An item of the round without a report in the month."""
    period = values["latest__period"]
    return values["in_round"] and (period is None or period < as_of)


def filtered_item_ids(plan: BudgetPlan, filters: OverviewFilters) -> list[int]:
    """The ids of the items the overview shows for these filters (for downloads)."""
    return [
        values["pk"]
        for values in fetch_rows(RowQuery.from_filters(plan, filters))
        if matches_colour(
            filters.colour, values["latest__colour"] or "", not_reported(values, filters.as_of)
        )
    ]


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
    for values in fetch_rows(RowQuery.from_filters(plan, filters)):
        colour = values["latest__colour"] or ""
        counter[colour or NO_STATUS] += 1
        missing = not_reported(values, as_of)
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

"""The overview's row query: the items of a plan for a set of filters, each with its
latest status as of a month, as the ORM writes it.

Four queries, whatever the size of the plan: the items (with the id of their latest
report, their amounts and their place in the round as subqueries), those reports by
primary key, the plan's OBS points open in the month, and the plan's links to the
committees an item also concerns. Joining the latest report in the first query looks
cheaper but is not on PostgreSQL: a join on "id = (correlated subquery)" cannot use the
primary key index there, so the planner hashes the whole status table, every plan's
history, on every request (8 ms for a committee's rows at 20,000 reports, and growing;
measured while writing bench_overview.py). The points and the links are queries of their
own for a like reason: as subqueries per row, PostgreSQL scans their small tables once
per item.

`orm_rows` is the query as the ORM writes it; `plans.overview.sql_cache.fetch_rows` runs
the same SQL, compiled once per shape of filter, and gives the same dicts. A test checks
the two agree for every shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    CharField,
    Exists,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Concat

from plans.models import (
    BudgetPlan,
    Item,
    ItemAmount,
    ObsPoint,
    StatusReport,
    latest_report_subquery,
)
from plans.overview.filters import OverviewFilters


@dataclass(frozen=True)
class RowQuery:
    """The filters that go into SQL, as plain values."""

    plan_id: int
    as_of: date
    committee_id: int | None = None
    kind: str = ""
    cross: bool = False
    state: str = ""
    responsible_id: int | None = None
    responsible_words: tuple[str, ...] = ()
    q: str = ""

    @classmethod
    def from_filters(cls, plan: BudgetPlan, filters: OverviewFilters) -> RowQuery:
        responsible = filters.responsible
        return cls(
            plan_id=plan.pk,
            as_of=filters.as_of,
            committee_id=filters.committee.pk if filters.committee else None,
            kind=filters.kind,
            cross=filters.cross,
            state=filters.state,
            responsible_id=int(responsible) if responsible.isdigit() else None,
            responsible_words=() if responsible.isdigit() else tuple(responsible.split()),
            q=filters.q,
        )

    @property
    def shape(self) -> tuple[Any, ...]:
        """What decides the SQL text; the values only fill its parameters."""
        return (
            self.committee_id is not None,
            bool(self.kind),
            self.cross,
            self.state,
            self.responsible_id is not None,
            len(self.responsible_words),
            bool(self.q),
        )


def item_rows_queryset(filters: RowQuery) -> Any:
    """The items of the table: every filter except colour (the colour counters count
    the rows before the colour filter, which is applied in Python)."""
    items = Item.objects.filter(plan_id=filters.plan_id)
    if filters.committee_id is not None:
        concerned = Item.also_committees.through.objects.filter(
            committee_id=filters.committee_id
        ).values("item_id")
        # What belongs in the committee's extract (same rule as Item.in_extract_for),
        # written without a join so no DISTINCT is needed.
        items = items.filter(
            Q(committee_id=filters.committee_id) | Q(pk__in=concerned) | Q(cross_cutting=True)
        )
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.cross:
        items = items.filter(cross_cutting=True)
    if filters.state == "open":
        items = items.filter(completed=False)
    elif filters.state == "completed":
        items = items.filter(completed=True)
    if filters.responsible_id is not None:
        items = items.filter(responsible_id=filters.responsible_id)
    for word in filters.responsible_words:
        items = items.filter(
            Q(responsible_name__icontains=word)
            | Q(responsible__first_name__icontains=word)
            | Q(responsible__last_name__icontains=word)
            | Q(responsible__username__icontains=word)
        )
    latest = latest_report_subquery(filters.as_of)
    # Every amount of the item in one subquery, as "2025:-1500.0;2026:0": one correlated
    # subquery instead of one per year, and no Decimal converter per cell.
    amounts = (
        ItemAmount.objects.filter(item_id=OuterRef("pk"))
        .order_by()
        .values("item_id")
        .annotate(
            pairs=StringAgg(
                Concat(Cast("year", CharField()), Value(":"), Cast("amount", CharField())),
                delimiter=Value(";"),
            )
        )
        .values("pairs")
    )
    # Whether the item is in the status round, by the one definition of it. PostgreSQL
    # turns this into one hashed set of ids; naming the plan keeps that set to the plan's
    # items instead of every approved plan's.
    in_round = Item.objects.filter(plan_id=filters.plan_id, pk=OuterRef("pk")).in_round()
    items = items.annotate(
        latest_status_id=Subquery(latest.values("id")[:1]),
        amount_pairs=Subquery(amounts),
        in_round=Exists(in_round),
    )
    if filters.q:
        latest_comment_matches = StatusReport.objects.filter(
            pk=OuterRef("latest_status_id"), comment__icontains=filters.q
        )
        items = items.filter(
            Q(number__icontains=filters.q)
            | Q(title__icontains=filters.q)
            | Exists(latest_comment_matches)
        )
    return items.order_by().values(*ITEM_COLUMNS)


def open_points_queryset(filters: RowQuery) -> Any:
    """The (item id, text) of the plan's OBS points open in the month, oldest first, so
    the newest wins should an item hold two. A query of its own: as a correlated
    subquery per row, PostgreSQL scanned the whole (small) table of points once per
    item."""
    return (
        ObsPoint.objects.filter(item__plan_id=filters.plan_id)
        .open_at(filters.as_of)
        .order_by("item_id", "month", "id")
        .values_list("item_id", "text")
    )


def also_links_queryset(filters: RowQuery) -> Any:
    """The plan's (item id, committee id) pairs of also-concerned committees. A query of
    its own for the same reason: per row, PostgreSQL scanned the whole link table once
    per item, more than half the time of the row query at 1,600 items."""
    return Item.also_committees.through.objects.filter(item__plan_id=filters.plan_id).values_list(
        "item_id", "committee_id"
    )


def orm_rows(filters: RowQuery) -> list[dict[str, Any]]:
    """The rows as the ORM gives them: the reference `fetch_rows` is tested against."""

    def reports_by_id(ids: list[int]) -> dict[int, tuple[Any, ...]]:
        reports = StatusReport.objects.filter(pk__in=ids).values_list("pk", *LATEST_COLUMNS)
        return {report[0]: report[1:] for report in reports}

    return complete_rows(
        list(item_rows_queryset(filters)),
        reports_by_id,
        also_links=list(also_links_queryset(filters)),
        open_points=list(open_points_queryset(filters)),
    )


def complete_rows(
    rows: list[dict[str, Any]],
    reports_by_id: Callable[[list[int]], dict[int, tuple[Any, ...]]],
    *,
    also_links: list[tuple[int, int]],
    open_points: list[tuple[int, str]],
) -> list[dict[str, Any]]:
    """Complete the item rows: fetch their latest reports (one query) and put each into
    its row as latest__colour, latest__period, ...; give each row the ids of the
    committees it also concerns (from `also_links`) and its open OBS point (from
    `open_points`, where a later pair for the same item wins)."""
    ids = [row["latest_status_id"] for row in rows if row["latest_status_id"]]
    reports = reports_by_id(ids) if ids else {}
    also: dict[int, list[int]] = {}
    for item_id, committee_id in also_links:
        also.setdefault(item_id, []).append(committee_id)
    points = dict(open_points)
    missing = (None,) * len(LATEST_COLUMNS)
    for row in rows:
        row.update(zip(LATEST_KEYS, reports.get(row.pop("latest_status_id"), missing), strict=True))
        row["also_committee_ids"] = also.get(row["pk"], [])
        text = points.get(row["pk"])
        row["obs"] = text is not None
        row["obs_text"] = text or ""
        row["in_round"] = bool(row["in_round"])
    return rows


ITEM_COLUMNS = (
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
    "latest_status_id",
    "amount_pairs",
    "in_round",
)
LATEST_COLUMNS = ("colour", "period", "comment")
LATEST_KEYS = tuple(f"latest__{column}" for column in LATEST_COLUMNS)

"""The overview's rows: the items of a plan for a set of filters, each with its latest
status as of a month, fetched without recompiling the ORM's SQL on every request.

Two queries, whatever the size of the plan: the items (with the id of their latest
report, their amounts and their also-concerned committees as subqueries), then those
reports by primary key. Joining the latest report in the first query looks cheaper but
is not on PostgreSQL: a join on "id = (correlated subquery)" cannot use the primary key
index there, so the planner hashes the whole status table, every plan's history, on
every request (8 ms for a committee's rows at 20,000 reports, and growing; measured
while writing bench_overview.py).

`orm_rows` is the query as the ORM writes it; `fetch_rows` runs the same SQL, compiled
once per shape of filter (see the note above `_compile`), and gives the same dicts. A
test checks the two agree for every shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connection
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

from plans.models import Item, ItemAmount, StatusReport, latest_report_subquery

if TYPE_CHECKING:
    from plans.models import BudgetPlan
    from plans.overview import OverviewFilters


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
    also_codes = (
        # django-stubs loses annotate() on auto-created through models, so the final
        # values("codes") is reported as an unknown field; Django resolves it.
        Item.also_committees.through.objects.filter(item_id=OuterRef("pk"))  # type: ignore[misc]
        .order_by()
        .values("item_id")
        # No ORDER BY inside the aggregate (SQLite cannot); sorted in Python.
        .annotate(codes=StringAgg("committee__code", delimiter=Value(",")))
        .values("codes")
    )
    items = items.annotate(
        latest_status_id=Subquery(latest.values("id")[:1]),
        amount_pairs=Subquery(amounts),
        also_codes=Subquery(also_codes),
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


def orm_rows(filters: RowQuery) -> list[dict[str, Any]]:
    """The rows as the ORM gives them: the reference `fetch_rows` is tested against."""

    def reports_by_id(ids: list[int]) -> dict[int, tuple[Any, ...]]:
        reports = StatusReport.objects.filter(pk__in=ids).values_list("pk", *LATEST_COLUMNS)
        return {report[0]: report[1:] for report in reports}

    return _with_latest(list(item_rows_queryset(filters)), reports_by_id)


def _with_latest(
    rows: list[dict[str, Any]], reports_by_id: Callable[[list[int]], dict[int, tuple[Any, ...]]]
) -> list[dict[str, Any]]:
    """Fetch the rows' latest reports (one query) and put each into its row as
    latest__colour, latest__period, ..."""
    ids = [row["latest_status_id"] for row in rows if row["latest_status_id"]]
    reports = reports_by_id(ids) if ids else {}
    missing = (None,) * len(LATEST_COLUMNS)
    for row in rows:
        row.update(zip(LATEST_KEYS, reports.get(row.pop("latest_status_id"), missing), strict=True))
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
    "also_codes",
    "amount_pairs",
)
LATEST_COLUMNS = ("colour", "period", "comment", "obs", "obs_text")
LATEST_KEYS = tuple(f"latest__{column}" for column in LATEST_COLUMNS)

# --- the compiled query, kept per shape of filter ---------------------------------------
#
# Building and compiling the item queryset above (a correlated subquery for the latest
# report, two aggregating subqueries) costs more than running it: on the benchmark
# machine ~10 ms of Python against ~2 ms in SQLite for a committee's rows. The SQL text
# depends only on which filters are set, so it is compiled once per shape with marker
# values, and each request fills the parameters. Anything unexpected (a marker inlined
# into the SQL, a marker not found) falls back to compiling the queryset as usual.

_MARK = "\x1dudm"
_PLAN_MARK = -7_300_000_001
_COMMITTEE_MARK = -7_300_000_002
_RESPONSIBLE_MARK = -7_300_000_003
_AS_OF_MARK = date(1001, 1, 1)
_KIND_MARK = f"{_MARK}kind\x1d"


def _text_mark(name: str) -> str:
    return f"{_MARK}{name}\x1d"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    binders: tuple[Any, ...]


_compiled: dict[tuple[Any, ...], _Compiled | None] = {}


def _marked(shape_source: RowQuery) -> RowQuery:
    return RowQuery(
        plan_id=_PLAN_MARK,
        as_of=_AS_OF_MARK,
        committee_id=_COMMITTEE_MARK if shape_source.committee_id is not None else None,
        kind=_KIND_MARK if shape_source.kind else "",
        cross=shape_source.cross,
        state=shape_source.state,
        responsible_id=_RESPONSIBLE_MARK if shape_source.responsible_id is not None else None,
        responsible_words=tuple(
            _text_mark(f"w{index}") for index in range(len(shape_source.responsible_words))
        ),
        q=_text_mark("q") if shape_source.q else "",
    )


def _binder(param: Any, ops: Any) -> Any:
    """How to fill one parameter of the compiled SQL from a RowQuery."""
    if isinstance(param, bool):
        return param
    if isinstance(param, int):
        named = {
            _PLAN_MARK: "plan_id",
            _COMMITTEE_MARK: "committee_id",
            _RESPONSIBLE_MARK: "responsible_id",
        }.get(param)
        return ("attr", named) if named else param
    if param == _AS_OF_MARK or param == ops.adapt_datefield_value(_AS_OF_MARK):
        return ("as_of",)
    if isinstance(param, str) and _MARK in param:
        if param == _KIND_MARK:
            return ("attr", "kind")
        if param.count(_MARK) != 1:
            raise ValueError(param)
        name = param.split(_MARK, 1)[1].split("\x1d", 1)[0]
        return ("like", name, param.replace(_text_mark(name), "{}"))
    if isinstance(param, str) and "{" in param:
        raise ValueError(param)  # would break the template below
    return param


def _compile(filters: RowQuery) -> _Compiled | None:
    sql, params = item_rows_queryset(_marked(filters)).query.sql_with_params()
    if _MARK in sql or str(_PLAN_MARK) in sql or "1001-01-01" in sql:
        return None
    try:
        binders = tuple(_binder(param, connection.ops) for param in params)
    except ValueError:
        return None
    return _Compiled(sql=sql, binders=binders)


def _bind(compiled: _Compiled, filters: RowQuery) -> list[Any]:
    ops = connection.ops
    texts = {"q": filters.q} | {
        f"w{index}": word for index, word in enumerate(filters.responsible_words)
    }
    params: list[Any] = []
    for binder in compiled.binders:
        if not isinstance(binder, tuple):
            params.append(binder)
        elif binder[0] == "attr":
            params.append(getattr(filters, binder[1]))
        elif binder[0] == "as_of":
            params.append(ops.adapt_datefield_value(filters.as_of))
        else:
            params.append(binder[2].replace("{}", ops.prep_for_like_query(texts[binder[1]])))
    return params


def _latest_reports(ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """The reports with these ids, by id: one query on the primary key."""
    table = connection.ops.quote_name(StatusReport._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in ("id", *LATEST_COLUMNS))
    params: list[int] | list[list[int]]
    if connection.vendor == "postgresql":
        # One array parameter: PostgreSQL plans it faster than 400 placeholders.
        where, params = "id = ANY(%s)", [ids]
    else:
        where, params = f"id IN ({', '.join(['%s'] * len(ids))})", ids
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE {where}", params)  # noqa: S608
        rows = cursor.fetchall()
    reports = {}
    for pk, colour, period, comment, obs, obs_text in rows:
        # The conversions the ORM would have made (SQLite gives ISO text and 0/1).
        if isinstance(period, str):
            period = date.fromisoformat(period)
        reports[pk] = (colour, period, comment, bool(obs), obs_text)
    return reports


def fetch_rows(filters: RowQuery) -> list[dict[str, Any]]:
    """The rows of orm_rows(filters), without recompiling the ORM's SQL."""
    key = (connection.alias, connection.vendor, filters.shape)
    if key not in _compiled:
        _compiled[key] = _compile(filters)
    compiled = _compiled[key]
    if compiled is None:
        return orm_rows(filters)
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, _bind(compiled, filters))
        rows = cursor.fetchall()
    result = []
    for row in rows:
        values = dict(zip(ITEM_COLUMNS, row, strict=True))
        values["completed"] = bool(values["completed"])
        values["cross_cutting"] = bool(values["cross_cutting"])
        result.append(values)
    return _with_latest(result, _latest_reports)

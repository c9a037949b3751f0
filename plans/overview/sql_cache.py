"""The overview's row queries, compiled once per shape of filter: `fetch_rows` gives the
rows of `plans.overview.query.orm_rows` without building the querysets on every request
(the items; the plan's open OBS points and its also-concerned committees, whose SQL
does not depend on the filters, are compiled once per database).

Why it exists: building and compiling the item queryset (a correlated subquery for the
latest report, two aggregating subqueries) costs more than running it: on the benchmark
machine ~10 ms of Python against ~2 ms in SQLite for a committee's rows
(bench/bench_overview.py prints both paths side by side). The SQL text depends only on
which filters are set, so it is compiled once per shape with marker values in place of
the real ones, and each request fills the parameters in. Anything unexpected (a marker
inlined into the SQL, a marker not found) falls back to the ORM. A test checks that the
two agree for every shape, and that every query of it compiled
(tests/plans/test_overview.py).

This is the hardest code of the project to change. When you change a queryset in
plans/overview/query.py, run that test: a new kind of parameter needs a marker here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection

from plans.models import StatusReport
from plans.overview.query import (
    ITEM_COLUMNS,
    LATEST_COLUMNS,
    RowQuery,
    also_links_queryset,
    complete_rows,
    item_rows_queryset,
    open_points_queryset,
    orm_rows,
)

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


def _compile(queryset: Any) -> _Compiled | None:
    """The queryset's SQL with a binder per parameter, or None when a marker value did
    not come out as a parameter of its own (then the ORM runs the query)."""
    sql, params = queryset.query.sql_with_params()
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
    for pk, colour, period, comment in rows:
        # The conversion the ORM would have made (SQLite gives ISO text).
        if isinstance(period, str):
            period = date.fromisoformat(period)
        reports[pk] = (colour, period, comment)
    return reports


# The queries of the rows: the items (their SQL depends on which filters are set), and
# two of the plan as a whole (theirs depends on nothing but the database).
_QUERIES: dict[str, Callable[[RowQuery], Any]] = {
    "rows": item_rows_queryset,
    "also": also_links_queryset,
    "obs": open_points_queryset,
}


def compiled_for(name: str, filters: RowQuery) -> _Compiled | None:
    """The compiled SQL of one of the row queries for this shape of filter."""
    shape = filters.shape if name == "rows" else ()
    key = (connection.alias, connection.vendor, name, shape)
    if key not in _compiled:
        _compiled[key] = _compile(_QUERIES[name](_marked(filters)))
    return _compiled[key]


def _run(compiled: _Compiled, filters: RowQuery) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, _bind(compiled, filters))
        return cursor.fetchall()


def fetch_rows(filters: RowQuery) -> list[dict[str, Any]]:
    """The rows of orm_rows(filters), without recompiling the ORM's SQL."""
    rows_sql = compiled_for("rows", filters)
    also_sql = compiled_for("also", filters)
    obs_sql = compiled_for("obs", filters)
    if rows_sql is None or also_sql is None or obs_sql is None:
        return orm_rows(filters)
    result = []
    for row in _run(rows_sql, filters):
        values = dict(zip(ITEM_COLUMNS, row, strict=True))
        values["completed"] = bool(values["completed"])
        values["cross_cutting"] = bool(values["cross_cutting"])
        result.append(values)
    return complete_rows(
        result,
        _latest_reports,
        also_links=_run(also_sql, filters),
        open_points=_run(obs_sql, filters),
    )

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
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import (
    CharField,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Concat
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

    @property
    def year_labels(self) -> list[str]:
        return [str(year) for year in self.years]


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
    """The one query for the table: every filter except colour (the colour counters
    count the rows before the colour filter, which is applied in Python)."""
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
        Item.also_committees.through.objects.filter(item_id=OuterRef("pk"))
        .order_by()
        .values("item_id")
        # No ORDER BY inside the aggregate (SQLite cannot); sorted in Python.
        .annotate(codes=StringAgg("committee__code", delimiter=Value(",")))
        .values("codes")
    )
    items = items.annotate(
        latest_status_id=Subquery(latest.values("id")[:1]),
        latest=FilteredRelation("reports", condition=Q(reports__id=F("latest_status_id"))),
        amount_pairs=Subquery(amounts),
        also_codes=Subquery(also_codes),
    )
    if filters.q:
        items = items.filter(
            Q(number__icontains=filters.q)
            | Q(title__icontains=filters.q)
            | Q(latest__comment__icontains=filters.q)
        )
    return items.order_by().values(*ROW_COLUMNS)


ROW_COLUMNS = (
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
    "amount_pairs",
)

# --- the compiled query, kept per shape of filter ---------------------------------------
#
# Building and compiling the queryset above (a FilteredRelation on a Subquery, two
# aggregating subqueries) costs more than running it: on the benchmark machine ~10 ms of
# Python against ~2 ms in SQLite for a committee's rows. The SQL text depends only on
# which filters are set, so it is compiled once per shape with marker values, and each
# request fills the parameters. Anything unexpected (a marker inlined into the SQL, a
# marker not found) falls back to compiling the queryset as usual.

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
    from django.db import connection

    sql, params = item_rows_queryset(_marked(filters)).query.sql_with_params()
    if _MARK in sql or str(_PLAN_MARK) in sql or "1001-01-01" in sql:
        return None
    try:
        binders = tuple(_binder(param, connection.ops) for param in params)
    except ValueError:
        return None
    return _Compiled(sql=sql, binders=binders)


def _bind(compiled: _Compiled, filters: RowQuery) -> list[Any]:
    from django.db import connection

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


def fetch_rows(filters: RowQuery) -> list[dict[str, Any]]:
    """The rows of item_rows_queryset(filters) as dicts, without recompiling its SQL."""
    from django.db import connection

    key = (connection.alias, connection.vendor, filters.shape)
    if key not in _compiled:
        _compiled[key] = _compile(filters)
    compiled = _compiled[key]
    if compiled is None:
        return list(item_rows_queryset(filters))
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, _bind(compiled, filters))
        rows = cursor.fetchall()
    result = []
    for row in rows:
        values = dict(zip(ROW_COLUMNS, row, strict=True))
        # The few conversions the ORM would have made (SQLite gives 0/1 and ISO text).
        period = values["latest__period"]
        if isinstance(period, str):
            values["latest__period"] = date.fromisoformat(period)
        values["completed"] = bool(values["completed"])
        values["cross_cutting"] = bool(values["cross_cutting"])
        if values["latest__obs"] is not None:
            values["latest__obs"] = bool(values["latest__obs"])
        result.append(values)
    return result


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


@dataclass(frozen=True)
class RowWords:
    """The translated words a row needs, looked up once per request, not per row."""

    no_status: str
    obs: str
    completed: str

    @classmethod
    def current(cls) -> RowWords:
        return cls(no_status=_("Ingen status"), obs=_("OBS-punkt"), completed=_("Afsluttet"))


def render_rows(rows: Iterable[dict[str, Any]], words: RowWords) -> SafeString:
    """The table rows as HTML. Built here, with every value escaped, because a template
    tag per cell in a 400 x 15 table costs several times the database (see
    verified-notes.md); the rest of the page stays in plans/plan_detail.html."""
    parts = []
    no_status = f'<span class="badge badge-none">{escape(words.no_status)}</span>'
    obs_title = escape(words.obs)
    for row in rows:
        title = escape(row["title"])
        if row["url"]:
            title = f'<a href="{escape(row["url"])}">{title}</a>'
        committee = escape(row["committee_code"])
        if row["also"]:
            committee += f" <small>({escape(row['also'])})</small>"
        if row["colour"]:
            badge = (
                f'<span class="badge badge-{row["colour"]}"><span class="badge-icon" '
                f'aria-hidden="true"></span>{escape(row["colour_label"])}</span>'
            )
        else:
            badge = no_status
        if row["obs"]:
            text = f"{obs_title}: {escape(row['obs_text'])}" if row["obs_text"] else obs_title
            badge += f' <span class="obs-mark" title="{text}">OBS</span>'
        amounts = "".join(f'<td class="num">{amount}</td>' for amount in row["amount_texts"])
        row_start = '<tr class="row-obs">' if row["obs"] else "<tr>"
        parts.append(
            f"{row_start}"
            f"<td>{escape(row['number'])}</td><td>{title}</td><td>{committee}</td>"
            f"<td>{escape(row['markers'])}</td>{amounts}<td>{escape(row['timing'])}</td>"
            f"<td>{'X' if row['completed'] else ''}</td><td>{badge}</td>"
            f"<td>{row['period']}</td><td>{escape(row['comment'])}</td></tr>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


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
    colour_labels = {colour.value: str(colour.label) for colour in Colour}
    period_labels: dict[date, str] = {}
    counter: Counter[str] = Counter()
    as_of = filters.as_of
    words = RowWords.current()

    rows: list[dict[str, Any]] = []
    for values in fetch_rows(RowQuery.from_filters(plan, filters)):
        colour = values["latest__colour"] or ""
        period = values["latest__period"]
        counter[colour or NO_STATUS] += 1
        missing = period is None or period < as_of
        if missing:
            counter[NOT_REPORTED] += 1
        if not matches_colour(filters.colour, colour, missing):
            continue
        if period is not None and period not in period_labels:
            period_labels[period] = month_label(period)
        pk = values["pk"]
        amounts = parse_amounts(values["amount_pairs"], years)
        rows.append(
            {
                "pk": pk,
                "kind": values["kind"],
                "number": values["number"],
                "title": values["title"],
                "url": item_url.format(pk=pk) if item_url else "",
                "committee_code": codes.get(values["committee_id"], ""),
                "also": ", ".join(
                    sorted(
                        values["also_codes"].split(","), key=lambda code: code_order.get(code, 99)
                    )
                )
                if values["also_codes"]
                else "",
                "markers": values["markers"],
                "amounts": amounts,
                "amount_texts": [amount_text(amount) for amount in amounts],
                "timing": values["timing"],
                "completed": values["completed"],
                "cross_cutting": values["cross_cutting"],
                "colour": colour,
                "colour_label": colour_labels.get(colour, ""),
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
                    values["number"],
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
        for group in groups:
            group["html"] = render_rows(group["rows"], words)
        totals = [
            amount_text(sum((row["amounts"][index] or 0 for row in kind_rows), 0))
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

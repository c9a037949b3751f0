"""The economy chief's review, computed in Python from one fetch of the status history.

Everything here except `load_histories` is pure: plain rows in, plain results out. A month's
status is the latest report at or before that month, so an item that was not reported in
a month keeps last month's colour; a streak counts months of that "as of" colour.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.db.models import F, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from plans.models import (
    COLOUR_SEVERITY,
    NO_STATUS,
    OLDEST_FIRST,
    Colour,
    Item,
    RedReason,
    StatusReport,
    latest_report_subquery,
)
from plans.months import add_months, month_count, months_between
from plans.obs import open_points_by_item

# Counted colours, most severe last so stacked bars grow from green at the bottom.
COLOUR_KEYS = [Colour.GREEN.value, Colour.YELLOW.value, Colour.RED.value, NO_STATUS]
# How far back a streak is counted: a plan lasts at most ten years.
MAX_STREAK_MONTHS = 120


class Change(models.TextChoices):
    NEW_RED = "new_red", _("Ny rød")
    WORSE = "worse", _("Forværret")
    BETTER = "better", _("Forbedret")
    UNCHANGED = "unchanged", _("Uændret")
    NEW = "new", _("Ny")


CHANGED = {Change.NEW_RED, Change.WORSE, Change.BETTER}


@dataclass(frozen=True)
class ReportRow:
    item_id: int
    period: date
    colour: str
    comment: str = ""
    red_reason: str = ""
    obs: bool = False
    obs_text: str = ""


@dataclass
class History:
    """One item's reports, the last one of each month, oldest first."""

    reports: list[ReportRow] = field(default_factory=list)
    periods: list[date] = field(default_factory=list)

    def add(self, row: ReportRow) -> None:
        if self.periods and self.periods[-1] == row.period:
            self.reports[-1] = row
        else:
            self.reports.append(row)
            self.periods.append(row.period)

    def as_of(self, month: date) -> ReportRow | None:
        index = bisect_right(self.periods, month)
        return self.reports[index - 1] if index else None

    def reported_in(self, month: date) -> bool:
        index = bisect_right(self.periods, month)
        return bool(index) and self.periods[index - 1] == month


def build_histories(rows: Iterable[ReportRow]) -> dict[int, History]:
    """Rows must come ordered by item, period, then creation: the last one of a month wins."""
    histories: dict[int, History] = {}
    for row in rows:
        histories.setdefault(row.item_id, History()).add(row)
    return histories


def colour_as_of(history: History | None, month: date) -> str | None:
    report = history.as_of(month) if history else None
    return report.colour if report else None


def streak(history: History | None, month: date) -> int:
    """How many months in a row, ending with `month`, the item has had its current colour."""
    colour = colour_as_of(history, month)
    if colour is None:
        return 0
    count = 0
    period = month
    while count < MAX_STREAK_MONTHS and colour_as_of(history, period) == colour:
        count += 1
        period = add_months(period, -1)
    return count


def change_between(previous: str | None, current: str | None) -> Change | None:
    """None when there is no status now; NEW_RED for any arrival at red."""
    if current is None:
        return None
    if current == Colour.RED and previous != Colour.RED:
        return Change.NEW_RED
    if previous is None:
        return Change.NEW
    difference = COLOUR_SEVERITY[Colour(current)] - COLOUR_SEVERITY[Colour(previous)]
    if difference > 0:
        return Change.WORSE
    if difference < 0:
        return Change.BETTER
    return Change.UNCHANGED


def severity_key(colour: str | None, months_in_a_row: int) -> tuple[int, int]:
    """Sort key: red first, then yellow, then the longest streak first."""
    severity = COLOUR_SEVERITY[Colour(colour)] if colour else -1
    return (-severity, -months_in_a_row)


@dataclass(frozen=True)
class ColourCounts:
    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def get(self, colour: str) -> int:
        return self.counts.get(colour, 0)


def count_colours(
    pairs: Iterable[tuple[str, str | None]], labels: Sequence[str]
) -> list[ColourCounts]:
    """(group label, colour or None) pairs -> one ColourCounts per label, in `labels` order."""
    counters: dict[str, Counter[str]] = {label: Counter() for label in labels}
    for label, colour in pairs:
        counters.setdefault(label, Counter())[colour or NO_STATUS] += 1
    return [
        ColourCounts(label, {key: counters[label][key] for key in COLOUR_KEYS})
        for label in counters
    ]


def trend(
    histories: dict[int, History], item_ids: Iterable[int], first: date, last: date
) -> list[tuple[date, ColourCounts]]:
    """Per month from first to last: how many of the items stood at each colour."""
    ids = list(item_ids)
    result = []
    for month in months_between(first, last):
        counter: Counter[str] = Counter(
            colour_as_of(histories.get(item_id), month) or NO_STATUS for item_id in ids
        )
        result.append((month, ColourCounts(str(month), {key: counter[key] for key in COLOUR_KEYS})))
    return result


def first_reported_month(histories: dict[int, History]) -> date | None:
    firsts = [history.reports[0].period for history in histories.values() if history.reports]
    return min(firsts) if firsts else None


@dataclass(frozen=True)
class StatusLine:
    """One item as the review reads it in a month: its status then, last month's colour,
    the change between the two and how long the colour has lasted."""

    item: Any
    report: ReportRow | None
    previous_colour: str | None
    change: Change | None
    months_in_a_row: int
    reported_this_month: bool
    obs_point: Any = None

    @property
    def obs(self) -> bool:
        return self.obs_point is not None

    @property
    def obs_text(self) -> str:
        return str(self.obs_point.text) if self.obs_point is not None else ""

    @property
    def colour(self) -> str | None:
        return self.report.colour if self.report else None

    @property
    def red_reason_label(self) -> str:
        if self.report is None:
            return ""
        return str(dict(RedReason.choices).get(self.report.red_reason, ""))


def status_rows(
    items: Sequence[Any], month: date, *, with_obs_events: bool = False
) -> list[StatusLine]:
    """The items' status as of `month`, in the items' order: one query for the history.

    Shared by the red list and the board report, so the two always agree. OBS is the
    item's open OBS point in `month` (a second query), whatever its reports say."""
    histories = load_recent_histories([item.pk for item in items], month)
    points = open_points_by_item([item.pk for item in items], month, with_events=with_obs_events)
    previous_month = add_months(month, -1)
    lines = []
    for item in items:
        history = histories.get(item.pk)
        report = history.as_of(month) if history else None
        previous = colour_as_of(history, previous_month)
        lines.append(
            StatusLine(
                item=item,
                report=report,
                previous_colour=previous,
                change=change_between(previous, report.colour if report else None),
                months_in_a_row=streak(history, month),
                reported_this_month=bool(history and history.reported_in(month)),
                obs_point=points.get(item.pk),
            )
        )
    return lines


def load_histories(item_ids: Iterable[int] | Any, until: date) -> dict[int, History]:
    """The one query: every report of the items up to and including the month `until`.

    `item_ids` may be a list or a queryset of ids (then it becomes a subquery).
    """
    rows = (
        StatusReport.objects.filter(item_id__in=item_ids, period__lte=until)
        .order_by("item_id", *OLDEST_FIRST)
        .values_list("item_id", "period", "colour", "comment", "red_reason", "obs", "obs_text")
    )
    return build_histories(ReportRow(*row) for row in rows)


# The months the red list and the board report read of each item's history: the month
# and a year back. Older reports only decide a streak that reaches further back.
RECENT_MONTHS = 13
# How many reports before that window are read first for a streak that reaches past it.
OLDER_REPORTS = 24


def _older_colours(item_ids: list[int], before: date, last: int | None) -> list[ReportRow]:
    """The colours of the items' reports before the month `before`, oldest first; with
    `last`, only each item's `last` latest ones."""
    reports = StatusReport.objects.filter(item_id__in=item_ids, period__lt=before)
    if last is not None:
        reports = reports.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("item_id")],
                order_by=[F("period").desc(), F("created_at").desc(), F("id").desc()],
            )
        ).filter(rank__lte=last)
    rows = reports.order_by("item_id", *OLDEST_FIRST).values_list("item_id", "period", "colour")
    return [ReportRow(*row) for row in rows]


def _prepend_older(histories: dict[int, History], rows: list[ReportRow]) -> None:
    """Put older months' reports in front of the histories read so far; where a month is
    in both, the one already read (with its texts) is kept."""
    for item_id, older in build_histories(rows).items():
        history = histories[item_id]
        end = bisect_left(older.periods, history.periods[0])
        histories[item_id] = History(
            reports=older.reports[:end] + history.reports,
            periods=older.periods[:end] + history.periods,
        )


def _months_back_to(history: History, until: date) -> int:
    """The months from the history's first report to `until`, both counted."""
    return month_count(history.periods[0], until)


def load_recent_histories(item_ids: Sequence[int], until: date) -> dict[int, History]:
    """Histories that answer, for the month `until`, what load_histories(item_ids, until)
    would (the colour as of that month and the months before it, whether it was reported
    in it, and the streak), without reading every month a plan ever had: the time of the
    red list and the board report grew with the length of the history (3.5x from 12 to
    120 months, bench/bench_history.py).

    Two queries, and two more only where needed: the latest report before the window
    (the colour carried into it), the reports of the window's RECENT_MONTHS months with
    their texts; then, only for items whose colour holds back past the window's start,
    the colours of their last OLDER_REPORTS reports before it, and all their older
    colours for the few whose streak reaches back past those too. Exact for `until` and
    the RECENT_MONTHS - 1 months before it.
    """
    ids = list(item_ids)
    if not ids:
        return {}
    since = add_months(until, -(RECENT_MONTHS - 1))
    carried_ids = [
        report_id
        for report_id in Item.objects.filter(pk__in=ids)
        .annotate(carried=Subquery(latest_report_subquery(add_months(since, -1)).values("id")[:1]))
        .values_list("carried", flat=True)
        if report_id is not None
    ]
    columns = ("item_id", "period", "colour", "comment", "red_reason", "obs", "obs_text")
    window = Q(item_id__in=ids, period__gte=since, period__lte=until)
    rows = (
        StatusReport.objects.filter(window | Q(pk__in=carried_ids) if carried_ids else window)
        .order_by("item_id", *OLDEST_FIRST)
        .values_list(*columns)
    )
    histories = build_histories(ReportRow(*row) for row in rows)
    reaching = [
        item_id
        for item_id, history in histories.items()
        if history.periods[0] < since and streak(history, until) > RECENT_MONTHS
    ]
    if reaching:
        # Only the colours of older months, and at first only the last OLDER_REPORTS
        # reports before the window: most streaks end within them.
        older_rows = _older_colours(reaching, since, OLDER_REPORTS)
        _prepend_older(histories, older_rows)
        counts = Counter(row.item_id for row in older_rows)
        still = [
            item_id
            for item_id in reaching
            if counts[item_id] == OLDER_REPORTS
            and streak(histories[item_id], until) >= _months_back_to(histories[item_id], until)
        ]
        if still:
            oldest = {item_id: histories[item_id].periods[0] for item_id in still}
            oldest_rows = [
                row
                for row in _older_colours(still, max(oldest.values()), None)
                if row.period < oldest[row.item_id]
            ]
            _prepend_older(histories, oldest_rows)
    return histories


# --- the red list ------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    item: Item
    colour: str
    colour_label: str
    months_in_a_row: int
    change: Change | None
    comment: str
    red_reason: str
    obs: bool
    obs_text: str
    status_period: date
    obs_point: Any = None
    obs_panel: Any = None


@dataclass(frozen=True)
class ChangeRow:
    item: Item
    previous: str | None
    current: str | None
    change: Change | None


@dataclass
class RedList:
    rows: list[ReviewRow]
    changes: list[ChangeRow]
    missing: list[Item]


def build_red_list(
    plan: Any,
    items: Any,
    month: date,
    colour_filter: str | None,
    *,
    panel: Callable[[Item, Any], Any],
) -> RedList:
    """The economy chief's red list for `month`: the red and yellow items (most severe
    first; completed items have left it), what changed colour since last month, and the
    items of the round without a status this month. `panel(item, open_point)` builds
    the OBS controls of a row."""
    changes: list[ChangeRow] = []
    missing: list[Item] = []
    rows: list[ReviewRow] = []
    item_list = list(items.in_plan_order())
    in_round = Item.objects.filter(plan=plan).in_round_ids()
    for item in item_list:
        item.plan = plan  # the OBS rule reads the plan: no query per row
    for line in status_rows(item_list, month, with_obs_events=True):
        item, report, current = line.item, line.report, line.colour
        if line.change in CHANGED and not item.completed:
            changes.append(ChangeRow(item, line.previous_colour, current, line.change))
        if item.pk in in_round and not line.reported_this_month:
            missing.append(item)
        if report is None or current == Colour.GREEN or item.completed:
            continue
        if colour_filter and current != colour_filter:
            continue
        rows.append(
            ReviewRow(
                item=item,
                colour=report.colour,
                colour_label=str(Colour(report.colour).label),
                months_in_a_row=line.months_in_a_row,
                change=line.change,
                comment=report.comment,
                red_reason=line.red_reason_label,
                obs=line.obs,
                obs_text=line.obs_text,
                obs_point=line.obs_point,
                status_period=report.period,
                obs_panel=panel(item, line.obs_point),
            )
        )
    rows.sort(key=lambda row: severity_key(row.colour, row.months_in_a_row))
    return RedList(rows=rows, changes=changes, missing=missing)

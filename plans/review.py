"""The economy chief's review, computed in Python from one fetch of the status history.

Everything here except `load_histories` is pure: plain rows in, plain results out. A month's
status is the latest report at or before that month, so an item that was not reported in
a month keeps last month's colour; a streak counts months of that "as of" colour.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import COLOUR_SEVERITY, Colour, StatusReport
from plans.months import add_months, months_between

NO_STATUS = "none"
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


def change_since_last_month(history: History | None, month: date) -> Change | None:
    return change_between(
        colour_as_of(history, add_months(month, -1)), colour_as_of(history, month)
    )


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


def load_histories(item_ids: Iterable[int] | Any, until: date) -> dict[int, History]:
    """The one query: every report of the items up to and including the month `until`.

    `item_ids` may be a list or a queryset of ids (then it becomes a subquery).
    """
    rows = (
        StatusReport.objects.filter(item_id__in=item_ids, period__lte=until)
        .order_by("item_id", "period", "created_at", "id")
        .values_list("item_id", "period", "colour", "comment", "red_reason", "obs", "obs_text")
    )
    return build_histories(ReportRow(*row) for row in rows)

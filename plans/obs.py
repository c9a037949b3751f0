"""OBS points as the pages and reports read them: which are open in a month, and the
board report's summary of what happened to them.

The points and their verbs live in plans.models (ObsPoint, Item.open_obs); this module
only reads, in one or two queries whatever the number of items.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch

from plans.models import ObsEvent, ObsEventKind, ObsPoint
from plans.months import month_count, month_label


def open_points_by_item(
    item_ids: Iterable[int], month: date | None, *, with_events: bool = False
) -> dict[int, ObsPoint]:
    """Each item's open OBS point in `month` (None: now), by item id. One query (two
    with the events)."""
    points = (
        ObsPoint.objects.filter(item_id__in=list(item_ids))
        .open_at(month)
        .order_by("item_id", "month", "id")
    )
    if with_events:
        points = points.prefetch_related("events")
    # The newest open point wins, should an item ever hold two.
    return {point.item_id: point for point in points}


def months_open(point: ObsPoint, month: date) -> int:
    """Months the point has been open up to and including `month` (its first month is 1)."""
    return month_count(point.month, month)


@dataclass(frozen=True)
class ObsLine:
    item_id: int
    number: str
    title: str
    committee_code: str
    text: str
    opened_label: str
    opened_by: str
    months_open: int
    decision: str = ""
    follow_up_by: str = ""
    due: date | None = None
    closed_reason: str = ""
    closed_by: str = ""


@dataclass(frozen=True)
class ObsSummary:
    """The board report's opening: what happened to the OBS points in the month."""

    new: list[ObsLine] = field(default_factory=list)
    still_open: list[ObsLine] = field(default_factory=list)
    decided: list[ObsLine] = field(default_factory=list)
    closed: list[ObsLine] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.new or self.still_open or self.decided or self.closed)


def obs_summary(items: list[Any], month: date) -> ObsSummary:
    """For the items (in their order): points new in `month`, open from earlier months
    (with months open), decided or followed up by `month` while open, and closed in
    `month`. Two queries: the points, then their events up to `month`."""
    order = {item.pk: index for index, item in enumerate(items)}
    by_id = {item.pk: item for item in items}
    points = list(
        ObsPoint.objects.filter(item_id__in=list(order), month__lte=month).prefetch_related(
            Prefetch(
                "events",
                queryset=ObsEvent.objects.filter(month__lte=month).order_by("created_at", "id"),
            )
        )
    )
    points.sort(key=lambda point: (order[point.item_id], point.month, point.pk))
    summary = ObsSummary()
    for point in points:
        events = list(point.events.all())
        closing = next((e for e in events if e.kind == ObsEventKind.CLOSED), None)
        decisions = [e for e in events if e.kind == ObsEventKind.DECISION]
        if closing is not None and closing.month < month:
            continue  # closed before this report: no longer news
        item = by_id[point.item_id]
        decision = decisions[-1] if decisions else None
        line = ObsLine(
            item_id=item.pk,
            number=item.number,
            title=item.title,
            committee_code=item.committee.code,
            text=point.text,
            opened_label=month_label(point.month),
            opened_by=point.opened_by_name,
            months_open=months_open(point, month),
            decision=decision.text if decision else "",
            follow_up_by=decision.follow_up_by if decision else "",
            due=decision.due if decision else None,
            closed_reason=closing.text if closing else "",
            closed_by=closing.author_name if closing else "",
        )
        if closing is not None:
            summary.closed.append(line)
            continue
        (summary.new if point.month == month else summary.still_open).append(line)
        if decision is not None:
            summary.decided.append(line)
    return summary

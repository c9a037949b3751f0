"""The monthly status round: which items it covers, its deadline, who is missing, and
how a report is saved without silently overwriting someone else's.

No request, no template: views and the reminder command call these. Every function
that depends on the date takes `today` or `month` as a parameter, so tests pass
explicit dates instead of freezing time.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from committees.models import Membership, MembershipRole
from plans.models import Item, ItemQuerySet, StatusReport
from plans.months import add_months, first_of_month, month_label

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class RoundAnnotations(TypedDict):
        """What `with_round` annotates: report ids, None where there is no such report."""

        newest_report_id: int | None
        previous_report_id: int | None
        current_report_id: int | None

    RoundItem = WithAnnotations[Item, RoundAnnotations]


class RoundState(models.TextChoices):
    REPORTED = "reported", _("Afrapporteret")
    PENDING = "pending", _("Afventer")
    MISSING = "missing", _("Mangler")


def deadline_for(month: date) -> date:
    """The day this month's reports are due: settings.STATUS_DEADLINE_DAY, or the last
    day of a short month when the setting is larger (31 in February is the 28th/29th)."""
    last_day = calendar.monthrange(month.year, month.month)[1]
    day = max(1, min(int(settings.STATUS_DEADLINE_DAY), last_day))
    return date(month.year, month.month, day)


def is_past_deadline(today: date) -> bool:
    """After the deadline day of today's month (the deadline day itself still counts)."""
    return today > deadline_for(first_of_month(today))


def round_state(has_report_this_month: bool, today: date) -> RoundState:
    if has_report_this_month:
        return RoundState.REPORTED
    return RoundState.MISSING if is_past_deadline(today) else RoundState.PENDING


def round_items(items: ItemQuerySet) -> ItemQuerySet:
    """The items a round asks about: completed items (X) need no more status."""
    return items.filter(completed=False)


def _reports_of_item() -> models.QuerySet[StatusReport]:
    return StatusReport.objects.filter(item=OuterRef("pk"))


def reported_in(month: date) -> Exists:
    return Exists(_reports_of_item().filter(period=month))


def with_round(items: ItemQuerySet, month: date) -> models.QuerySet[RoundItem]:
    """Annotate what a row of "Mine punkter" needs, in the same query as the items:
    - `newest_report_id`: the last report inserted on the item (any month); the form
      carries it so a later save can tell whether someone reported in between;
    - `previous_report_id`: the latest report of an earlier month;
    - `current_report_id`: the latest report of `month`."""
    latest_first = ("-period", "-created_at", "-id")
    return items.annotate(
        newest_report_id=Subquery(_reports_of_item().order_by("-id").values("id")[:1]),
        previous_report_id=Subquery(
            _reports_of_item().filter(period__lt=month).order_by(*latest_first).values("id")[:1]
        ),
        current_report_id=Subquery(
            _reports_of_item().filter(period=month).order_by(*latest_first).values("id")[:1]
        ),
    )


@dataclass(frozen=True)
class Progress:
    reported: int
    total: int
    month: date

    @property
    def label(self) -> str:
        return _("%(reported)s af %(total)s afrapporteret for %(month)s") % {
            "reported": self.reported,
            "total": self.total,
            "month": month_label(self.month).split(" ")[0],
        }

    @property
    def complete(self) -> bool:
        return self.reported >= self.total


def progress(items: ItemQuerySet, month: date) -> Progress:
    """How many of the round's items have a report for `month`, in one query."""
    ids = round_items(items).values("pk")
    counts = (
        Item.objects.filter(pk__in=ids)
        .annotate(is_reported=reported_in(month))
        .aggregate(total=Count("pk"), reported=Count("pk", filter=Q(is_reported=True)))
    )
    return Progress(reported=counts["reported"], total=counts["total"], month=month)


def missing_items(items: ItemQuerySet, month: date) -> ItemQuerySet:
    """The round's items without any report for `month`."""
    return round_items(items).exclude(reported_in(month))


def previous_month(month: date) -> date:
    return add_months(month, -1)


class StatusConflict(Exception):
    """Someone reported on the item after the form was loaded; nothing was saved."""

    def __init__(self, report: StatusReport) -> None:
        super().__init__(f"Nyere statusrapport {report.pk} på punkt {report.item_id}")
        self.report = report


class NothingToCopy(Exception):
    """Carry-forward or OBS needs an earlier report, and there is none."""


def newer_report(item: Item, seen_report_id: int | None) -> StatusReport | None:
    """The newest report inserted after `seen_report_id` (None: the form saw no report)."""
    reports = item.reports.all()
    if seen_report_id:
        reports = reports.filter(pk__gt=seen_report_id)
    return reports.order_by("-id").first()


def latest_report(item: Item) -> StatusReport | None:
    return item.reports.order_by("-period", "-created_at", "-id").first()


def latest_before(item: Item, month: date) -> StatusReport | None:
    reports = item.reports.filter(period__lt=month)
    return reports.order_by("-period", "-created_at", "-id").first()


@contextmanager
def locked_item(item: Item, seen_report_id: int | None) -> Iterator[None]:
    """Lock the item row, refuse if a report appeared since the form was loaded, and
    run the insert in the same transaction.

    Two saves of the same item therefore run one after the other and the second sees
    the first one's report (PostgreSQL: SELECT ... FOR UPDATE; SQLite serialises
    writers anyway). Raises StatusConflict; then nothing is saved.
    """
    with transaction.atomic():
        Item.objects.select_for_update().filter(pk=item.pk).values_list("pk", flat=True).get()
        conflicting = newer_report(item, seen_report_id)
        if conflicting is not None:
            raise StatusConflict(conflicting)
        yield


def save_status(
    item: Item,
    *,
    author: Any,
    seen_report_id: int | None,
    month: date,
    colour: str,
    comment: str,
    red_reason: str = "",
) -> StatusReport:
    """This month's report. A correction in the same month keeps an OBS mark the
    directors set on the month's report; a new month starts without one."""
    with locked_item(item, seen_report_id):
        latest = latest_report(item)
        keep_obs = latest is not None and latest.obs and latest.period == month
        return item.record_status(
            colour=colour,
            comment=comment,
            red_reason=red_reason,
            period=month,
            author=author,
            obs=keep_obs,
            obs_text=latest.obs_text if keep_obs and latest else "",
        )


def carry_forward(
    item: Item, *, author: Any, seen_report_id: int | None, month: date
) -> StatusReport:
    """ "Uændret siden sidste måned": last report's colour, comment and reason as a new
    report for `month`, marked as carried forward."""
    with locked_item(item, seen_report_id):
        previous = latest_before(item, month)
        if previous is None:
            raise NothingToCopy(_("Der er ingen tidligere status at videreføre."))
        return item.record_status(
            colour=previous.colour,
            comment=previous.comment,
            red_reason=previous.red_reason,
            period=month,
            author=author,
            carried_forward=True,
        )


def set_obs(
    item: Item, *, author: Any, seen_report_id: int | None, obs: bool, obs_text: str = ""
) -> StatusReport:
    """Mark (or unmark) the item's current report as an OBS point: a new report that
    copies the current one, in the same month, with the OBS fields set."""
    with locked_item(item, seen_report_id):
        current = latest_report(item)
        if current is None:
            raise NothingToCopy(_("Punktet har ingen status, der kan markeres som OBS-punkt."))
        return item.record_status(
            colour=current.colour,
            comment=current.comment,
            red_reason=current.red_reason,
            period=current.period,
            author=author,
            obs=obs,
            obs_text=obs_text if obs else "",
            carried_forward=current.carried_forward,
        )


@dataclass
class Reminder:
    """One e-mail: a person and the items they answer for that lack this month's report."""

    user: Any
    items: list[Item]


def reminders_for(plan: Any, month: date) -> list[Reminder]:
    """Who answers for the plan's items that still miss a report for `month`: the
    responsible person and the directors of the owning committee's area (the same
    people as `Item.objects.answered_by`). Only active users with an e-mail address;
    people with nothing missing are not in the list. Three queries whatever the size."""
    missing = list(
        missing_items(plan.items.all(), month)
        .select_related("committee", "responsible")
        .in_plan_order()
    )
    directors: dict[int, list[Any]] = {}
    memberships = Membership.objects.filter(
        role=MembershipRole.DIRECTOR, committee_id__in={item.committee_id for item in missing}
    ).select_related("user")
    for membership in memberships:
        directors.setdefault(membership.committee_id, []).append(membership.user)
    by_user: dict[int, Reminder] = {}
    for item in missing:
        responsible = item.responsible if item.responsible_id else None
        people = [responsible] if responsible is not None else []
        people += directors.get(item.committee_id, [])
        for user in people:
            if not (user.is_active and user.email):
                continue
            reminder = by_user.setdefault(user.pk, Reminder(user=user, items=[]))
            if item not in reminder.items:
                reminder.items.append(item)
    return sorted(by_user.values(), key=lambda reminder: reminder.user.get_username())

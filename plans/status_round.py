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
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict, cast
from urllib.parse import urlencode

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from committees.models import Committee, Membership, MembershipRole
from plans.forms.status import ObsForm, StatusForm
from plans.models import LATEST_FIRST, BudgetPlan, Item, ItemQuerySet, StatusReport
from plans.months import add_months, current_month, first_of_month, month_label
from plans.obs import open_points_by_item

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
    # Open items outside the round: a status when there is news, never "Mangler".
    OPTIONAL = "optional", _("Efter behov")


def deadline_for(month: date) -> date:
    """The day this month's reports are due: settings.STATUS_DEADLINE_DAY, or the last
    day of a short month when the setting is larger (31 in February is the 28th/29th)."""
    last_day = calendar.monthrange(month.year, month.month)[1]
    day = max(1, min(int(settings.STATUS_DEADLINE_DAY), last_day))
    return date(month.year, month.month, day)


def reminder_day(today: date) -> int | None:
    """Which reminder day `today` is for this month's round: the number of days before
    the deadline from settings.STATUS_REMINDER_DAYS (0: the deadline day), or None on
    any other day. A reminder that would fall before the month starts is sent on the
    1st (the round of a month opens on its first day); several that fall on the same
    day are one (the largest number is kept)."""
    month = first_of_month(today)
    deadline = deadline_for(month)
    matching = [
        int(days)
        for days in settings.STATUS_REMINDER_DAYS
        if max(deadline.toordinal() - int(days), month.toordinal()) == today.toordinal()
    ]
    return max(matching) if matching and today <= deadline else None


def is_past_deadline(today: date) -> bool:
    """After the deadline day of today's month (the deadline day itself still counts)."""
    return today > deadline_for(first_of_month(today))


def round_state(has_report_this_month: bool, today: date, in_round: bool = True) -> RoundState:
    if has_report_this_month:
        return RoundState.REPORTED
    if not in_round:
        return RoundState.OPTIONAL
    return RoundState.MISSING if is_past_deadline(today) else RoundState.PENDING


def round_items(items: ItemQuerySet) -> ItemQuerySet:
    """The items a round asks about (`ItemQuerySet.in_round`)."""
    return items.in_round()


def in_round_annotation() -> Exists:
    """Whether the row's item is in the round, in the same query as the items."""
    return Exists(Item.objects.in_round().filter(pk=OuterRef("pk")))


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
    return items.annotate(
        newest_report_id=Subquery(_reports_of_item().order_by("-id").values("id")[:1]),
        previous_report_id=Subquery(
            _reports_of_item().filter(period__lt=month).order_by(*LATEST_FIRST).values("id")[:1]
        ),
        current_report_id=Subquery(
            _reports_of_item().filter(period=month).order_by(*LATEST_FIRST).values("id")[:1]
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


REPORT_PERM = "plans.report_status"
OBS_PERM = "plans.mark_obs"


def may_act(user: Any, perm: str, item: Item) -> bool:
    """The rule for every status action. Superusers pass every `has_perm`, so the
    archived-plan refusal is repeated here: an archived plan is a closed record."""
    return not item.plan.is_archived and user.has_perm(perm, item)


@dataclass
class StatusRow:
    item: Item
    previous: StatusReport | None
    current: StatusReport | None
    newest_report_id: int | None
    state: RoundState
    can_report: bool
    can_mark_obs: bool
    in_round: bool = True
    form: StatusForm | None = None  # set by the view
    obs_form: ObsForm | None = None
    conflict: StatusReport | None = None
    obs_point: Any = None
    errors: list[str] = field(default_factory=list)
    saved: str = ""

    @property
    def latest(self) -> StatusReport | None:
        return self.current or self.previous

    @property
    def can_carry_forward(self) -> bool:
        return self.can_report and self.previous is not None and self.current is None

    @property
    def preselected(self) -> bool:
        """Ticked for "Bekræft alle uændrede": in the round, a status last month and
        none this month."""
        return self.in_round and self.can_carry_forward

    @property
    def is_missing(self) -> bool:
        return self.in_round and self.current is None


def round_rows(
    user: Any, plan: BudgetPlan, items: ItemQuerySet, month: date, today: date
) -> list[StatusRow]:
    """One row per item of `items` for `month`, without forms: two queries (the items,
    then the reports they point at)."""
    item_list = list(
        with_round(items, month)
        .annotate(is_in_round=in_round_annotation())
        .select_related("committee", "responsible")
    )
    report_ids = {
        report_id
        for item in item_list
        for report_id in (item.previous_report_id, item.current_report_id)
        if report_id
    }
    reports = StatusReport.objects.in_bulk(report_ids) if report_ids else {}
    obs_points = open_points_by_item([item.pk for item in item_list], None)
    rows = []
    for item in item_list:
        item.plan = plan
        current = reports.get(item.current_report_id)
        previous = reports.get(item.previous_report_id)
        row = StatusRow(
            item=item,
            previous=previous,
            current=current,
            newest_report_id=item.newest_report_id,
            state=round_state(current is not None, today, item.is_in_round),
            can_report=may_act(user, REPORT_PERM, item),
            can_mark_obs=may_act(user, OBS_PERM, item),
            in_round=item.is_in_round,
            obs_point=obs_points.get(item.pk),
        )
        rows.append(row)
    return rows


def group_by_committee(rows: list[StatusRow]) -> list[tuple[Any, list[StatusRow]]]:
    groups: dict[int, tuple[Any, list[StatusRow]]] = {}
    for row in sorted(rows, key=lambda row: (row.item.committee.order, row.item.committee.code)):
        groups.setdefault(row.item.committee_id, (row.item.committee, []))[1].append(row)
    return list(groups.values())


@dataclass
class Scope:
    """Whose round the page shows: the signed-in person's own items, or, for those who
    may report on every item (economy chief, administrators), one committee's items
    chosen with `?committee=CODE`."""

    committee: Committee | None = None
    committees: list[Committee] = field(default_factory=list)
    error: str = ""

    @classmethod
    def from_params(cls, user: Any, params: Any) -> Scope:
        if not user.has_perm("plans.report_any_committee"):
            return cls()
        committees = list(Committee.objects.all())
        code = " ".join(str(params.get("committee", "")).split()).casefold()
        if not code:
            return cls(committees=committees)
        for committee in committees:
            if code in (committee.code.casefold(), committee.name.casefold()):
                return cls(committee=committee, committees=committees)
        error = gettext("Udvalget «%(code)s» findes ikke; her er dine egne punkter.") % {
            "code": params.get("committee")
        }
        return cls(committees=committees, error=error)

    def all_items(self, plan: BudgetPlan, user: Any) -> ItemQuerySet:
        """Every item in the scope, completed ones too."""
        if self.committee is not None:
            return Item.objects.filter(plan=plan, committee=self.committee)
        return Item.objects.filter(plan=plan).answered_by(user)

    def items(self, plan: BudgetPlan, user: Any) -> ItemQuerySet:
        """The scope's items in the round."""
        return round_items(self.all_items(plan, user))

    def open_items(self, plan: BudgetPlan, user: Any) -> ItemQuerySet:
        """The scope's open items: the round's and those reported when there is news."""
        return self.all_items(plan, user).filter(completed=False)

    @property
    def query(self) -> str:
        return f"?{urlencode({'committee': self.committee.code})}" if self.committee else ""


def round_summary(items: ItemQuerySet, month: date, today: date) -> dict[str, Any]:
    """The round's month, deadline and progress over `items`."""
    return {
        "month": month,
        "month_label": month_label(month),
        "deadline": deadline_for(month),
        "past_deadline": today > deadline_for(month),
        "progress": progress(items, month),
    }


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
    return item.reports.order_by(*LATEST_FIRST).first()


def latest_before(item: Item, month: date) -> StatusReport | None:
    reports = item.reports.filter(period__lt=month)
    return reports.order_by(*LATEST_FIRST).first()


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
    """This month's report. An open OBS point stays open: it lives on the item."""
    with locked_item(item, seen_report_id):
        return item.record_status(
            colour=colour, comment=comment, red_reason=red_reason, period=month, author=author
        )


def carry_forward_status(
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


@dataclass
class BulkResult:
    """What "Bekræft alle uændrede" did with one ticked item: saved (`report`), or why
    not (`error`, with the other person's `conflict` report when that was the reason)."""

    item_id: int
    number: str
    report: StatusReport | None = None
    conflict: StatusReport | None = None
    error: str = ""

    @property
    def saved(self) -> bool:
        return self.report is not None


def carry_forward_statuses(
    user: Any, plan: BudgetPlan, seen: dict[int, int | None], month: date
) -> list[BulkResult]:
    """ "Bekræft alle uændrede": `carry_forward_status` (the single button's function) for each
    ticked item, `seen` mapping its id to the newest report id the page showed. Each item
    is saved or refused on its own, in plan order: refused when it is completed, when
    the person may not report on it, when it already has this month's report, or when
    someone reported after the page was opened (the single save's conflict rule)."""
    items = list(
        Item.objects.filter(plan=plan, pk__in=seen)
        .annotate(has_current=reported_in(month))
        .select_related("plan", "committee", "responsible")
        .in_plan_order()
    )
    results = []
    for item in items:
        result = BulkResult(item_id=item.pk, number=item.number)
        results.append(result)
        if item.completed:
            # Completed after the page was opened: it has left the round.
            result.error = gettext("Punktet er afsluttet (X) og får ikke flere statusser.")
            continue
        if not may_act(user, REPORT_PERM, item):
            result.error = gettext("Du kan ikke afgive status på punktet.")
            continue
        try:
            # locked_item's conflict check also refuses an item that got a report after
            # the page was opened; this refuses one the page already showed as reported.
            has_current = cast(Any, item).has_current  # annotated above
            if has_current and newer_report(item, seen[item.pk]) is None:
                result.error = gettext("Punktet har allerede status for denne måned.")
                continue
            result.report = carry_forward_status(
                item, author=user, seen_report_id=seen[item.pk], month=month
            )
        except StatusConflict as conflict:
            result.conflict = conflict.report
            result.error = gettext(
                "Ikke gemt: %(author)s har afgivet en ny status, efter at du åbnede siden."
            ) % {"author": conflict.report.author_name or gettext("en anden")}
        except NothingToCopy as error:
            result.error = str(error)
    unknown = set(seen) - {item.pk for item in items}
    results += [
        BulkResult(item_id=pk, number="", error=gettext("Punktet findes ikke i planen."))
        for pk in sorted(unknown)
    ]
    return results


def set_obs(
    item: Item,
    *,
    author: Any,
    seen_report_id: int | None,
    obs: bool,
    obs_text: str = "",
    month: date | None = None,
) -> Any:
    """Raise an OBS point on the item (obs=True), or close its open one with `obs_text`
    as the reason. Refused when a status arrived since the form was loaded."""
    with locked_item(item, seen_report_id):
        current = latest_report(item)
        if current is None:
            raise NothingToCopy(_("Punktet har ingen status, der kan markeres som OBS-punkt."))
        month = month or current_month()
        if obs:
            return item.open_obs(text=obs_text, author=author, month=month)
        point = item.open_obs_point()
        if point is None:
            raise NothingToCopy(_("Punktet har intet åbent OBS-punkt."))
        return point.close(reason=obs_text, author=author, month=month)


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

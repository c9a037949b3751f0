"""A committee's work plan (arbejdsplan): the plan's items it is to treat, by month and
meeting, built from each item's political treatment (plans.treatments).

Each treatment naming the committee becomes a row. A row is placed at the committee's
meeting on its day (treatment "at a meeting"), or at the committee's first meeting in its
month or quarter from today on; without such a meeting it stands under its month. A row
whose period has ended while the item is still open is overdue. Completed items and
items "indgår i driften" are not in it (the latter are counted).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from committees.models import Committee, Meeting
from plans.models import BudgetPlan, Item
from plans.months import danish_date, first_of_month, month_label
from plans.treatments import MEETING, Treatment, parse_treatment


@dataclass
class WorkPlanRow:
    item_id: int
    number: str
    title: str
    owner: str
    treatment: Treatment
    overdue: bool
    meeting: Meeting | None = None

    @property
    def committees_label(self) -> str:
        return ", ".join(self.treatment.committees)

    @property
    def when(self) -> str:
        return self.treatment.label


@dataclass
class WorkPlanGroup:
    sort_key: date
    title: str
    meeting: Meeting | None
    rows: list[WorkPlanRow] = field(default_factory=list)


@dataclass
class WorkPlan:
    plan: BudgetPlan
    committee: Committee
    today: date
    overdue: list[WorkPlanRow]
    groups: list[WorkPlanGroup]
    operations_count: int
    problems: list[tuple[str, str]]  # (item number, Danish message) of its own items
    municipality: str = ""

    @property
    def title(self) -> str:
        return _("Arbejdsplan for %(committee)s") % {"committee": self.committee.name}

    @property
    def today_label(self) -> str:
        return danish_date(self.today)

    @property
    def row_count(self) -> int:
        return len(self.overdue) + sum(len(group.rows) for group in self.groups)

    @property
    def filename(self) -> str:
        return f"arbejdsplan-{self.plan.slug}-{self.committee.code}-{self.today:%Y-%m-%d}"


def plan_treatments(
    plan: BudgetPlan, *, include_completed: bool = False
) -> tuple[list[tuple[Any, Treatment]], dict[int, bool], list[tuple[str, str, str]]]:
    """Every (item row, treatment) of the plan, which items are "indgår i driften", and
    the texts that could not be read. One query for the items, one for the committees."""
    known = list(Committee.objects.values_list("code", "name"))
    items = Item.objects.filter(plan=plan).exclude(political_treatment="").in_plan_order()
    if not include_completed:
        items = items.filter(completed=False)
    found: list[tuple[Any, Treatment]] = []
    operations: dict[int, bool] = {}
    problems: list[tuple[str, str, str]] = []  # (number, owning committee, message)
    for row in items.values("id", "number", "title", "committee__code", "political_treatment"):
        parsed = parse_treatment(row["political_treatment"], known)
        if parsed.operations:
            operations[row["id"]] = True
        problems += [(row["number"], row["committee__code"], error) for error in parsed.errors]
        found += [(row, treatment) for treatment in parsed.treatments]
    return found, operations, problems


def _meeting_for(treatment: Treatment, meetings: list[Meeting], today: date) -> Meeting | None:
    if treatment.precision == MEETING:
        return next((m for m in meetings if m.date == treatment.start), None)
    within = [m for m in meetings if treatment.start <= m.date <= treatment.end]
    upcoming = [m for m in within if m.date >= today]
    candidates = upcoming or within
    return candidates[0] if candidates else None


def build_work_plan(plan: BudgetPlan, committee: Committee, today: date) -> WorkPlan:
    found, operations, problems = plan_treatments(plan)
    meetings = list(Meeting.objects.filter(plan=plan, body=committee).order_by("date"))
    overdue: list[WorkPlanRow] = []
    groups: dict[Any, WorkPlanGroup] = {}
    for row, treatment in found:
        if committee.code not in treatment.committees:
            continue
        entry = WorkPlanRow(
            item_id=row["id"],
            number=row["number"],
            title=row["title"],
            owner=row["committee__code"],
            treatment=treatment,
            overdue=treatment.overdue(today),
            meeting=_meeting_for(treatment, meetings, today),
        )
        if entry.overdue:
            overdue.append(entry)
            continue
        if entry.meeting is not None:
            key: Any = ("meeting", entry.meeting.pk)
            title = _("Møde %(date)s") % {"date": f"{entry.meeting.date:%d-%m-%Y}"}
            sort_key = entry.meeting.date
        else:
            key = ("month", first_of_month(treatment.start))
            title = month_label(treatment.start).capitalize()
            sort_key = first_of_month(treatment.start)
        group = groups.setdefault(key, WorkPlanGroup(sort_key, title, entry.meeting))
        group.rows.append(entry)
    ordered = sorted(groups.values(), key=lambda group: (group.sort_key, group.meeting is None))
    overdue.sort(key=lambda entry: entry.treatment.start)
    return WorkPlan(
        plan=plan,
        committee=committee,
        today=today,
        overdue=overdue,
        groups=ordered,
        operations_count=len(operations),
        problems=[(number, error) for number, owner, error in problems if owner == committee.code],
        municipality=settings.MUNICIPALITY_NAME,
    )

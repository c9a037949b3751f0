"""What the annual wheel's iCalendar feed holds: the plan's meetings, the political
treatments of the committees' work plans and the monthly status deadlines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from committees.ical import Event
from committees.models import Meeting
from committees.workplan import plan_treatments
from plans.models import BudgetPlan
from plans.months import month_label, months_between
from plans.status_round import deadline_for
from plans.treatments import MEETING


def meeting_events(meetings: Any, host: str, url_for: Callable[[Meeting], str]) -> list[Event]:
    events = []
    for meeting in meetings:
        lines = [f"{meeting.body.name}: {meeting.title}"]
        if meeting.case_number:
            lines.append(_("Sag %(number)s") % {"number": meeting.case_number})
        focus = meeting.focus_theme or meeting.focus_committee
        if focus:
            lines.append(_("Fokusområde: %(focus)s") % {"focus": focus})
        if meeting.agenda_text:
            lines.append(meeting.agenda_text)
        events.append(
            Event(
                uid=f"meeting-{meeting.pk}@{host}",
                day=meeting.date,
                summary=f"{meeting.body.code}: {meeting.title}",
                description="\n".join(lines),
                url=url_for(meeting),
            )
        )
    return events


def treatment_events(plan: BudgetPlan, host: str) -> list[Event]:
    """One event per political treatment of an open item: on the meeting's day, or over
    its month or quarter."""
    found, _operations, _problems = plan_treatments(plan)
    events = []
    for index, (row, treatment) in enumerate(found):
        committees = ", ".join(treatment.committees)
        events.append(
            Event(
                uid=f"treatment-{row['id']}-{index}@{host}",
                day=treatment.start,
                end=None if treatment.precision == MEETING else treatment.end,
                summary=_("%(committees)s: politisk behandling af %(number)s %(title)s")
                % {"committees": committees, "number": row["number"], "title": row["title"]},
                description=_("Arbejdsplan: %(committees)s, %(when)s (%(owner)s)")
                % {
                    "committees": committees,
                    "when": treatment.label,
                    "owner": row["committee__code"],
                },
            )
        )
    return events


def deadline_events(plan: BudgetPlan, host: str) -> list[Event]:
    """The monthly status deadline (settings.STATUS_DEADLINE_DAY) of every month of the plan."""
    months = months_between(date(plan.first_year, 1, 1), date(plan.last_year, 12, 1))
    return [
        Event(
            uid=f"status-deadline-{month:%Y-%m}@{host}",
            day=deadline_for(month),
            summary=_("Frist for månedlig status (%(month)s)") % {"month": month_label(month)},
        )
        for month in months
    ]

"""The board report (Statusrapport til direktionen, a bilag to Direktionen): context in,
PDF bytes out.

`build_board_report` reads the plan's cross-cutting, public items and their status history
once and returns a plain dataclass; `render_board_report_pdf` turns it into a PDF through
our own print template. The web preview, the publish view and the `status_report` command
all call these two, so the three can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from plans.formatting import danish_number
from plans.models import (
    COLOUR_SYMBOLS,
    COLOUR_TEXTS,
    KIND_SECTION_TITLES,
    NO_STATUS,
    BudgetPlan,
    Colour,
    Item,
    Kind,
)
from plans.months import danish_date, month_key, month_label
from plans.obs import ObsSummary, obs_summary
from plans.pdf import render_pdf
from plans.review import (
    CHANGED,
    Change,
    count_colours,
    status_rows,
)

TEMPLATE = "plans/pdf/board_report.html"
# A shape per colour as well as the word, so a black-and-white print still tells them apart.
CHANGED_MARK = "▲"


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str
    symbol: str
    text: str


@dataclass(frozen=True)
class BoardRow:
    item_id: int
    number: str
    title: str
    committee_code: str
    responsible: str
    timing: str
    completed: bool
    colour: str | None
    colour_label: str
    symbol: str
    status_period_label: str
    reported_this_month: bool
    comment: str
    red_reason: str
    obs: bool
    obs_text: str
    change: Change | None
    change_label: str
    changed: bool
    previous_colour_label: str
    months_in_a_row: str


@dataclass(frozen=True)
class BoardSection:
    title: str
    rows: list[BoardRow]


@dataclass(frozen=True)
class BoardReport:
    plan_slug: str
    plan_title: str
    municipality: str
    case_number: str
    period: date
    meeting_date: date | None
    legend: list[LegendEntry]
    sections: list[BoardSection]
    counts: list[tuple[str, str, str]] = field(default_factory=list)
    draft: bool = False
    obs: ObsSummary = field(default_factory=ObsSummary)
    # "Erstatter udgaven af ...": set when this edition replaces one for the same meeting.
    replaces: str = ""
    # The meeting's focus area and invited heads of department (set for a meeting's attachment).
    focus: str = ""
    invited: list[str] = field(default_factory=list)

    @property
    def period_key(self) -> str:
        return month_key(self.period)

    @property
    def period_label(self) -> str:
        return month_label(self.period)

    @property
    def meeting_date_label(self) -> str:
        return danish_date(self.meeting_date) if self.meeting_date else ""

    @property
    def title(self) -> str:
        return _("Status på tværgående indsatser, %(month)s – %(plan)s") % {
            "month": self.period_label,
            "plan": self.plan_title,
        }

    @property
    def rows(self) -> list[BoardRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def changed_count(self) -> int:
        return sum(1 for row in self.rows if row.changed)

    @property
    def filename(self) -> str:
        suffix = "-kladde" if self.draft else ""
        return f"statusrapport-{self.plan_slug}-{self.period_key}{suffix}.pdf"


def legend() -> list[LegendEntry]:
    return [
        LegendEntry(
            colour.value, str(colour.label), COLOUR_SYMBOLS[colour.value], str(COLOUR_TEXTS[colour])
        )
        for colour in (Colour.GREEN, Colour.YELLOW, Colour.RED)
    ]


def _colour_label(colour: str | None) -> str:
    return str(Colour(colour).label) if colour else _("Ingen status")


def build_board_report(
    plan: BudgetPlan,
    period: date,
    *,
    meeting_date: date | None = None,
    case_number: str | None = None,
    draft: bool = False,
    replaces: str = "",
) -> BoardReport:
    """Every public, cross-cutting item of the plan with its status as of `period`,
    opened by a summary of the items' OBS points in `period`.

    Non-public items are left out: the report is an open case (Åben sag).
    """
    items = list(
        Item.objects.filter(plan=plan, cross_cutting=True, public=True)
        .select_related("committee", "responsible")
        .in_plan_order()
    )
    sections: dict[str, list[BoardRow]] = {kind: [] for kind in KIND_SECTION_TITLES}
    colour_pairs: list[tuple[str, str | None]] = []
    completed_count = 0
    for line in status_rows(items, period):
        item, report, colour, change = line.item, line.report, line.colour, line.change
        if item.completed:
            # Counted as done, not under the colour it last had (it has left the round).
            completed_count += 1
        else:
            colour_pairs.append(("all", colour))
        sections[item.kind].append(
            BoardRow(
                item_id=item.pk,
                number=item.number,
                title=item.title,
                committee_code=item.committee.code,
                responsible=item.responsible_display,
                timing=item.timing,
                completed=item.completed,
                colour=colour,
                colour_label=_colour_label(colour),
                symbol=COLOUR_SYMBOLS.get(colour or "", "○"),
                status_period_label=month_label(report.period) if report else "",
                reported_this_month=bool(report and report.period == period),
                comment=report.comment if report else "",
                red_reason=line.red_reason_label,
                obs=line.obs,
                obs_text=line.obs_text,
                change=change,
                change_label=str(change.label) if change else "",
                changed=change in CHANGED,
                previous_colour_label=_colour_label(line.previous_colour),
                months_in_a_row=danish_number(line.months_in_a_row),
            )
        )
    totals = count_colours(colour_pairs, ["all"])[0]
    counts = [
        (key, _colour_label(None if key == NO_STATUS else key), danish_number(totals.get(key)))
        for key in (Colour.RED.value, Colour.YELLOW.value, Colour.GREEN.value, NO_STATUS)
    ]
    if completed_count:
        counts.append(("completed", f"X {_('Afsluttet')}", danish_number(completed_count)))
    return BoardReport(
        plan_slug=plan.slug,
        plan_title=plan.title,
        municipality=settings.MUNICIPALITY_NAME,
        case_number=plan.case_number if case_number is None else case_number,
        period=period,
        meeting_date=meeting_date,
        legend=legend(),
        sections=[
            BoardSection(str(KIND_SECTION_TITLES[Kind(kind)]), rows)
            for kind, rows in sections.items()
            if rows
        ],
        counts=counts,
        draft=draft,
        obs=obs_summary(items, period),
        replaces=replaces,
    )


def render_board_report_pdf(report: BoardReport) -> bytes:
    return render_pdf(TEMPLATE, {"report": report, "changed_mark": CHANGED_MARK})

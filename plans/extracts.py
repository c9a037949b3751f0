"""A committee's extract of the plan: the data once, then HTML, PDF (and Excel elsewhere).

`build_extract` does the database work (a handful of queries whatever the size) and
formats every figure in Python, so the templates only place ready strings; that is
what keeps both the HTML preview and the WeasyPrint layout fast.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from committees.models import Committee, CommitteeNote
from plans.agenda import text_blocks
from plans.formatting import danish_number
from plans.models import (
    COLOUR_SYMBOLS,
    COLOUR_TEXTS,
    KIND_SECTION_TITLES,
    NARRATIVE_FIELDS,
    BudgetPlan,
    Colour,
    ExtractRelation,
    Item,
    ItemAmount,
    Kind,
)
from plans.months import danish_date, first_of_month, month_key, month_label
from plans.narrative import NARRATIVE_LABELS
from plans.pdf import render_pdf

# How an item comes to be in a committee's extract (each item counted once, first match).
OWN = ExtractRelation.OWN
ALSO = ExtractRelation.ALSO
CROSS = ExtractRelation.CROSS


@dataclass
class ExtractRow:
    item_id: int
    number: str
    title: str
    markers: str
    committee_code: str
    relation: str
    amounts: list[str]
    timing: str
    completed: bool
    public: bool
    colour: str  # "green" / "yellow" / "red" or "" when no status yet
    colour_label: str
    colour_symbol: str
    status_comment: str
    status_period: str
    obs: bool
    obs_text: str
    notes: list[str] = field(default_factory=list)
    # (label, text) of the item's narrative, when the extract is "med beskrivelser".
    narrative: list[tuple[str, str]] = field(default_factory=list)

    @property
    def show_committee(self) -> bool:
        """Name the owning committee only when it is not the extract's own."""
        return self.relation != OWN


@dataclass
class ExtractSection:
    kind: str
    kind_title: str
    heading: str | None
    rows: list[ExtractRow]
    totals: list[str]

    @property
    def title(self) -> str:
        return f"{self.kind_title} – {self.heading}" if self.heading else self.kind_title


@dataclass
class Extract:
    plan: BudgetPlan
    committee: Committee | None
    as_of: date
    public: bool
    meeting_date: date | None
    case_number: str
    municipality: str
    title: str
    years: list[int]
    sections: list[ExtractSection]
    legend: list[tuple[str, str, str, str]]  # (colour, symbol, label, text)
    agenda_text: str | None = None
    narrative: bool = False
    recipient: Committee | None = None  # the whole plan's body (ØK, KB, Hovedudvalget)

    @property
    def column_count(self) -> int:
        return len(self.years) + 5

    @property
    def narrative_span(self) -> int:
        """The narrative row spans every column but the number's."""
        return self.column_count - 1

    @property
    def year_labels(self) -> list[str]:
        return [str(year) for year in self.years]

    @property
    def rows(self) -> list[ExtractRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def item_count(self) -> int:
        return sum(len(section.rows) for section in self.sections)

    @property
    def relation_counts(self) -> Counter[str]:
        return Counter(row.relation for row in self.rows)

    @property
    def completed_count(self) -> int:
        return sum(1 for row in self.rows if row.completed)

    @property
    def colour_counts(self) -> Counter[str]:
        """Items per colour as of the month; "" counts the items with no status yet."""
        return Counter(row.colour for row in self.rows)

    @property
    def access_label(self) -> str:
        return _("Åben sag") if self.public else _("Intern")

    @property
    def as_of_key(self) -> str:
        return month_key(self.as_of)

    @property
    def as_of_label(self) -> str:
        return month_label(self.as_of)

    @property
    def meeting_date_label(self) -> str:
        return danish_date(self.meeting_date) if self.meeting_date else ""

    @property
    def attachment_name(self) -> str:
        """The agenda's attachment line, e.g. "Åben AU Udmøntningsplan 2025-2028"."""
        code = self.committee.code if self.committee else ""
        access = _("Åben") if self.public else _("Intern")
        return " ".join(part for part in (access, code, self.plan.title) if part)

    @property
    def agenda_blocks(self) -> list[tuple[str, Any]]:
        return text_blocks(self.agenda_text or "")

    @property
    def filename(self) -> str:
        code = self.committee.code if self.committee else "samlet"
        version = "aaben" if self.public else "intern"
        return f"udmoentningsplan-{self.plan.slug}-{code}-{self.as_of_key}-{version}"


def extract_title(plan: BudgetPlan, committee: Committee | None) -> str:
    if committee is None:
        return plan.title
    return _("%(plan)s – udsnit for %(committee)s") % {
        "plan": plan.title,
        "committee": committee.name,
    }


def extract_items(plan: BudgetPlan, committee: Committee | None, public: bool) -> Any:
    items = Item.objects.filter(plan=plan)
    if committee is not None:
        items = items.in_extract_for(committee)
    if public:
        items = items.filter(public=True)
    return items


def build_extract(
    plan: BudgetPlan,
    committee: Committee | None,
    as_of: date,
    *,
    public: bool = True,
    meeting_date: date | None = None,
    case_number: str | None = None,
    agenda_text: str | None = None,
    narrative: bool | None = None,
) -> Extract:
    """The committee's items (own, also-concerned, cross-cutting) as of a month.

    `committee=None` gives the whole plan. The public version leaves out items and
    notes that are not public. `narrative` ("med beskrivelser") adds each item's Kursen,
    Koordinering, Commitment and Direktionens rolle; by default a committee's extract has
    them and the whole plan does not.
    With a meeting date, the committee remarks are those made before that day: remarks
    recorded at the meeting belong to later attachments.
    """
    if narrative is None:
        narrative = committee is not None
    as_of = first_of_month(as_of)
    years = plan.years
    rows = list(
        extract_items(plan, committee, public)
        .with_status(as_of)
        .in_plan_order()
        .values(
            "id",
            "kind",
            "number",
            "title",
            "markers",
            "timing",
            "completed",
            "public",
            "cross_cutting",
            "committee_id",
            "committee__code",
            "heading__name",
            "status_colour",
            "status_comment",
            "status_period",
            "status_obs",
            "status_obs_text",
            *(NARRATIVE_FIELDS if narrative else ()),
        )
    )
    ids = [row["id"] for row in rows]

    amounts: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for item_id, year, amount in ItemAmount.objects.filter(item_id__in=ids).values_list(
        "item_id", "year", "amount"
    ):
        amounts[item_id][year] = amount

    also_ids: set[int] = set()
    if committee is not None:
        also_ids = set(
            Item.also_committees.through.objects.filter(
                item_id__in=ids, committee_id=committee.pk
            ).values_list("item_id", flat=True)
        )

    notes: dict[int, list[str]] = defaultdict(list)
    note_filter = Q(item_id__in=ids)
    if committee is not None:
        note_filter &= Q(committee=committee)
    if public:
        note_filter &= Q(public=True)
    if meeting_date is not None:
        note_filter &= Q(date__lt=meeting_date)
    for item_id, note_date, text, code, note_public in (
        CommitteeNote.objects.filter(note_filter)
        .order_by("date", "id")
        .values_list("item_id", "date", "text", "committee__code", "public")
    ):
        prefix = (
            f"{note_date:%d-%m-%Y}" if committee is not None else f"{code} {note_date:%d-%m-%Y}"
        )
        suffix = "" if note_public else f" ({_('ikke offentlig')})"
        notes[item_id].append(f"{prefix}: {text}{suffix}")

    sections: list[ExtractSection] = []
    current: ExtractSection | None = None
    section_sums: list[Decimal] = []
    for row in rows:
        kind, heading = row["kind"], row["heading__name"] if row["kind"] == Kind.HENSIGT else None
        if current is None or current.kind != kind or current.heading != heading:
            if current is not None:
                current.totals = [danish_number(total) for total in section_sums]
            current = ExtractSection(kind, str(KIND_SECTION_TITLES[Kind(kind)]), heading, [], [])
            sections.append(current)
            section_sums = [Decimal(0)] * len(years)
        item_amounts = amounts.get(row["id"], {})
        values = [item_amounts.get(year, Decimal(0)) for year in years]
        section_sums = [total + value for total, value in zip(section_sums, values, strict=True)]
        colour = row["status_colour"] or ""
        if committee is None:
            relation = ""
        elif row["committee_id"] == committee.pk:
            relation = OWN
        elif row["id"] in also_ids:
            relation = ALSO
        else:
            relation = CROSS
        current.rows.append(
            ExtractRow(
                item_id=row["id"],
                number=row["number"],
                title=row["title"],
                markers=row["markers"],
                committee_code=row["committee__code"],
                relation=relation,
                # A blank is "no change that year"; it also keeps the PDF layout light.
                amounts=[danish_number(value, blank_zero=True) for value in values],
                timing=row["timing"],
                completed=row["completed"],
                public=row["public"],
                colour=colour,
                colour_label=str(Colour(colour).label) if colour else "",
                colour_symbol=COLOUR_SYMBOLS[Colour(colour)] if colour else "",
                status_comment=row["status_comment"] or "",
                status_period=month_key(row["status_period"]) if row["status_period"] else "",
                obs=bool(row["status_obs"]),
                obs_text=row["status_obs_text"] or "",
                notes=notes.get(row["id"], []),
                narrative=[
                    (str(NARRATIVE_LABELS[name]), row[name])
                    for name in (NARRATIVE_FIELDS if narrative else ())
                    if row[name]
                ],
            )
        )
    if current is not None:
        current.totals = [danish_number(total) for total in section_sums]

    legend = [
        (colour.value, COLOUR_SYMBOLS[colour], str(colour.label), str(COLOUR_TEXTS[colour]))
        for colour in Colour
    ]
    return Extract(
        plan=plan,
        committee=committee,
        as_of=as_of,
        public=public,
        meeting_date=meeting_date,
        case_number=plan.case_number if case_number is None else case_number,
        municipality=settings.MUNICIPALITY_NAME,
        title=extract_title(plan, committee),
        years=years,
        sections=sections,
        legend=legend,
        agenda_text=agenda_text or None,
        narrative=narrative,
    )


def render_extract_pdf(extract: Extract) -> bytes:
    """The extract as an A4, tagged PDF (title and language from the template)."""
    return render_pdf("plans/pdf/extract.html", {"extract": extract})

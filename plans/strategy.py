"""The strategic view: per theme, its items with their current colours and a count per colour.

Context in, no HTML: the page and the PDF for the board's twice-yearly review both use it.
A fixed number of queries, however many themes and items the plan has.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext

from plans.models import COLOUR_TEXTS, NO_STATUS, BudgetPlan, Colour, Item, Theme

# The order the counts are shown in: the worst first, as the board reads them.
COUNT_ORDER = [Colour.RED, Colour.YELLOW, Colour.GREEN]


@dataclass(frozen=True)
class ColourCount:
    colour: str  # a Colour value, or "none"
    label: str
    count: int


@dataclass
class ThemeSection:
    theme: Theme
    items: list[Item] = field(default_factory=list)

    @property
    def counts(self) -> list[ColourCount]:
        return colour_counts(self.items)

    @property
    def completed_count(self) -> int:
        return sum(1 for item in self.items if item.completed)


@dataclass
class StrategicView:
    plan: BudgetPlan
    as_of: date
    sections: list[ThemeSection]
    unthemed_count: int

    @property
    def counts(self) -> list[ColourCount]:
        """Totals over the distinct items linked to any theme."""
        unique = {item.pk: item for section in self.sections for item in section.items}
        return colour_counts(list(unique.values()))

    @property
    def themed_count(self) -> int:
        return len({item.pk for section in self.sections for item in section.items})


def colour_counts(items: list[Item]) -> list[ColourCount]:
    tally = Counter(getattr(item, "status_colour", None) or NO_STATUS for item in items)
    counts = [
        ColourCount(colour.value, str(colour.label), tally[colour.value]) for colour in COUNT_ORDER
    ]
    counts.append(ColourCount(NO_STATUS, gettext("Ingen status"), tally[NO_STATUS]))
    return counts


def build_strategy(plan: BudgetPlan, as_of: date) -> StrategicView:
    """Every theme of the plan, in its order, with its items in plan order and the latest
    status at or before the month `as_of`."""
    themes = list(Theme.objects.filter(plan=plan).order_by("order", "name"))
    links = list(
        Item.themes.through.objects.filter(theme__plan=plan).values_list("theme_id", "item_id")
    )
    linked_ids = {item_id for _, item_id in links}
    items = {
        item.pk: item
        for item in Item.objects.filter(pk__in=linked_ids)
        .with_status(as_of)
        .select_related("committee")
        .in_plan_order()
    }
    positions = {pk: position for position, pk in enumerate(items)}
    by_theme: dict[int, list[int]] = {}
    for theme_id, item_id in links:
        by_theme.setdefault(theme_id, []).append(item_id)
    sections = []
    for theme in themes:
        ids = sorted(by_theme.get(theme.pk, []), key=lambda pk: positions.get(pk, 0))
        sections.append(ThemeSection(theme, [items[pk] for pk in ids if pk in items]))
    unthemed = Item.objects.filter(plan=plan).exclude(pk__in=linked_ids).count()
    return StrategicView(plan=plan, as_of=as_of, sections=sections, unthemed_count=unthemed)


def colour_legend() -> list[tuple[str, str, str]]:
    """(colour, word, the municipality's text) for the legend under the view."""
    return [(colour.value, str(colour.label), str(COLOUR_TEXTS[colour])) for colour in Colour]

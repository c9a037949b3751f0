"""Rolling a plan over to the next budget period (e.g. 2025-2028 -> 2026-2029).

`preview_roll_over` says what would be copied and what not, and why, without writing
anything; `roll_over_plan` does it in one transaction. The management command and the
administrator page both call these and hold no logic of their own.

What is copied: every open item (not completed) with its committees, heading, themes,
markers, timing, responsible person, description and the amounts for the years that
still fall inside the new plan; each copy points to its origin. Headings and themes are
created in the new plan with the same names. An open OBS point lives until it is closed,
so it is copied to the item's copy with its decisions and follow-ups (an archived plan
cannot close it). The old plan is left as it is, except that it is archived when asked.
Status history, closed OBS points and committee notes stay with the old items, where
they belong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from plans.models import (
    BudgetPlan,
    Heading,
    Item,
    ItemAmount,
    ObsEvent,
    ObsPoint,
    PlanState,
    Theme,
)


class RollOverError(ValueError):
    """A user mistake (bad or taken slug, ...): the message is Danish and shown as is."""


@dataclass(frozen=True)
class DroppedAmount:
    item: Item
    year: int
    amount: Decimal


@dataclass
class RollOverPreview:
    source: BudgetPlan
    new_slug: str
    title: str
    first_year: int = 0
    last_year: int = 0
    copied: list[Item] = field(default_factory=list)
    completed: list[Item] = field(default_factory=list)
    dropped_amounts: list[DroppedAmount] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1)) if self.first_year else []

    @property
    def new_years(self) -> list[int]:
        """Years of the new plan the old one had no figures for: they start empty."""
        return [year for year in self.years if year not in self.source.years]

    @property
    def dropped_years(self) -> list[int]:
        return [year for year in self.source.years if year not in self.years]

    def lines(self) -> list[str]:
        """The preview as plain text, for the management command."""
        out = [
            _("Videreførsel af %(old)s til %(new)s (%(title)s)")
            % {"old": self.source.slug, "new": self.new_slug, "title": self.title}
        ]
        if not self.ok:
            out += [_("Fejl: %(error)s") % {"error": error} for error in self.errors]
            return out
        out.append(_("Punkter der videreføres: %(count)d") % {"count": len(self.copied)})
        out += [f"  {item.number} ({item.committee.code}) {item.title}" for item in self.copied]
        out.append(
            _("Afsluttede punkter der ikke videreføres: %(count)d") % {"count": len(self.completed)}
        )
        out += [f"  {item.number} ({item.committee.code}) {item.title}" for item in self.completed]
        if self.dropped_years:
            out.append(
                _("Beløb for år uden for den nye plan følger ikke med (%(years)s): %(count)d beløb")
                % {
                    "years": ", ".join(str(year) for year in self.dropped_years),
                    "count": len(self.dropped_amounts),
                }
            )
        if self.new_years:
            out.append(
                _("Nye budgetår uden beløb: %(years)s")
                % {"years": ", ".join(str(year) for year in self.new_years)}
            )
        out.append(_("Statushistorik og udvalgsbemærkninger bliver på de gamle punkter."))
        return out


def _validate(preview: RollOverPreview) -> None:
    source = preview.source
    try:
        first, last = BudgetPlan.years_from_slug(preview.new_slug)
    except ValueError as error:
        preview.errors.append(str(error))
        return
    preview.first_year, preview.last_year = first, last
    if preview.new_slug == source.slug or BudgetPlan.objects.filter(slug=preview.new_slug).exists():
        preview.errors.append(
            _("Der findes allerede en plan for %(slug)s.") % {"slug": preview.new_slug}
        )
    if first <= source.first_year:
        preview.errors.append(
            _("Den nye plan skal begynde efter %(year)d, hvor %(old)s begynder.")
            % {"year": source.first_year, "old": source.slug}
        )
    if not preview.title:
        preview.errors.append(_("Angiv en titel."))
    elif len(preview.title) > 200:
        preview.errors.append(_("Titlen må højst være 200 tegn."))


def preview_roll_over(plan: BudgetPlan, new_slug: str, title: str = "") -> RollOverPreview:
    new_slug = (new_slug or "").strip()
    title = " ".join((title or "").split()) or _("Udmøntningsplan %(slug)s") % {"slug": new_slug}
    preview = RollOverPreview(source=plan, new_slug=new_slug, title=title)
    _validate(preview)
    items = list(
        Item.objects.filter(plan=plan)
        .select_related("committee")
        .prefetch_related("amounts")
        .in_plan_order()
    )
    for item in items:
        if item.completed:
            preview.completed.append(item)
            continue
        preview.copied.append(item)
        if preview.first_year:
            for amount in item.amounts.all():
                outside = not preview.first_year <= amount.year <= preview.last_year
                if outside and amount.amount != 0:
                    preview.dropped_amounts.append(DroppedAmount(item, amount.year, amount.amount))
    return preview


def roll_over_plan(
    plan: BudgetPlan,
    new_slug: str,
    title: str = "",
    archive_old: bool = False,
    user: Any = None,
) -> BudgetPlan:
    """Create the next plan from `plan`; raises RollOverError and writes nothing on a
    user mistake."""
    preview = preview_roll_over(plan, new_slug, title)
    if not preview.ok:
        raise RollOverError(" ".join(preview.errors))
    try:
        with transaction.atomic():
            return _copy(plan, preview, archive_old, user)
    except IntegrityError as error:
        # Another administrator made the same plan between the check and the write.
        raise RollOverError(
            _("Der findes allerede en plan for %(slug)s.") % {"slug": preview.new_slug}
        ) from error


def _copy(plan: BudgetPlan, preview: RollOverPreview, archive_old: bool, user: Any) -> BudgetPlan:
    new_plan = BudgetPlan(
        slug=preview.new_slug,
        title=preview.title,
        first_year=preview.first_year,
        last_year=preview.last_year,
        state=PlanState.DRAFT,
        origin=plan,
    )
    if user is not None:
        new_plan._history_user = user  # type: ignore[attr-defined]
    new_plan.save()

    headings = {
        heading.pk: Heading.objects.create(plan=new_plan, name=heading.name, order=heading.order)
        for heading in Heading.objects.filter(plan=plan)
    }
    themes = {
        theme.pk: Theme.objects.create(
            plan=new_plan, name=theme.name, description=theme.description, order=theme.order
        )
        for theme in Theme.objects.filter(plan=plan)
    }

    sources = list(
        Item.objects.filter(plan=plan, completed=False)
        .prefetch_related("also_committees", "themes", "amounts")
        .order_by("pk")
    )
    copies = [
        Item(
            plan=new_plan,
            kind=source.kind,
            number=source.number,
            title=source.title,
            description=source.description,
            committee_id=source.committee_id,
            heading=headings.get(source.heading_id) if source.heading_id else None,
            cross_cutting=source.cross_cutting,
            markers=source.markers,
            timing=source.timing,
            responsible_id=source.responsible_id,
            responsible_name=source.responsible_name,
            public=source.public,
            order=source.order,
            origin=source,
        )
        for source in sources
    ]
    created = bulk_create_with_history(copies, Item, default_user=user)
    # bulk_create returns keys on PostgreSQL and SQLite; look them up otherwise.
    if any(copy.pk is None for copy in created):
        by_origin = {copy.origin_id: copy for copy in Item.objects.filter(plan=new_plan)}
        created = [by_origin[source.pk] for source in sources]

    also_links = []
    theme_links = []
    amounts = []
    for source, copy in zip(sources, created, strict=True):
        for committee in source.also_committees.all():
            also_links.append(
                Item.also_committees.through(item_id=copy.pk, committee_id=committee.pk)
            )
        for theme in source.themes.all():
            theme_links.append(Item.themes.through(item_id=copy.pk, theme_id=themes[theme.pk].pk))
        for amount in source.amounts.all():
            if new_plan.first_year <= amount.year <= new_plan.last_year:
                amounts.append(ItemAmount(item_id=copy.pk, year=amount.year, amount=amount.amount))
    Item.also_committees.through.objects.bulk_create(also_links)
    Item.themes.through.objects.bulk_create(theme_links)
    bulk_create_with_history(amounts, ItemAmount, default_user=user)
    _copy_open_obs_points({source.pk: copy for source, copy in zip(sources, created, strict=True)})

    if archive_old and plan.state != PlanState.ARCHIVED:
        plan.state = PlanState.ARCHIVED
        if user is not None:
            plan._history_user = user  # type: ignore[attr-defined]
        plan.save(update_fields=["state"])
    return new_plan


def _copy_open_obs_points(copies: dict[int, Item]) -> None:
    """Each open OBS point of a copied item, with its events so far, onto the copy."""
    points = ObsPoint.objects.filter(item_id__in=copies).open_at().prefetch_related("events")
    for point in points.order_by("pk"):
        carried = ObsPoint.objects.create(
            item=copies[point.item_id],
            month=point.month,
            text=point.text,
            opened_by_id=point.opened_by_id,
            opened_by_name=point.opened_by_name,
            opened_at=point.opened_at,
        )
        for event in point.events.all():
            ObsEvent.objects.create(
                point=carried,
                kind=event.kind,
                month=event.month,
                text=event.text,
                follow_up_by=event.follow_up_by,
                due=event.due,
                author_id=event.author_id,
                author_name=event.author_name,
                created_at=event.created_at,
            )

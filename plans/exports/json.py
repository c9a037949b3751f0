"""The plan as JSON for the municipality's BI tools (shape: docs/interfaces.md).

`export_plan --format json` and `GET /api/plans/SLUG/items.json` both return
`export_json(...)`; the shape is a contract and does not change silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from committees.models import Committee
from plans.models import BudgetPlan, Item
from plans.months import current_month, first_of_month, month_key
from plans.sanitize import clean_data

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from plans.models import ItemWithStatus


@dataclass
class ExportRow:
    """One item with everything an export writes, fetched in a fixed number of queries."""

    item: Item
    committee: str
    also_committees: list[str]
    amounts: dict[int, Decimal]
    responsible: str
    status: dict[str, Any] | None


def export_rows(
    plan: BudgetPlan,
    committee: Committee | None = None,
    as_of: date | None = None,
    items: Iterable[Any] | None = None,
    public_only: bool = False,
) -> list[ExportRow]:
    """The plan's items (or a committee's extract, or the given items) in plan order,
    each with its latest status at or before the month `as_of`. `public_only` leaves out
    items marked not public, as the public extract ("Åben sag") does."""
    as_of = first_of_month(as_of) if as_of else current_month()
    queryset = Item.objects.filter(plan=plan)
    if public_only:
        queryset = queryset.filter(public=True)
    if committee is not None:
        extract = Item.objects.filter(plan=plan).in_extract_for(committee).values("pk")
        queryset = queryset.filter(pk__in=extract)
    if items is not None:
        pks = [item if isinstance(item, int) else item.pk for item in items]
        queryset = queryset.filter(pk__in=pks)
    queryset = (
        queryset.with_status(as_of)
        .select_related("committee", "heading", "responsible", "plan")
        .prefetch_related("also_committees", "amounts")
        .in_plan_order()
    )
    rows = []
    years = plan.years
    for item in cast("QuerySet[ItemWithStatus]", queryset):
        stored = {amount.year: amount.amount for amount in item.amounts.all()}
        also = sorted(item.also_committees.all(), key=lambda c: (c.order, c.code))
        status = None
        if item.status_colour:
            status = {
                "colour": item.status_colour,
                "comment": item.status_comment or "",
                # Colour and month come from the same report: with a colour, a month.
                "period": month_key(cast(date, item.status_period)),
                "obs": bool(item.status_obs),
                "obs_text": item.status_obs_text or "",
            }
        rows.append(
            ExportRow(
                item=item,
                committee=item.committee.code,
                also_committees=[c.code for c in also],
                amounts={year: stored.get(year, Decimal(0)) for year in years},
                responsible=item.responsible_display or "",
                status=status,
            )
        )
    return rows


def json_number(value: Decimal) -> int | float:
    """1.000 kr. as a JSON number: an integer when whole."""
    return int(value) if value == value.to_integral_value() else float(value)


def export_json(
    plan: BudgetPlan,
    committee: Committee | None = None,
    as_of: date | None = None,
    items: Iterable[Any] | None = None,
) -> dict[str, Any]:
    as_of = first_of_month(as_of) if as_of else current_month()
    # Every text as it would be written anywhere else: no control characters.
    return clean_data(export_document(plan, committee, as_of, items))


def export_document(
    plan: BudgetPlan,
    committee: Committee | None,
    as_of: date,
    items: Iterable[Any] | None,
) -> dict[str, Any]:
    return {
        "plan": {
            "slug": plan.slug,
            "title": plan.title,
            "first_year": plan.first_year,
            "last_year": plan.last_year,
            "case_number": plan.case_number,
        },
        "as_of": month_key(as_of),
        "items": [
            {
                "number": row.item.number,
                "title": row.item.title,
                "kind": row.item.kind,
                "committee": row.committee,
                "also_committees": row.also_committees,
                "heading": row.item.heading.name if row.item.heading else None,
                "cross_cutting": row.item.cross_cutting,
                "markers": row.item.markers,
                "amounts": {str(year): json_number(value) for year, value in row.amounts.items()},
                "timing": row.item.timing,
                "responsible": row.responsible,
                "completed": row.item.completed,
                "status": row.status,
                "course": row.item.course,
                "coordination": row.item.coordination,
                "commitment": row.item.commitment,
                "board_role": row.item.board_role,
            }
            for row in export_rows(plan, committee, as_of, items)
        ],
    }

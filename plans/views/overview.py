"""The plan page (items grouped by kind) and the item page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from plans.models import KIND_SECTION_TITLES, Item
from plans.months import current_month
from plans.permissions import get_item_for, get_plan_for


@require_GET
@login_required
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug)
    items = (
        Item.objects.filter(plan=plan)
        .with_status(current_month())
        .select_related("committee", "heading")
        .in_plan_order()
    )
    sections: dict[str, list[Item]] = {kind: [] for kind in KIND_SECTION_TITLES}
    for item in items:
        sections[item.kind].append(item)
    context = {
        "plan": plan,
        "sections": [
            (kind, KIND_SECTION_TITLES[kind], rows) for kind, rows in sections.items() if rows
        ],
    }
    return render(request, "plans/plan_detail.html", context)


@require_GET
@login_required
def item_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    item = get_item_for(request.user, slug, pk)
    reports = item.reports.select_related("author").order_by("-period", "-created_at", "-id")
    context = {
        "plan": item.plan,
        "item": item,
        "amounts": item.amounts_by_year(),
        "reports": reports,
        "notes": item.notes.select_related("committee", "meeting"),
    }
    return render(request, "plans/item_detail.html", context)

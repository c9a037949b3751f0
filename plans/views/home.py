"""The start page: the plans, with how many items stand at each colour now."""

from collections import Counter
from typing import TYPE_CHECKING, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from plans.models import BudgetPlan, Colour, Item, PlanState
from plans.months import current_month, month_label
from plans.permissions import require

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from plans.models import ItemWithStatus


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    # A signed-in person without any role (e.g. new from the identity provider) sees no plan.
    require(request.user, "plans.view_plan")
    month = current_month()
    # The approved plan (the one with a round) first, then drafts and archived ones.
    plans = sorted(BudgetPlan.objects.all(), key=lambda plan: plan.state != PlanState.APPROVED)
    counts: dict[int, Counter[str]] = {plan.pk: Counter() for plan in plans}
    totals: Counter[int] = Counter()
    items = cast("QuerySet[ItemWithStatus]", Item.objects.with_status(month))
    for plan_id, colour in items.values_list("plan_id", "status_colour"):
        counts[plan_id][colour or "none"] += 1
        totals[plan_id] += 1
    rows = [
        {
            "plan": plan,
            "total": totals[plan.pk],
            "colours": [
                (colour.value, colour.label, counts[plan.pk][colour.value]) for colour in Colour
            ],
            "no_status": counts[plan.pk]["none"],
        }
        for plan in plans
    ]
    return render(request, "plans/home.html", {"rows": rows, "month_label": month_label(month)})

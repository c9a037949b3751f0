"""The plan settings page (case number, approval date, state): administrators only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from plans.forms.plan_settings import PlanSettingsForm
from plans.http import HtmxHttpRequest
from plans.permissions import get_plan_for

TEMPLATE = "plans/plan_settings.html"


@require_http_methods(["GET", "POST"])
@login_required
def plan_settings(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug, "plans.manage_plan")
    form = PlanSettingsForm(request.POST or None, instance=plan)
    saved = False
    if request.method == "POST" and form.is_valid():
        form.save()
        saved = True
        if not request.htmx:
            messages.success(request, _("Planens oplysninger er gemt."))
            return redirect("plans:plan_detail", plan.slug)
        form = PlanSettingsForm(instance=plan)
    context = {"plan": plan, "form": form, "saved": saved}
    if request.htmx:
        return render(request, f"{TEMPLATE}#plan-settings-form", context)
    return render(request, TEMPLATE, context)

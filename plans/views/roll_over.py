"""The administrator's page for rolling a plan over: the form, a preview, then confirm."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from plans.forms.roll_over import RollOverForm
from plans.http import HtmxHttpRequest
from plans.permissions import get_plan_for
from plans.roll_over import RollOverError, preview_roll_over, roll_over_plan


@require_http_methods(["GET", "POST"])
@login_required
def roll_over(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug, "plans.manage_plan")
    form = RollOverForm(request.POST or None, plan=plan)
    preview = None
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("confirm") == "1":
            try:
                new_plan = roll_over_plan(
                    plan,
                    data["new_slug"],
                    data["title"],
                    archive_old=data["archive_old"],
                    user=request.user,
                )
            except RollOverError as problem:
                error = str(problem)
            else:
                messages.success(
                    request,
                    _("%(title)s er oprettet med %(count)d punkter fra %(old)s.")
                    % {"title": new_plan.title, "count": new_plan.items.count(), "old": plan.slug},
                )
                target = reverse("plans:plan_detail", args=[new_plan.slug])
                if request.htmx:
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                    return response
                return redirect(target)
        preview = preview_roll_over(plan, data["new_slug"], data["title"])
    context = {"plan": plan, "form": form, "preview": preview, "error": error}
    template = "plans/carry_over.html#carry-over-body" if request.htmx else "plans/carry_over.html"
    return render(request, template, context)

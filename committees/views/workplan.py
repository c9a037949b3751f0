"""The committees' work plan (arbejdsplan): the page, its PDF, and the form for an item's
political treatment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from committees.forms.workplan import TreatmentForm
from committees.workplan import WorkPlan, build_work_plan
from plans.http import HtmxHttpRequest
from plans.models import Item
from plans.pdf import render_pdf
from plans.permissions import allowed, get_committee_for, get_item_for, get_plan_for


def _changes(item: Item) -> list[dict[str, Any]]:
    """Who changed the political treatment, newest first, from the item's history."""
    records = list(
        item.history.select_related("history_user").order_by("history_date", "history_id")
    )
    changes: list[dict[str, Any]] = []
    previous = ""
    for record in records:
        if record.political_treatment != previous:
            user = record.history_user
            changes.append(
                {
                    "when": record.history_date,
                    "who": (user.get_full_name() or user.get_username()) if user else _("import"),
                    "old": previous,
                    "new": record.political_treatment,
                }
            )
        previous = record.political_treatment
    return changes[::-1]


@require_safe
@login_required
def work_plan(request: HtmxHttpRequest, slug: str, code: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug)
    committee = get_committee_for(request.user, code)
    work = build_work_plan(plan, committee, timezone.localdate())
    context = {"plan": plan, "work": work, "editable": _treatments_editable(request.user, work)}
    return render(request, "committees/work_plan.html", context)


def _treatments_editable(user: Any, work: WorkPlan) -> set[int]:
    """The ids of the work plan's items whose treatment the user may edit: the page links
    them to the form (a secretary cannot open the item page, where the others find it)."""
    ids = {row.item_id for row in work.overdue} | {
        row.item_id for group in work.groups for row in group.rows
    }
    items = Item.objects.filter(pk__in=ids).select_related("plan")
    return {item.pk for item in items if allowed(user, "plans.edit_treatment", item)}


def _work_plan_code(user: Any, item: Item) -> str:
    """The committee whose work plan the treatment form leads back to: the item's own or
    one it also concerns, the first the user may open."""
    for committee in [item.committee, *item.also_committees.order_by("order", "code")]:
        if allowed(user, "plans.export_extract", committee):
            return committee.code
    return ""


@require_safe
@login_required
def work_plan_pdf(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug)
    committee = get_committee_for(request.user, code)
    work = build_work_plan(plan, committee, timezone.localdate())
    pdf = render_pdf("committees/pdf/work_plan.html", {"work": work})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{work.filename}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def treatment_edit(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    item = get_item_for(request.user, slug, pk, "plans.edit_treatment")
    form = TreatmentForm(
        request.POST or None, initial={"political_treatment": item.political_treatment}
    )
    if request.method == "POST" and form.is_valid():
        item.political_treatment = form.cleaned_data["political_treatment"]
        item.save(update_fields=["political_treatment", "updated_at"])
        messages.success(
            request, _("Den politiske behandling af %(number)s er gemt.") % {"number": item.number}
        )
        target = reverse("committees:treatment_edit", args=[item.plan.slug, item.pk])
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Redirect": target})
        return redirect(target)
    context = {
        "plan": item.plan,
        "item": item,
        "form": form,
        "changes": _changes(item),
        "work_plan_code": _work_plan_code(request.user, item),
    }
    template = (
        "committees/treatment_form.html#treatment-form"
        if request.htmx
        else "committees/treatment_form.html"
    )
    return render(request, template, context)

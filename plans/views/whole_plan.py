"""Hele planen: the page with its options, the PDF and the Excel workbook."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_safe

from plans.exports.xlsx import export_xlsx
from plans.extracts import Extract, build_extract, render_extract_pdf
from plans.http import HtmxHttpRequest
from plans.models import BudgetPlan
from plans.permissions import allowed, get_plan_for
from plans.whole_plan import options_query, whole_plan_options

PERM = "plans.export_whole_plan"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _extract(request: HttpRequest, plan: BudgetPlan) -> tuple[Any, dict[str, Any], Extract]:
    form, options = whole_plan_options(request.GET)
    if not options["public"] and not allowed(request.user, "plans.whole_plan_internal", plan):
        raise PermissionDenied
    extract = build_extract(
        plan,
        None,
        options["month"],
        public=options["public"],
        meeting_date=options["meeting_date"],
        case_number=options["case_number"],
    )
    extract.recipient = options["recipient"]
    return form, options, extract


@require_safe
@login_required
def whole_plan(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug, PERM)
    form, options, extract = _extract(request, plan)
    context = {
        "plan": plan,
        "form": form,
        "extract": extract,
        "query": urlencode(options_query(options)),
        "may_see_internal": allowed(request.user, "plans.whole_plan_internal", plan),
    }
    if request.htmx:
        return render(request, "plans/whole_plan.html#whole-plan-preview", context)
    return render(request, "plans/whole_plan.html", context)


@require_safe
@login_required
def whole_plan_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug, PERM)
    _form, _options, extract = _extract(request, plan)
    response = HttpResponse(render_extract_pdf(extract), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{extract.filename}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_required
def whole_plan_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug, PERM)
    _form, options, extract = _extract(request, plan)
    content = export_xlsx(plan, None, options["month"], public_only=options["public"])
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{extract.filename}.xlsx")
    response["Cache-Control"] = "private, no-store"
    return response

"""Machine-readable exports: the .xlsx download and the JSON API for BI tools.

The JSON API accepts a signed-in user who may view the plan, or a read token
(`Authorization: Bearer <key>` or `?token=<key>`) matched by its SHA-256; the key
itself is never stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from committees.models import Committee
from plans.exports.json import export_json
from plans.exports.xlsx import export_xlsx as build_xlsx
from plans.http import file_response
from plans.models import BudgetPlan
from plans.months import current_month, month_key, parse_month
from plans.overview.filters import parse_filters
from plans.overview.table import filtered_item_ids
from plans.permissions import get_plan_for, require
from plans.tokens import key_from, usable_token

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _error(status: int, message: str) -> JsonResponse:
    response = JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="udmoentning"'
    return response


@require_safe
def api_items(request: HttpRequest, slug: str) -> HttpResponse:
    """GET /api/plans/SLUG/items.json[?committee=CODE][&as_of=YYYY-MM]"""
    key = key_from(request)
    if key is not None:
        if usable_token(key) is None:
            return _error(401, "Ugyldig, udløbet eller tilbagekaldt nøgle.")
        plan = BudgetPlan.objects.filter(slug=slug).first()
        if plan is None:
            return _error(404, "Planen findes ikke.")
    elif request.user.is_authenticated:
        plan = BudgetPlan.objects.filter(slug=slug).first()
        if plan is None:
            return _error(404, "Planen findes ikke.")
        if not request.user.has_perm("plans.view_plan", plan):
            return _error(403, "Du har ikke adgang til planen.")
    else:
        return _error(401, "Log ind, eller angiv en læsenøgle (Authorization: Bearer …).")

    committee = None
    if request.GET.get("committee"):
        committee = Committee.objects.all().by_code(request.GET["committee"])
        if committee is None:
            return _error(400, f"Ukendt udvalg «{request.GET['committee'][:40]}».")
    try:
        as_of = parse_month(request.GET["as_of"]) if request.GET.get("as_of") else current_month()
    except ValueError as error:
        return _error(400, str(error))
    response = JsonResponse(
        export_json(plan, committee, as_of), json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _filtered_item_ids(plan: BudgetPlan, request: HttpRequest) -> tuple[Any, list[int]]:
    """The overview's filters from the query string, and the ids of the items they show:
    read and selected by the overview's own code, so a download always matches it."""
    filters, _errors = parse_filters(request.GET, list(Committee.objects.all()))
    return filters, filtered_item_ids(plan, filters)


@require_safe
@login_required
def export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    """The overview as it is filtered, as an .xlsx workbook."""
    plan = get_plan_for(request.user, slug)
    filters, ids = _filtered_item_ids(plan, request)
    committee: Committee | None = filters.committee
    if committee is not None:
        require(request.user, "plans.export_extract", committee)
    as_of: date = filters.as_of
    # A committee's extract is the public one ("Åben sag") unless the internal version is asked for,
    # exactly as the extract's PDF.
    public_only = committee is not None and request.GET.get("version") != "intern"
    content = build_xlsx(
        plan, committee, as_of, items=ids if filters.is_filtered else None, public_only=public_only
    )
    name = f"udmoentningsplan-{plan.slug}"
    if committee is not None:
        name += f"-{committee.code}"
    name += f"-{month_key(as_of)}-{'aaben' if public_only else 'intern'}.xlsx"
    return file_response(content, name, XLSX_TYPE)

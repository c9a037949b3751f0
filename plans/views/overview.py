"""The plan overview (filters, sorting, colour counters, "as of" a month) and the item
page with its full status history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from committees.models import Committee
from plans.forms.obs import ITEM
from plans.http import HtmxHttpRequest
from plans.models import LATEST_FIRST, Colour, Item, RedReason, StatusReport
from plans.months import current_month, month_key, month_label, months_between
from plans.narrative import narrative_of
from plans.overview.filters import (
    COLOUR_FILTER_CHOICES,
    KIND_CHOICES,
    SORT_CHOICES,
    SORT_COLUMNS,
    STATE_CHOICES,
    back_querystring,
    parse_filters,
    responsible_options,
)
from plans.overview.table import build_overview
from plans.permissions import allowed, get_item_for, get_plan_for
from plans.views.obs import build_panel, item_history

_PK_SENTINEL = 987654321


# Read-only pages: no transaction around the request (saves two round trips).
@transaction.non_atomic_requests
@require_safe
@login_required
def plan_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug)
    committees = list(Committee.objects.all())
    filters, errors = parse_filters(request.GET, committees)
    querystring = filters.querystring()

    item_url = None
    if request.user.has_perm("plans.view_item"):
        item_url = reverse("plans:item_detail", args=[plan.slug, _PK_SENTINEL]).replace(
            str(_PK_SENTINEL), "{pk}"
        )
        if querystring:
            item_url += "?" + urlencode({"back": querystring}).replace("{", "%7B")
    overview = build_overview(plan, filters, committees, item_url)

    sort_links = []
    for key, label in SORT_COLUMNS.items():
        active = filters.sort.lstrip("-") == key
        descending = filters.sort == f"-{key}"
        next_sort = f"-{key}" if active and not descending else key
        sort_links.append(
            {
                "key": key,
                "label": str(label),
                "query": filters.querystring(sort=next_sort),
                "aria_sort": ("descending" if descending else "ascending") if active else "",
            }
        )
    colour_links = [
        {
            **count,
            "query": filters.querystring(colour=count["value"]),
            "active": filters.colour == count["value"],
            "badge": count["value"] if count["value"] in Colour.values else "none",
        }
        for count in overview.counts
    ]
    context = {
        "plan": plan,
        "can_manage_plan": allowed(request.user, "plans.manage_plan", plan),
        "filters": filters,
        "errors": errors,
        "overview": overview,
        "querystring": querystring,
        "clear_colour_query": filters.querystring(colour=""),
        "sort_links": {link["key"]: link for link in sort_links},
        "colour_links": colour_links,
        "as_of_key": month_key(filters.as_of),
        "as_of_label": month_label(filters.as_of),
        "is_current_month": filters.as_of == current_month(),
        "committee_options": [(committee.code, str(committee)) for committee in committees],
        "kind_options": KIND_CHOICES,
        "colour_options": COLOUR_FILTER_CHOICES,
        "state_options": STATE_CHOICES,
        "sort_options": SORT_CHOICES,
        # The form lies outside the region an HTMX request swaps: no need for its options.
        "responsible_options": [] if request.htmx else responsible_options(plan),
        "amount_columns": len(overview.years),
    }
    template = "plans/plan_detail.html"
    if request.htmx:
        template += "#overview-table"
    response = render(request, template, context)
    # The same URL answers with the page or the fragment; caches must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@dataclass
class StripCell:
    label: str
    colour: str
    colour_label: str
    corrected: bool


def month_strip(first: date, last: date, reports: list[StatusReport]) -> list[StripCell]:
    """One cell per month of the plan: the colour last reported in that month."""
    by_month: dict[date, list[StatusReport]] = {}
    for report in reports:
        by_month.setdefault(report.period, []).append(report)
    cells = []
    for period in months_between(first, last):
        month_reports = by_month.get(period, [])
        final = max(month_reports, key=lambda r: (r.created_at, r.pk)) if month_reports else None
        cells.append(
            StripCell(
                label=month_label(period),
                colour=final.colour if final else "",
                colour_label=str(Colour(final.colour).label) if final else "",
                corrected=len(month_reports) > 1,
            )
        )
    return cells


@transaction.non_atomic_requests
@require_safe
@login_required
def item_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    item: Item = get_item_for(request.user, slug, pk)
    plan = item.plan
    reports = list(item.reports.select_related("author").order_by(*LATEST_FIRST))
    # A second report in the same month is a correction: show it as its own entry.
    seen_months: dict[date, int] = {}
    for report in reversed(reports):
        seen_months[report.period] = seen_months.get(report.period, 0) + 1
        report.correction_number = seen_months[report.period] - 1  # type: ignore[attr-defined]
        report.colour_label = str(Colour(report.colour).label)  # type: ignore[attr-defined]
        report.month_label = month_label(report.period)  # type: ignore[attr-defined]
        report.red_reason_label = (  # type: ignore[attr-defined]
            str(RedReason(report.red_reason).label) if report.red_reason else ""
        )
    obs_history = item_history(item)
    back = back_querystring(request.GET.get("back", ""))
    overview_url = reverse("plans:plan_detail", args=[plan.slug])
    context = {
        "plan": plan,
        "item": item,
        "amounts": [(year, amount) for year, amount in item.amounts_by_year().items()],
        "also_committees": list(item.also_committees.all()),
        "themes": list(item.themes.all()),
        "reports": reports,
        "strip": month_strip(date(plan.first_year, 1, 1), date(plan.last_year, 12, 1), reports),
        "notes": list(item.notes.select_related("committee", "meeting")),
        "origin": item.origin if item.origin_id else None,
        "carried_to": list(item.carried_to.select_related("plan")),
        "obs_panel": build_panel(
            request.user,
            item,
            next((point for point in obs_history if point.is_open), None),
            origin=ITEM,
            month=current_month(),
            history=obs_history,
        ),
        "back_url": f"{overview_url}?{back}" if back else overview_url,
        "back_query": f"?{urlencode({'back': back})}" if back else "",
        "narrative": narrative_of(item),
        "can_edit_narrative": allowed(request.user, "plans.edit_narrative", item),
        "can_edit_treatment": request.user.has_perm("plans.edit_treatment", item),
    }
    return render(request, "plans/item_detail.html", context)

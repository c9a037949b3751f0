"""The economy chief's review: the red list and the dashboard (their filter forms are
in plans.forms.review).

Each page fetches the plan's items and their status history once and computes the rest
in Python (plans.review).
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from committees.models import Committee
from plans.charts import Category, Series, stacked_bars
from plans.formatting import danish_number
from plans.forms.fields import QueryForm, default_month
from plans.forms.obs import RED_LIST, review_query
from plans.forms.review import DashboardForm, ReviewFilterForm
from plans.http import HtmxHttpRequest
from plans.models import (
    NO_STATUS,
    BudgetPlan,
    Colour,
    Item,
)
from plans.months import (
    MONTH_NAMES,
    add_months,
    month_label,
)
from plans.permissions import get_plan_for
from plans.review import (
    ColourCounts,
    build_red_list,
    colour_as_of,
    count_colours,
    first_reported_month,
    load_histories,
    trend,
)
from plans.views.obs import build_panel

REVIEW_PERM = "plans.review"
PUBLISH_PERM = "plans.publish_report"


# --- months ------------------------------------------------------------------------


def chosen_month(form: QueryForm, plan: BudgetPlan) -> date:
    month: date | None = form.value("month")
    return month or default_month(plan)


def committees_of(plan: BudgetPlan) -> list[Committee]:
    return list(
        Committee.objects.filter(owned_items__plan=plan).distinct().order_by("order", "code")
    )


# --- red list ----------------------------------------------------------------------


@require_safe
@login_required
def red_list(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug, REVIEW_PERM)
    committees = committees_of(plan)
    form = ReviewFilterForm(request.GET or None, plan=plan, committees=committees)
    month = chosen_month(form, plan)
    committee_code = form.value("committee")
    colour_filter = form.value("colour")
    kind_filter = form.value("kind")

    items = Item.objects.filter(plan=plan).select_related("committee", "responsible")
    if committee_code:
        items = items.filter(committee__code=committee_code)
    if kind_filter:
        items = items.filter(kind=kind_filter)
    previous_month = add_months(month, -1)
    back = review_query(request.GET.urlencode())
    result = build_red_list(
        plan,
        items,
        month,
        colour_filter,
        panel=lambda item, point: build_panel(
            request.user, item, point, origin=RED_LIST, month=month, back=back
        ),
    )
    rows = result.rows
    context = {
        "plan": plan,
        "form": form,
        "month": month,
        "month_label": month_label(month),
        "previous_month_label": month_label(previous_month),
        "rows": rows,
        "red_count": sum(1 for row in rows if row.colour == Colour.RED),
        "yellow_count": sum(1 for row in rows if row.colour == Colour.YELLOW),
        "changes": result.changes,
        "missing": result.missing,
        "has_round": plan.has_round,
    }
    template = "plans/red_list.html#review-results" if request.htmx else "plans/red_list.html"
    return render(request, template, context)


# --- dashboard ---------------------------------------------------------------------

# Red at the bottom of every bar, so red is read against the same baseline month by month.
CHART_SERIES = [
    Series(Colour.RED.value, str(Colour.RED.label), "#b0001f", "#ffffff"),
    Series(Colour.YELLOW.value, str(Colour.YELLOW.label), "#f0c419", "#000000"),
    Series(Colour.GREEN.value, str(Colour.GREEN.label), "#358000", "#ffffff"),
    Series(NO_STATUS, str(gettext_lazy("Ingen status")), "#d9d9d9", "#000000"),
]


def _values(counts: ColourCounts) -> list[int]:
    return [counts.get(series.key) for series in CHART_SERIES]


@require_safe
@login_required
def dashboard(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug, REVIEW_PERM)
    form = DashboardForm(request.GET or None, plan=plan)
    month = chosen_month(form, plan)

    items = list(
        Item.objects.filter(plan=plan)
        .order_by("committee__order", "committee__code")
        .values_list("pk", "committee__code", "committee__name")
    )
    item_ids = [pk for pk, _code, _name in items]
    histories = load_histories(item_ids, month)
    committee_names = {code: name for _pk, code, name in items}
    per_committee = count_colours(
        ((code, colour_as_of(histories.get(pk), month)) for pk, code, _name in items),
        list(committee_names),
    )
    totals = count_colours((("", colour_as_of(histories.get(pk), month)) for pk in item_ids), [""])[
        0
    ]

    first = first_reported_month(histories) or month
    first = max(min(first, month), date(plan.first_year, 1, 1))
    months = trend(histories, item_ids, first, month)

    committee_chart = stacked_bars(
        chart_id="chart-committees",
        title=_("Status pr. udvalg, %(month)s") % {"month": month_label(month)},
        description=_(
            "Antal punkter pr. farve for hvert udvalg. Samme tal står i tabellen under diagrammet."
        ),
        categories=[
            Category(code, long_label=f"{code} – {name}") for code, name in committee_names.items()
        ],
        series=CHART_SERIES,
        values=[_values(counts) for counts in per_committee],
    )
    trend_chart = stacked_bars(
        chart_id="chart-trend",
        title=_("Udvikling måned for måned til og med %(month)s") % {"month": month_label(month)},
        description=_(
            "Antal punkter pr. farve i hver måned. Samme tal står i tabellen under diagrammet."
        ),
        categories=[
            Category(
                MONTH_NAMES[period.month - 1][:3],
                str(period.year) if index == 0 or period.month == 1 else "",
                month_label(period),
            )
            for index, (period, _counts) in enumerate(months)
        ],
        series=CHART_SERIES,
        values=[_values(counts) for _period, counts in months],
    )
    context = {
        "plan": plan,
        "form": form,
        "month": month,
        "month_label": month_label(month),
        "committee_chart": committee_chart,
        "trend_chart": trend_chart,
        "total_row": [danish_number(value) for value in _values(totals)],
        "total": danish_number(totals.total),
    }
    template = "plans/dashboard.html#dashboard-charts" if request.htmx else "plans/dashboard.html"
    return render(request, template, context)

"""The economy chief's review: red list, dashboard and the board's status report.

Each page fetches the plan's items and their status history once and computes the rest
in Python (plans.review); the board report is built by plans.board_report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from committees.models import Committee
from plans.board_report import build_board_report, render_board_report_pdf
from plans.charts import Category, Series, stacked_bars
from plans.formatting import danish_number
from plans.http import HtmxHttpRequest, file_response
from plans.models import (
    BudgetPlan,
    Colour,
    Item,
    Kind,
    PublishedReport,
    PublishedReportKind,
    RedReason,
)
from plans.months import (
    MONTH_NAMES,
    add_months,
    current_month,
    danish_date,
    month_key,
    month_label,
    months_between,
    parse_month,
    plan_date_error,
)
from plans.permissions import get_plan_for, require
from plans.review import (
    CHANGED,
    NO_STATUS,
    Change,
    ColourCounts,
    change_between,
    colour_as_of,
    count_colours,
    first_reported_month,
    load_histories,
    severity_key,
    streak,
    trend,
)

REVIEW_PERM = "plans.review"
PUBLISH_PERM = "plans.publish_report"


# --- months ------------------------------------------------------------------------


def plan_months(plan: BudgetPlan) -> list[date]:
    return list(months_between(date(plan.first_year, 1, 1), date(plan.last_year, 12, 1)))


def default_month(plan: BudgetPlan) -> date:
    """This month, kept inside the plan's years."""
    first, last = date(plan.first_year, 1, 1), date(plan.last_year, 12, 1)
    return min(max(current_month(), first), last)


def month_choices(plan: BudgetPlan) -> list[tuple[str, str]]:
    return [(month_key(month), month_label(month)) for month in plan_months(plan)]


class MonthField(forms.ChoiceField):
    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        if value:
            try:
                return month_key(parse_month(value))
            except ValueError as error:
                raise forms.ValidationError(str(error)) from error
        return value


class QueryForm(forms.Form):
    """A filter form read from the query string: a refused value falls back to its default."""

    def choose(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def value(self, name: str) -> Any:
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) or None

    def show_default(self, name: str, value: str) -> None:
        """Select the value the page uses when the query string leaves it out; otherwise
        the browser shows its first option, and the next htmx filter sends that."""
        self.fields[name].initial = value
        if self.is_bound and not self.data.get(name):
            data = QueryDict(mutable=True)
            data.update(self.data)
            data[name] = value
            self.data = data


class ReviewFilterForm(QueryForm):
    month = MonthField(label=gettext_lazy("Måned"), required=False)
    committee = forms.ChoiceField(label=gettext_lazy("Udvalg"), required=False)
    colour = forms.ChoiceField(
        label=gettext_lazy("Farve"),
        required=False,
        choices=[
            ("", gettext_lazy("Røde og gule")),
            (Colour.RED.value, Colour.RED.label),
            (Colour.YELLOW.value, Colour.YELLOW.label),
        ],
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        choices=[("", gettext_lazy("Alle typer")), *Kind.choices],
    )

    def __init__(self, data: Any, *, plan: BudgetPlan, committees: list[Committee]) -> None:
        super().__init__(data)
        self.choose("month", month_choices(plan))
        self.show_default("month", month_key(default_month(plan)))
        self.choose(
            "committee",
            [
                ("", _("Alle udvalg")),
                *[(c.code, f"{c.code} – {c.name}") for c in committees],
            ],
        )


def chosen_month(form: QueryForm, plan: BudgetPlan) -> date:
    key = form.value("month")
    return parse_month(key) if key else default_month(plan)


def committees_of(plan: BudgetPlan) -> list[Committee]:
    return list(
        Committee.objects.filter(owned_items__plan=plan).distinct().order_by("order", "code")
    )


# --- red list ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    item: Item
    colour: str
    colour_label: str
    months_in_a_row: int
    change: Change | None
    comment: str
    red_reason: str
    obs: bool
    obs_text: str
    status_period: date


@dataclass(frozen=True)
class ChangeRow:
    item: Item
    previous: str | None
    current: str | None
    change: Change | None


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
    item_list = list(items.in_plan_order())
    histories = load_histories([item.pk for item in item_list], month)
    previous_month = add_months(month, -1)
    red_reasons = dict(RedReason.choices)

    rows: list[ReviewRow] = []
    changes: list[ChangeRow] = []
    missing: list[Item] = []
    for item in item_list:
        history = histories.get(item.pk)
        report = history.as_of(month) if history else None
        previous = colour_as_of(history, previous_month)
        current = report.colour if report else None
        change = change_between(previous, current)
        if change in CHANGED:
            changes.append(ChangeRow(item, previous, current, change))
        if (
            item.cross_cutting
            and not item.completed
            and not (history and history.reported_in(month))
        ):
            missing.append(item)
        if report is None or current == Colour.GREEN:
            continue
        if colour_filter and current != colour_filter:
            continue
        rows.append(
            ReviewRow(
                item=item,
                colour=report.colour,
                colour_label=str(Colour(report.colour).label),
                months_in_a_row=streak(history, month),
                change=change,
                comment=report.comment,
                red_reason=str(red_reasons.get(report.red_reason, "")),
                obs=report.obs,
                obs_text=report.obs_text,
                status_period=report.period,
            )
        )
    rows.sort(key=lambda row: severity_key(row.colour, row.months_in_a_row))
    context = {
        "plan": plan,
        "form": form,
        "month": month,
        "month_label": month_label(month),
        "previous_month_label": month_label(previous_month),
        "rows": rows,
        "red_count": sum(1 for row in rows if row.colour == Colour.RED),
        "yellow_count": sum(1 for row in rows if row.colour == Colour.YELLOW),
        "changes": changes,
        "missing": missing,
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


class DashboardForm(QueryForm):
    month = MonthField(label=gettext_lazy("Måned"), required=False)

    def __init__(self, data: Any, *, plan: BudgetPlan) -> None:
        super().__init__(data)
        self.choose("month", month_choices(plan))
        self.show_default("month", month_key(default_month(plan)))


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


# --- board report ------------------------------------------------------------------


class BoardReportForm(QueryForm):
    month = MonthField(label=gettext_lazy("Måned"), required=False)
    meeting_date = forms.DateField(
        label=gettext_lazy("Mødedato"),
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    case_number = forms.CharField(label=gettext_lazy("Sagsnummer"), required=False, max_length=40)

    def __init__(
        self,
        data: Any,
        *,
        plan: BudgetPlan,
        require_meeting_date: bool = False,
        auto_id: str = "id_%s",
    ) -> None:
        super().__init__(data, auto_id=auto_id)
        self.plan = plan
        self.choose("month", month_choices(plan))
        if not require_meeting_date:
            self.show_default("month", month_key(default_month(plan)))
        self.fields["case_number"].widget.attrs["placeholder"] = plan.case_number
        self.fields["case_number"].help_text = _("Tomt felt: planens sagsnummer.")
        if require_meeting_date:
            self.fields["month"].required = True
            self.fields["meeting_date"].required = True
            self.fields["meeting_date"].error_messages["required"] = _(
                "Vælg datoen for direktionens møde, før rapporten udgives."
            )

    def clean_meeting_date(self) -> date | None:
        value = self.cleaned_data.get("meeting_date")
        if value is not None:
            error = plan_date_error(self.plan.first_year, self.plan.last_year, value)
            if error:
                raise forms.ValidationError(error)
        return value


def _board_params(form: BoardReportForm, plan: BudgetPlan) -> tuple[date, date | None, str | None]:
    month_value = form.value("month")
    month = parse_month(month_value) if month_value else default_month(plan)
    case_number = form.value("case_number")
    return month, form.value("meeting_date"), case_number or None


def _board_query(month: date, meeting_date: date | None, case_number: str | None) -> str:
    params = {"month": month_key(month)}
    if meeting_date:
        params["meeting_date"] = meeting_date.isoformat()
    if case_number:
        params["case_number"] = case_number
    return urlencode(params)


def _published_reports(plan: BudgetPlan) -> Any:
    return (
        PublishedReport.objects.filter(plan=plan, kind=PublishedReportKind.BOARD)
        .select_related("published_by")
        .defer("pdf")
        .order_by("-published_at", "-id")
    )


def _board_context(
    request: HtmxHttpRequest,
    plan: BudgetPlan,
    form: BoardReportForm,
    publish_form: BoardReportForm | None = None,
) -> dict[str, Any]:
    month, meeting_date, case_number = _board_params(form, plan)
    report = build_board_report(
        plan, month, meeting_date=meeting_date, case_number=case_number, draft=True
    )
    if publish_form is None:
        publish_form = BoardReportForm(
            initial_data(month, meeting_date, report.case_number), plan=plan, auto_id="publish_%s"
        )
    return {
        "plan": plan,
        "form": form,
        "publish_form": publish_form,
        "report": report,
        "changed_mark": "▲",
        "query": _board_query(month, meeting_date, case_number),
        "published_reports": _published_reports(plan),
        "can_publish": request.user.has_perm(PUBLISH_PERM, plan),
    }


def initial_data(month: date, meeting_date: date | None, case_number: str) -> dict[str, str]:
    return {
        "month": month_key(month),
        "meeting_date": meeting_date.isoformat() if meeting_date else "",
        "case_number": case_number,
    }


@require_http_methods(["GET", "POST"])
@login_required
def board_report(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """GET: the draft as HTML with its settings; POST: publish it for a meeting."""
    plan = get_plan_for(request.user, slug, REVIEW_PERM)
    if request.method == "POST":
        return _publish(request, plan)
    form = BoardReportForm(request.GET or None, plan=plan)
    context = _board_context(request, plan, form)
    template = (
        "plans/board_report.html#board-report-draft" if request.htmx else "plans/board_report.html"
    )
    return render(request, template, context)


def _publish(request: HtmxHttpRequest, plan: BudgetPlan) -> HttpResponse:
    require(request.user, PUBLISH_PERM, plan)
    publish_form = BoardReportForm(
        request.POST, plan=plan, require_meeting_date=True, auto_id="publish_%s"
    )
    if not publish_form.is_valid():
        # Show the draft the user was looking at, with the errors next to the fields.
        view_form = BoardReportForm(
            {key: request.POST.get(key, "") for key in ("month", "case_number")}, plan=plan
        )
        context = _board_context(request, plan, view_form, publish_form)
        template = (
            "plans/board_report.html#board-report-draft"
            if request.htmx
            else "plans/board_report.html"
        )
        return render(request, template, context)
    month, _unused, case_number = _board_params(publish_form, plan)
    meeting_date: date = publish_form.cleaned_data["meeting_date"]
    report = build_board_report(plan, month, meeting_date=meeting_date, case_number=case_number)
    pdf = render_board_report_pdf(report)
    with transaction.atomic():
        published = PublishedReport.objects.create(
            plan=plan,
            kind=PublishedReportKind.BOARD,
            period=month,
            meeting_date=meeting_date,
            pdf=pdf,
            published_by=cast(User, request.user),
        )
    messages.success(
        request,
        _("Statusrapporten for %(month)s er udgivet til mødet %(date)s.")
        % {"month": month_label(month), "date": danish_date(meeting_date)},
    )
    url = (
        reverse("plans:board_report", args=[plan.slug])
        + "?"
        + _board_query(month, meeting_date, case_number)
        + f"#published-{published.pk}"
    )
    if request.htmx:
        return HttpResponse(
            status=204, headers={"HX-Redirect": url, "HX-Trigger": "reportPublished"}
        )
    return HttpResponseRedirect(url, status=303)


@require_safe
@login_required
def board_report_pdf(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The draft as a PDF, marked KLADDE; nothing is stored."""
    plan = get_plan_for(request.user, slug, REVIEW_PERM)
    form = BoardReportForm(request.GET or None, plan=plan)
    month, meeting_date, case_number = _board_params(form, plan)
    report = build_board_report(
        plan, month, meeting_date=meeting_date, case_number=case_number, draft=True
    )
    return file_response(render_board_report_pdf(report), report.filename, "application/pdf")


@require_safe
@login_required
def published_report_pdf(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    """A published report, byte for byte as it was published."""
    plan = get_plan_for(request.user, slug, REVIEW_PERM)
    published = get_object_or_404(PublishedReport, plan=plan, pk=pk, kind=PublishedReportKind.BOARD)
    filename = f"statusrapport-{plan.slug}-{month_key(published.period)}-udgivet-{published.pk}.pdf"
    return file_response(bytes(published.pdf), filename, "application/pdf", etag=published.sha256)

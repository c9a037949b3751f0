"""The board report (the board's monthly report): the draft as HTML and PDF, publishing it
for a meeting, and the published PDFs. The report itself is built by plans.board_report."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from plans.board_report import build_board_report, render_board_report_pdf
from plans.forms.board_report import BoardReportForm
from plans.forms.fields import default_month
from plans.forms.publish import PublishOnceForm
from plans.http import HtmxHttpRequest, file_response
from plans.models import (
    BudgetPlan,
    PublishConflict,
    PublishedReport,
    PublishedReportKind,
)
from plans.months import danish_date, month_key, month_label
from plans.permissions import get_plan_for, require
from plans.views.review import PUBLISH_PERM, REVIEW_PERM


def _board_params(form: BoardReportForm, plan: BudgetPlan) -> tuple[date, date | None, str | None]:
    month: date = form.value("month") or default_month(plan)
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
    *,
    token: str = "",
    replace_candidate: PublishedReport | None = None,
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
        "publish_token": token or PublishOnceForm.new_token(),
        "replace_candidate": replace_candidate,
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
    once = PublishOnceForm(request.POST)
    once.is_valid()
    token = once.cleaned_data.get("token") or ""

    def show_form(replace_candidate: PublishedReport | None = None) -> HttpResponse:
        # The draft the user was looking at, with the errors or the question.
        view_form = BoardReportForm(
            {key: request.POST.get(key, "") for key in ("month", "case_number")}, plan=plan
        )
        context = _board_context(
            request,
            plan,
            view_form,
            publish_form,
            token=token,
            replace_candidate=replace_candidate,
        )
        template = (
            "plans/board_report.html#board-report-draft"
            if request.htmx
            else "plans/board_report.html"
        )
        return render(request, template, context)

    if not publish_form.is_valid():
        return show_form()
    month, _unused, case_number = _board_params(publish_form, plan)
    meeting_date: date = publish_form.cleaned_data["meeting_date"]
    try:
        done, new = PublishedReport.objects.publish_once(
            plan=plan,
            kind=PublishedReportKind.BOARD,
            period=month,
            meeting_date=meeting_date,
            published_by=cast(User, request.user),
            token=token,
            replaces_id=once.cleaned_data.get("replaces"),
            render=lambda replaces: render_board_report_pdf(
                build_board_report(
                    plan,
                    month,
                    meeting_date=meeting_date,
                    case_number=case_number,
                    replaces=replaces,
                )
            ),
        )
    except PublishConflict as conflict:
        return show_form(conflict.current)
    if new:
        messages.success(
            request,
            _("Statusrapporten for %(month)s er udgivet til mødet %(date)s.")
            % {"month": month_label(month), "date": danish_date(meeting_date)},
        )
    url = (
        reverse("plans:board_report", args=[plan.slug])
        + "?"
        + _board_query(month, meeting_date, case_number)
        + f"#published-{done.pk}"
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

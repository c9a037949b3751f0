"""The strategic plan: themes with their items and colours, its PDF, and keeping themes."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from plans.forms.publish import PublishOnceForm
from plans.forms.strategy import StrategyPublishForm, ThemeForm
from plans.http import HtmxHttpRequest, file_response
from plans.models import (
    BudgetPlan,
    PublishConflict,
    PublishedReport,
    PublishedReportKind,
    Theme,
)
from plans.months import current_month, danish_date, month_key, month_label, parse_month
from plans.pdf import render_pdf
from plans.permissions import get_plan_for
from plans.strategy import build_strategy, colour_legend

PUBLISH_PERM = "plans.publish_report"


def _as_of(request: HtmxHttpRequest) -> tuple[date, str]:
    """The month from `?as_of=YYYY-MM`, or the current month with a message when invalid."""
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return current_month(), ""
    try:
        return parse_month(raw), ""
    except ValueError as error:
        return current_month(), str(error)


def _context(
    plan: BudgetPlan,
    as_of: date,
    meeting_date: date | None = None,
    case_number: str = "",
) -> dict[str, Any]:
    return {
        "plan": plan,
        "meeting_date": danish_date(meeting_date) if meeting_date else "",
        "case_number": case_number or plan.case_number,
        "view": build_strategy(plan, as_of),
        "as_of": as_of,
        "as_of_key": month_key(as_of),
        "as_of_label": month_label(as_of),
        "legend": colour_legend(),
    }


@require_safe
@login_required
def strategy(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug)
    as_of, error = _as_of(request)
    context = _context(plan, as_of)
    context["as_of_error"] = error
    context["can_manage_themes"] = request.user.has_perm("plans.manage_themes", plan)
    _add_publishing(request, plan, context)
    template = "plans/strategy.html#strategy-themes" if request.htmx else "plans/strategy.html"
    return render(request, template, context)


def _published(plan: BudgetPlan) -> Any:
    return (
        PublishedReport.objects.filter(plan=plan, kind=PublishedReportKind.STRATEGIC)
        .select_related("published_by")
        .defer("pdf")
        .order_by("-published_at", "-id")
    )


def _add_publishing(
    request: HtmxHttpRequest,
    plan: BudgetPlan,
    context: dict[str, Any],
    form: StrategyPublishForm | None = None,
) -> None:
    context["can_publish"] = request.user.has_perm(PUBLISH_PERM, plan)
    context["published"] = _published(plan)
    context["publish_form"] = form or StrategyPublishForm(
        initial={"as_of": context["as_of_key"], "case_number": plan.case_number}
    )
    context.setdefault("publish_token", PublishOnceForm.new_token())


@require_POST
@login_required
def strategy_publish(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Keep the strategic view as taken to the board's meeting (its twice-yearly review)."""
    plan = get_plan_for(request.user, slug, PUBLISH_PERM)
    form = StrategyPublishForm(request.POST, plan=plan)
    once = PublishOnceForm(request.POST)
    once.is_valid()
    token = once.cleaned_data.get("token") or ""

    def show_form(replace_candidate: PublishedReport | None = None) -> HttpResponse:
        try:
            as_of = parse_month(request.POST.get("as_of", ""))
        except ValueError:
            as_of = current_month()
        context = _context(plan, as_of)
        context["can_manage_themes"] = request.user.has_perm("plans.manage_themes", plan)
        context["publish_token"] = token or PublishOnceForm.new_token()
        context["replace_candidate"] = replace_candidate
        _add_publishing(request, plan, context, form)
        template = (
            "plans/strategy.html#strategy-publish-form" if request.htmx else "plans/strategy.html"
        )
        return render(request, template, context)

    if not form.is_valid():
        return show_form()
    as_of = form.cleaned_data["as_of"]
    meeting_date = form.cleaned_data["meeting_date"]

    def render_edition(replaces: str) -> bytes:
        context = _context(plan, as_of, meeting_date, form.cleaned_data["case_number"])
        context["replaces"] = replaces
        return render_pdf("plans/pdf/strategy.html", context)

    try:
        published, new = PublishedReport.objects.publish_once(
            plan=plan,
            kind=PublishedReportKind.STRATEGIC,
            period=as_of,
            meeting_date=meeting_date,
            published_by=cast(User, request.user),
            token=token,
            replaces_id=once.cleaned_data.get("replaces"),
            render=render_edition,
        )
    except PublishConflict as conflict:
        return show_form(conflict.current)
    if new:
        messages.success(
            request,
            _("Den strategiske udmøntningsplan pr. %(month)s er udgivet til mødet %(date)s.")
            % {"month": month_label(as_of), "date": danish_date(meeting_date)},
        )
    url = (
        reverse("plans:strategy", args=[plan.slug])
        + f"?as_of={month_key(as_of)}#published-{published.pk}"
    )
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return HttpResponseRedirect(url, status=303)


@require_safe
@login_required
def strategy_published_pdf(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    """A published strategic view, byte for byte as it was taken to the meeting."""
    plan = get_plan_for(request.user, slug)
    published = get_object_or_404(_published(plan).defer(None), pk=pk)
    filename = f"strategisk-udmoentningsplan-{plan.slug}-{published.meeting_date:%Y-%m-%d}.pdf"
    return file_response(
        bytes(published.pdf), filename, "application/pdf", inline=True, etag=published.sha256
    )


@require_safe
@login_required
def strategy_pdf(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug)
    as_of, _error = _as_of(request)
    pdf = render_pdf("plans/pdf/strategy.html", _context(plan, as_of))
    filename = f"strategisk-udmoentningsplan-{plan.slug}-{month_key(as_of)}.pdf"
    return file_response(pdf, filename, "application/pdf", inline=True)


@require_http_methods(["GET", "POST"])
@login_required
def theme_edit(request: HtmxHttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    plan = get_plan_for(request.user, slug, "plans.manage_themes")
    theme = get_object_or_404(Theme, plan=plan, pk=pk) if pk is not None else None
    form = ThemeForm(request.POST or None, instance=theme, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = form.save()
        except IntegrityError:
            # The same name saved at the same moment (a double submit): the unique
            # constraint refused the second one after both passed the form's check.
            form.add_error("name", _("Planen har allerede et tema med det navn."))
        else:
            messages.success(request, _("Temaet «%(name)s» er gemt.") % {"name": saved.name})
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("plans:strategy", args=[plan.slug])
                return response
            return redirect("plans:strategy", plan.slug)
    context = {"plan": plan, "form": form, "theme": theme}
    template = (
        "plans/theme_form.html#strategy-theme-form" if request.htmx else "plans/theme_form.html"
    )
    return render(request, template, context)

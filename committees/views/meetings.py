"""Meetings and the annual wheel (årshjul): the year's meetings by month, a meeting with its
attachment generated as of its date, the committees' remarks on items, and the iCalendar
feed of the meetings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from committees import attachments, feed
from committees.forms.meetings import MeetingForm, NoteForm
from committees.ical import calendar
from committees.models import CommitteeKind, CommitteeNote, Meeting
from committees.workplan import plan_treatments
from plans.http import HtmxHttpRequest, file_response
from plans.models import BudgetPlan, Item
from plans.months import MONTH_NAMES, danish_date
from plans.permissions import get_plan_for, managed_bodies, require
from plans.status_round import deadline_for
from plans.tokens import key_from, usable_token
from plans.treatments import Treatment


@dataclass
class WheelMonth:
    number: int
    name: str
    meetings: list[Meeting]
    deadline: date | None = None
    treatments: list[tuple[Any, Treatment]] = field(default_factory=list)


def _meetings(plan: BudgetPlan) -> Any:
    return Meeting.objects.filter(plan=plan).select_related(
        "body", "focus_theme", "focus_committee"
    )


def _is_board(meeting: Meeting) -> bool:
    return meeting.body.kind == CommitteeKind.ADMINISTRATIVE


def _may_open_attachment(user: Any, meeting: Meeting, plan: BudgetPlan) -> bool:
    if _is_board(meeting):
        return user.has_perm("plans.review", plan)
    return user.has_perm("plans.export_extract", meeting.body)


def _wheel_year(request: HtmxHttpRequest, plan: BudgetPlan, years: list[int]) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    today = timezone.localdate().year
    if today in years:
        return today
    return plan.first_year if plan.first_year in years else years[0]


@require_safe
@login_required
def annual_wheel(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug)
    meeting_years = {day.year for day in Meeting.objects.filter(plan=plan).dates("date", "year")}
    years = sorted(set(plan.years) | meeting_years)
    year = _wheel_year(request, plan, years)
    months = [WheelMonth(number, MONTH_NAMES[number - 1], []) for number in range(1, 13)]
    allowed: dict[int, bool] = {}  # per body: the answer is the same for all its meetings
    for meeting in _meetings(plan).filter(date__year=year).order_by("date", "body__order"):
        if meeting.body_id not in allowed:
            allowed[meeting.body_id] = _may_open_attachment(request.user, meeting, plan)
        meeting.may_open_attachment = allowed[meeting.body_id]
        months[meeting.date.month - 1].meetings.append(meeting)
    if year in plan.years:
        for month in months:
            month.deadline = deadline_for(date(year, month.number, 1))
    found, _operations, _problems = plan_treatments(plan)
    for row, treatment in found:
        if treatment.start.year == year:
            months[treatment.start.month - 1].treatments.append((row, treatment))
    context = {
        "plan": plan,
        "year": year,
        "years": years,
        "months": months,
        "meeting_count": sum(len(month.meetings) for month in months),
        "can_manage": request.user.has_perm("committees.manage_meetings", plan),
    }
    template = (
        "committees/annual_wheel.html#wheel-months"
        if request.htmx
        else "committees/annual_wheel.html"
    )
    return render(request, template, context)


def _get_meeting(user: Any, slug: str, pk: int, perm: str = "plans.view_plan") -> Meeting:
    """A meeting of the plan, after checking `perm` on the plan."""
    plan = get_plan_for(user, slug, perm)
    meeting = get_object_or_404(_meetings(plan), pk=pk)
    meeting.plan = plan
    return meeting


def _meeting_items(meeting: Meeting) -> Any:
    """The items the meeting deals with: the committee's extract, or for the board the
    cross-cutting items."""
    items = Item.objects.filter(plan=meeting.plan).select_related("committee")
    if _is_board(meeting):
        items = items.filter(cross_cutting=True)
    else:
        items = items.in_extract_for(meeting.body)
    return items.in_plan_order()


@require_safe
@login_required
def meeting_detail(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = _get_meeting(request.user, slug, pk)
    notes_by_item: dict[int, list[CommitteeNote]] = {}
    for note in meeting.notes.select_related("committee").order_by("date", "id"):
        notes_by_item.setdefault(note.item_id, []).append(note)
    items = list(_meeting_items(meeting))
    for item in items:
        item.meeting_notes = notes_by_item.get(item.pk, [])
    context = {
        "plan": meeting.plan,
        "meeting": meeting,
        "meeting_date": danish_date(meeting.date),
        "items": items,
        "invited": list(meeting.invited.order_by("first_name", "last_name")),
        "is_board": _is_board(meeting),
        "may_open_attachment": _may_open_attachment(request.user, meeting, meeting.plan),
        "can_add_note": request.user.has_perm("committees.add_note", meeting.body),
        "can_manage": request.user.has_perm("committees.manage_meeting", meeting),
        "published": attachments.published_for(meeting),
    }
    template = (
        "committees/meeting_detail.html#meeting-items"
        if request.htmx
        else "committees/meeting_detail.html"
    )
    return render(request, template, context)


def _meeting_form_page(
    request: HtmxHttpRequest, plan: BudgetPlan, meeting: Meeting | None = None
) -> HttpResponse:
    """The form for a new meeting (`meeting` None) or for changing one."""
    form = MeetingForm(
        request.POST or None, plan=plan, instance=meeting, bodies=managed_bodies(request.user)
    )
    saved: Meeting | None = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = form.save()
        except IntegrityError:
            # A concurrent submit saved the same body and day first.
            form.add_error("date", form.instance.duplicate_message())
            saved = None
    if saved is not None:
        messages.success(request, _("Mødet er gemt.") if meeting else _("Mødet er oprettet."))
        target = reverse("committees:meeting_detail", args=[plan.slug, saved.pk])
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
    context = {"plan": plan, "form": form, "meeting": meeting}
    template = (
        "committees/meeting_form.html#meeting-form"
        if request.htmx
        else "committees/meeting_form.html"
    )
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_create(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug, "committees.manage_meetings")
    return _meeting_form_page(request, plan)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_edit(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = _get_meeting(request.user, slug, pk)
    require(request.user, "committees.manage_meeting", meeting)
    return _meeting_form_page(request, meeting.plan, meeting)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_delete(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Delete a meeting after a confirmation page. The committees' remarks made at it
    stay on their items, with their own date and committee."""
    meeting = _get_meeting(request.user, slug, pk)
    require(request.user, "committees.manage_meeting", meeting)
    plan = meeting.plan
    if request.method == "POST":
        year = meeting.date.year
        messages.success(
            request,
            _("Mødet «%(title)s» den %(date)s er slettet.")
            % {"title": meeting.title, "date": danish_date(meeting.date)},
        )
        meeting.delete()
        return redirect(f"{reverse('committees:annual_wheel', args=[plan.slug])}?year={year}")
    context = {
        "plan": plan,
        "meeting": meeting,
        "meeting_date": danish_date(meeting.date),
        "note_count": meeting.notes.count(),
    }
    return render(request, "committees/meeting_confirm_delete.html", context)


@require_safe
@login_required
def meeting_attachment(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    """The meeting's attachment (a committee's extract, or the board report):
    the stored PDF once published, before that a preview as of the meeting."""
    meeting = _get_meeting(request.user, slug, pk)
    if not _may_open_attachment(request.user, meeting, meeting.plan):
        raise PermissionDenied
    attachment = attachments.meeting_attachment(meeting)
    return file_response(
        attachment.pdf,
        attachment.filename,
        "application/pdf",
        inline=True,
        etag=attachment.published.sha256 if attachment.published is not None else None,
    )


@require_POST
@login_required
def meeting_publish(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    """ "Udgiv til mødet": freeze the attachment as it is now."""
    meeting = _get_meeting(request.user, slug, pk)
    require(request.user, "committees.manage_meeting", meeting)
    try:
        published = attachments.publish_attachment(meeting, request.user)
    except attachments.AlreadyPublished:
        messages.error(request, _("Bilaget er allerede udgivet til mødet og kan ikke ændres."))
    else:
        messages.success(
            request,
            _("Bilaget er udgivet til mødet (SHA-256 %(sha)s).") % {"sha": published.sha256},
        )
    target = reverse("committees:meeting_detail", args=[meeting.plan.slug, meeting.pk])
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": target})
    return redirect(target)


@require_http_methods(["GET", "POST"])
@login_required
def note_create(request: HtmxHttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    """A committee's remark on one item, entered against the meeting where it was made."""
    meeting = _get_meeting(request.user, slug, pk)
    require(request.user, "committees.add_note", meeting.body)
    item = get_object_or_404(_meeting_items(meeting), pk=item_pk)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = form.save(commit=False)
        note.item = item
        note.committee = meeting.body
        note.meeting = meeting
        note.date = meeting.date
        note.save()
        messages.success(
            request, _("Bemærkningen til %(number)s er gemt.") % {"number": item.number}
        )
        if request.htmx:
            item.meeting_notes = list(
                meeting.notes.filter(item=item).select_related("committee").order_by("date", "id")
            )
            context = {"plan": meeting.plan, "meeting": meeting, "item": item, "can_add_note": True}
            response = render(request, "committees/meeting_detail.html#meeting-item-notes", context)
            response["HX-Trigger"] = "noteAdded"
            return response
        return redirect("committees:meeting_detail", meeting.plan.slug, meeting.pk)
    context = {"plan": meeting.plan, "meeting": meeting, "item": item, "form": form}
    template = (
        "committees/note_form.html#note-form" if request.htmx else "committees/note_form.html"
    )
    response = render(request, template, context)
    if request.htmx and request.method == "POST":
        # The form was posted to replace the item's notes; an invalid one replaces itself.
        response["HX-Retarget"] = f"#note-form-{item.pk}"
        response["HX-Reswap"] = "outerHTML"
    return response


def _token_refused() -> HttpResponse:
    response = HttpResponse(
        _("Ugyldig, udløbet eller tilbagekaldt nøgle."),
        status=401,
        content_type="text/plain; charset=utf-8",
    )
    response["WWW-Authenticate"] = 'Bearer realm="udmoentning"'
    return response


@require_safe
def ical(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The plan's meetings as an iCalendar feed. A calendar application cannot sign in, so
    a read token in `?token=` (or `Authorization: Bearer`) is accepted too; a wrong one is
    a 401 as in the JSON API."""
    token = key_from(request)
    if token is not None:
        if usable_token(token) is None:
            return _token_refused()
        plan = get_object_or_404(BudgetPlan, slug=slug)
    elif request.user.is_authenticated:
        plan = get_plan_for(request.user, slug)
    else:
        return redirect_to_login(request.get_full_path())
    host = request.get_host().split(":")[0] or "udmoentning"
    meetings = _meetings(plan).order_by("date", "body__order", "pk")
    events = [
        *feed.meeting_events(
            meetings,
            host,
            lambda meeting: request.build_absolute_uri(
                reverse("committees:meeting_detail", args=[plan.slug, meeting.pk])
            ),
        ),
        *feed.treatment_events(plan, host),
        *feed.deadline_events(plan, host),
    ]
    stamp = timezone.now().astimezone(UTC)
    body = calendar(_("Årshjul – %(title)s") % {"title": plan.title}, events, stamp)
    return file_response(
        body.encode("utf-8"),
        f"aarshjul-{plan.slug}.ics",
        "text/calendar; charset=utf-8",
        inline=True,
    )

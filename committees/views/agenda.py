"""The agenda item text: the administrator's template and the secretary's draft per meeting."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from committees.forms.agenda import AgendaOptionsForm, AgendaSaveForm, AgendaTemplateForm
from committees.models import AgendaTemplate, Committee, CommitteeKind, Meeting, Recommendation
from plans.agenda import (
    PLACEHOLDERS,
    default_template,
    draft_text,
    section_texts,
    stored_template,
    text_blocks,
)
from plans.extracts import build_extract
from plans.forms.extracts import INTERNAL, PUBLIC
from plans.http import HtmxHttpRequest
from plans.models import BudgetPlan
from plans.months import current_month, month_key
from plans.permissions import allowed, get_committee_for, get_plan_for, require


@require_http_methods(["GET", "POST"])
@login_required
def agenda_template(request: HtmxHttpRequest) -> HttpResponse:
    require(request.user, "committees.edit_agenda_template")
    # One standard text per kind of body: ?kind=administrative is the board's.
    kind = request.GET.get("kind", "")
    if kind not in CommitteeKind.values:
        kind = CommitteeKind.POLITICAL
    template = stored_template(kind)
    saved = False
    if request.method == "POST":
        form = AgendaTemplateForm(request.POST)
        if form.is_valid():
            saved = True
            if template is None:
                AgendaTemplate.objects.create(kind=kind, text=form.cleaned_data["text"])
            else:
                template.text = form.cleaned_data["text"]
                template.save(update_fields=["text", "updated_at"])
            messages.success(request, _("Skabelonen er gemt."))
            if not request.htmx:
                return redirect(f"{reverse('committees:agenda_template')}?kind={kind}")
            form = AgendaTemplateForm(initial={"text": form.cleaned_data["text"]})
    else:
        form = AgendaTemplateForm(
            initial={"text": template.text if template else default_template(kind)}
        )
    context = {
        "form": form,
        "placeholders": [("{" + name + "}", text) for name, text in PLACEHOLDERS.items()],
        "is_default": template is None and not saved,
        "saved": saved,
        "kind": kind,
        "kinds": CommitteeKind.choices,
    }
    if request.htmx:
        response = render(request, "committees/agenda_template.html#agenda-template-form", context)
        if saved:
            response["HX-Trigger"] = "agendaTemplateSaved"
        return response
    return render(request, "committees/agenda_template.html", context)


def draft_options(request: HttpRequest, meetings: Any) -> tuple[AgendaOptionsForm, dict[str, Any]]:
    form = AgendaOptionsForm(request.GET or None, meetings=meetings)
    options: dict[str, Any] = {
        "meeting": None,
        "month": current_month(),
        "meeting_date": None,
        "public": True,
        "recommender": "",
        "recommendation": None,
    }
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        meeting = data["meeting"]
        options.update(
            meeting=meeting,
            month=data["as_of"] or current_month(),
            meeting_date=data["meeting_date"] or (meeting.date if meeting else None),
            public=data["version"] != INTERNAL,
            recommender=data["recommender"],
            recommendation=data["recommendation"] or None,
        )
    return form, options


def draft_query(options: dict[str, Any], meeting: Meeting | None = None) -> dict[str, str]:
    meeting = meeting or options["meeting"]
    query = {
        "as_of": month_key(options["month"]),
        "version": PUBLIC if options["public"] else INTERNAL,
    }
    meeting_date: date | None = options["meeting_date"] or (meeting.date if meeting else None)
    if meeting is not None:
        query["meeting"] = str(meeting.pk)
    if meeting_date:
        query["meeting_date"] = meeting_date.isoformat()
    if options["recommender"]:
        query["recommender"] = options["recommender"]
    if options["recommendation"]:
        query["recommendation"] = options["recommendation"]
    return query


@require_http_methods(["GET", "POST"])
@login_required
def agenda_draft(request: HtmxHttpRequest, slug: str, code: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug)
    committee = get_committee_for(request.user, code)
    meetings = Meeting.objects.filter(plan=plan, body=committee).order_by("date")
    options_form, options = draft_options(request, meetings)
    meeting: Meeting | None = options["meeting"]
    extract = build_extract(
        plan,
        committee,
        options["month"],
        public=options["public"],
        meeting_date=options["meeting_date"],
        case_number=(meeting.case_number or None) if meeting else None,
    )
    draft = draft_text(
        plan, extract, options["recommender"], options["recommendation"], meeting=meeting
    )
    saved = bool(meeting and meeting.agenda_text.strip())
    can_save = allowed(request.user, "committees.manage_meeting", committee)
    if request.method == "POST":
        # The agenda text belongs to the meeting: the same rule as changing the meeting.
        require(request.user, "committees.manage_meeting", committee)
        save_form = AgendaSaveForm(request.POST, meetings=meetings, plan=plan)
        if save_form.is_valid():
            meeting = save_agenda_text(plan, committee, save_form.cleaned_data)
            messages.success(
                request,
                _("Teksten er gemt med mødet %(date)s.") % {"date": f"{meeting.date:%d-%m-%Y}"},
            )
            url = reverse("committees:agenda_draft", args=[plan.slug, committee.code])
            url += "?" + urlencode(draft_query(options, meeting))
            if not request.htmx:
                return redirect(url)
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        text = request.POST.get("text", "")
    else:
        text = (
            meeting.agenda_text if saved and meeting and "regenerate" not in request.GET else draft
        )
        save_form = AgendaSaveForm(
            initial={"text": text, "meeting": meeting, "meeting_date": options["meeting_date"]},
            meetings=meetings,
        )
    query = draft_query(options)
    context = {
        "plan": plan,
        "committee": committee,
        "meetings": meetings,
        "meeting": meeting,
        "options_form": options_form,
        "save_form": save_form,
        "text": text,
        "blocks": text_blocks(text),
        "sections": section_texts(text),
        "saved": saved,
        "can_save": can_save,
        "extract": extract,
        "query": urlencode(query),
        "pdf_query": urlencode({**query, "agenda": "1"}),
        "recommendation_label": committee_recommendation_label(committee, options),
    }
    if request.htmx:
        return render(request, "committees/agenda_draft.html#agenda-draft", context)
    return render(request, "committees/agenda_draft.html", context)


def committee_recommendation_label(committee: Committee, options: dict[str, Any]) -> str:
    return str(
        Recommendation(options["recommendation"] or committee.effective_recommendation).label
    )


@transaction.atomic
def save_agenda_text(plan: BudgetPlan, committee: Committee, data: dict[str, Any]) -> Meeting:
    """Keep the final text with the chosen meeting, or with a minimal meeting on the date."""
    meeting: Meeting | None = data["meeting"]
    if meeting is None:
        meeting = (
            Meeting.objects.select_for_update()
            .filter(plan=plan, body=committee, date=data["meeting_date"])
            .first()
        )
    if meeting is None:
        try:
            with transaction.atomic():
                return Meeting.objects.create(
                    plan=plan,
                    body=committee,
                    date=data["meeting_date"],
                    title=plan.title,
                    case_number=plan.case_number,
                    agenda_text=data["text"],
                )
        except IntegrityError:
            # A concurrent save made the meeting first: keep the text with that one.
            meeting = Meeting.objects.select_for_update().get(
                plan=plan, body=committee, date=data["meeting_date"]
            )
    meeting.agenda_text = data["text"]
    meeting.save(update_fields=["agenda_text"])
    return meeting

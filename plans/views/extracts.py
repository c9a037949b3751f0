"""Committee extracts: the list, the HTML preview and the PDF for the agenda."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from committees.models import Committee, Meeting, Recommendation
from plans.agenda import draft_text
from plans.extracts import Extract, build_extract, render_extract_pdf
from plans.forms.extracts import INTERNAL, PUBLIC, WITHOUT_DESCRIPTIONS, ExtractOptionsForm
from plans.http import HtmxHttpRequest, file_response
from plans.models import BudgetPlan, Item
from plans.months import current_month, month_key
from plans.permissions import get_committee_for, get_plan_for


def extract_options(request: HttpRequest) -> tuple[ExtractOptionsForm, dict[str, Any]]:
    """The options from the query string; invalid ones fall back to the defaults, and
    the form carries the Danish error to show."""
    form = ExtractOptionsForm(request.GET or None)
    options: dict[str, Any] = {
        "month": current_month(),
        "meeting_date": None,
        "public": True,
        "narrative": True,
    }
    if form.is_bound and form.is_valid():
        options = {
            "month": form.cleaned_data["as_of"],
            "meeting_date": form.cleaned_data["meeting_date"],
            "public": form.cleaned_data["version"] != INTERNAL,
            # "Med beskrivelser" unless asked otherwise: the default for an extract.
            "narrative": form.cleaned_data["descriptions"] != WITHOUT_DESCRIPTIONS,
        }
    return form, options


def options_query(extract: Extract) -> str:
    query = {"as_of": month_key(extract.as_of), "version": PUBLIC if extract.public else INTERNAL}
    if extract.meeting_date:
        query["meeting_date"] = extract.meeting_date.isoformat()
    if not extract.narrative:
        query["descriptions"] = WITHOUT_DESCRIPTIONS
    return urlencode(query)


def extract_counts(plan: BudgetPlan) -> dict[int, dict[str, int]]:
    """Per committee: own, also-concerned and other cross-cutting items, in two queries."""
    items = list(Item.objects.filter(plan=plan).values_list("id", "committee_id", "cross_cutting"))
    also: dict[int, set[int]] = defaultdict(set)
    for item_id, committee_id in Item.also_committees.through.objects.filter(
        item__plan=plan
    ).values_list("item_id", "committee_id"):
        also[committee_id].add(item_id)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"own": 0, "also": 0, "cross": 0})
    committee_ids = {committee_id for _, committee_id, _ in items} | set(also)
    committee_ids |= set(Committee.objects.values_list("id", flat=True))
    for committee_id in committee_ids:
        row = counts[committee_id]
        for item_id, owner_id, cross in items:
            if owner_id == committee_id:
                row["own"] += 1
            elif item_id in also[committee_id]:
                row["also"] += 1
            elif cross:
                row["cross"] += 1
        row["total"] = row["own"] + row["also"] + row["cross"]
    return counts


@require_safe
@login_required
def extract_list(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug)
    committees = [
        committee
        for committee in Committee.objects.all()
        if request.user.has_perm("plans.export_extract", committee)
    ]
    if not committees:
        raise PermissionDenied
    counts = extract_counts(plan)
    rows = [(committee, counts[committee.pk]) for committee in committees]
    return render(
        request,
        "plans/extract_list.html",
        {"plan": plan, "rows": rows, "as_of": month_key(current_month())},
    )


@require_safe
@login_required
def extract_detail(request: HtmxHttpRequest, slug: str, code: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug)
    committee = get_committee_for(request.user, code)
    form, options = extract_options(request)
    extract = build_extract(
        plan,
        committee,
        options["month"],
        public=options["public"],
        meeting_date=options["meeting_date"],
        narrative=options["narrative"],
    )
    context = {
        "plan": plan,
        "committee": committee,
        "form": form,
        "extract": extract,
        "query": options_query(extract),
        "as_of_key": month_key(extract.as_of),
    }
    if request.htmx:
        return render(request, "plans/extract_detail.html#extract-preview", context)
    return render(request, "plans/extract_detail.html", context)


@require_safe
@login_required
def extract_pdf(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug)
    committee = get_committee_for(request.user, code)
    _form, options = extract_options(request)
    agenda_text = None
    if request.GET.get("agenda") == "1":
        agenda_text = agenda_text_for(request, plan, committee, options)
    extract = build_extract(
        plan,
        committee,
        options["month"],
        public=options["public"],
        meeting_date=options["meeting_date"],
        agenda_text=agenda_text,
        narrative=options["narrative"],
    )
    pdf = render_extract_pdf(extract)
    return file_response(pdf, f"{extract.filename}.pdf", "application/pdf")


def agenda_text_for(
    request: HttpRequest, plan: BudgetPlan, committee: Committee, options: dict[str, Any]
) -> str:
    """The meeting's saved text when there is one, otherwise a fresh draft."""
    meeting_id = request.GET.get("meeting", "")
    if meeting_id.isdigit():
        meeting = Meeting.objects.filter(pk=int(meeting_id), plan=plan, body=committee).first()
        if meeting is not None and meeting.agenda_text.strip():
            return meeting.agenda_text
    extract = build_extract(
        plan,
        committee,
        options["month"],
        public=options["public"],
        meeting_date=options["meeting_date"],
    )
    recommendation = request.GET.get("recommendation", "")
    return draft_text(
        plan,
        extract,
        recommender=request.GET.get("recommender", "")[:100],
        recommendation=recommendation if recommendation in Recommendation.values else None,
    )

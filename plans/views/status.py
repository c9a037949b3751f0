"""The monthly status round: "Mine punkter", saving a status, carry-forward and OBS.

Every POST answers htmx with the item's row (`my_items.html#status-row`) and an
`HX-Trigger: statusChanged` event the progress counter listens for; without JavaScript
it redirects back to "Mine punkter" with a message, or shows the page again with the
row's errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from committees.models import Committee
from plans.forms import CarryForwardForm, ObsForm, StatusForm
from plans.http import HtmxHttpRequest
from plans.models import BudgetPlan, Colour, Item, StatusReport
from plans.months import first_of_month, month_label
from plans.permissions import get_item_for, get_plan_for
from plans.status_round import (
    NothingToCopy,
    RoundState,
    StatusConflict,
    carry_forward,
    deadline_for,
    progress,
    round_items,
    round_state,
    save_status,
    set_obs,
    with_round,
)

REPORT_PERM = "plans.report_status"
OBS_PERM = "plans.mark_obs"


def may_act(user: Any, perm: str, item: Item) -> bool:
    """The rule for every status action. Superusers pass every `has_perm`, so the
    archived-plan refusal is repeated here: an archived plan is a closed record."""
    return not item.plan.is_archived and user.has_perm(perm, item)


def get_item_to_act_on(user: Any, slug: str, pk: int, perm: str) -> Item:
    """Fetch the item and check `perm` on it; PermissionDenied (403) otherwise."""
    item = get_item_for(user, slug, pk, perm)
    if not may_act(user, perm, item):
        raise PermissionDenied
    return item


@dataclass
class StatusRow:
    item: Item
    previous: StatusReport | None
    current: StatusReport | None
    newest_report_id: int | None
    state: RoundState
    can_report: bool
    can_mark_obs: bool
    form: StatusForm | None = None
    obs_form: ObsForm | None = None
    conflict: StatusReport | None = None
    errors: list[str] = field(default_factory=list)
    saved: str = ""

    @property
    def latest(self) -> StatusReport | None:
        return self.current or self.previous

    @property
    def can_carry_forward(self) -> bool:
        return self.can_report and self.previous is not None and self.current is None


def build_rows(
    user: Any, plan: BudgetPlan, items: Any, month: date, today: date
) -> list[StatusRow]:
    """One row per item: two queries (the items, then the reports they point at)."""
    item_list = list(with_round(items, month).select_related("committee", "responsible"))
    report_ids = {
        report_id
        for item in item_list
        for report_id in (item.previous_report_id, item.current_report_id)
        if report_id
    }
    reports = StatusReport.objects.in_bulk(report_ids) if report_ids else {}
    rows = []
    for item in item_list:
        item.plan = plan
        current = reports.get(item.current_report_id)
        previous = reports.get(item.previous_report_id)
        row = StatusRow(
            item=item,
            previous=previous,
            current=current,
            newest_report_id=item.newest_report_id,
            state=round_state(current is not None, today),
            can_report=may_act(user, REPORT_PERM, item),
            can_mark_obs=may_act(user, OBS_PERM, item),
        )
        if row.can_report:
            row.form = unbound_status_form(row)
        if row.can_mark_obs and row.latest is not None:
            row.obs_form = unbound_obs_form(row)
        rows.append(row)
    return rows


def form_id(item: Item, name: str) -> str:
    return f"{name}-{item.pk}-%s"


def unbound_status_form(row: StatusRow) -> StatusForm:
    initial: dict[str, Any] = {"seen_report": row.newest_report_id}
    if row.current is not None:
        initial.update(
            colour=row.current.colour,
            comment=row.current.comment,
            red_reason=row.current.red_reason,
        )
    return StatusForm(initial=initial, auto_id=form_id(row.item, "status"))


def unbound_obs_form(row: StatusRow) -> ObsForm:
    latest = row.latest
    action = ObsForm.REMOVE if latest is not None and latest.obs else ObsForm.MARK
    return ObsForm(
        initial={"seen_report": row.newest_report_id, "action": action},
        auto_id=form_id(row.item, "obs"),
    )


def rebind_after_conflict(form: Any, newest_id: int) -> Any:
    """The person's own input, now carrying the newest report's id: saving again is a
    deliberate choice made after reading the other report."""
    data = form.data.copy()
    data["seen_report"] = str(newest_id)
    rebound = type(form)(data=data, auto_id=form.auto_id)
    rebound.is_valid()
    return rebound


def group_by_committee(rows: list[StatusRow]) -> list[tuple[Any, list[StatusRow]]]:
    groups: dict[int, tuple[Any, list[StatusRow]]] = {}
    for row in sorted(rows, key=lambda row: (row.item.committee.order, row.item.committee.code)):
        groups.setdefault(row.item.committee_id, (row.item.committee, []))[1].append(row)
    return list(groups.values())


@dataclass
class Scope:
    """Whose round the page shows: the signed-in person's own items, or, for those who
    may report on every item (economy chief, administrators), one committee's items
    chosen with `?committee=CODE`."""

    committee: Committee | None = None
    committees: list[Committee] = field(default_factory=list)
    error: str = ""

    @classmethod
    def from_params(cls, user: Any, params: Any) -> Scope:
        if not user.has_perm("plans.report_any_committee"):
            return cls()
        committees = list(Committee.objects.all())
        code = " ".join(str(params.get("committee", "")).split()).casefold()
        if not code:
            return cls(committees=committees)
        for committee in committees:
            if code in (committee.code.casefold(), committee.name.casefold()):
                return cls(committee=committee, committees=committees)
        error = _("Udvalget «%(code)s» findes ikke; her er dine egne punkter.") % {
            "code": params.get("committee")
        }
        return cls(committees=committees, error=error)

    def items(self, plan: BudgetPlan, user: Any) -> Any:
        if self.committee is not None:
            return round_items(Item.objects.filter(plan=plan, committee=self.committee))
        return round_items(Item.objects.filter(plan=plan).answered_by(user))

    @property
    def query(self) -> str:
        return f"?{urlencode({'committee': self.committee.code})}" if self.committee else ""


def round_context(
    plan: BudgetPlan, user: Any, scope: Scope, month: date, today: date
) -> dict[str, Any]:
    return {
        "plan": plan,
        "scope": scope,
        "month": month,
        "month_label": month_label(month),
        "deadline": deadline_for(month),
        "past_deadline": today > deadline_for(month),
        "progress": progress(scope.items(plan, user), month),
        "colours": list(Colour),
    }


def page_context(
    request: HttpRequest, plan: BudgetPlan, scope: Scope, replace: StatusRow | None = None
) -> dict[str, Any]:
    today = timezone.localdate()
    month = first_of_month(today)
    items = scope.items(plan, request.user).in_plan_order()
    rows = build_rows(request.user, plan, items, month, today)
    if replace is not None:
        rows = [replace if row.item.pk == replace.item.pk else row for row in rows]
        if all(row.item.pk != replace.item.pk for row in rows):
            rows.append(replace)
    context = round_context(plan, request.user, scope, month, today)
    context["groups"] = group_by_committee(rows)
    context["row_count"] = len(rows)
    return context


@require_safe
@login_required
def my_items(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug)
    scope = Scope.from_params(request.user, request.GET)
    return render(request, "plans/my_items.html", page_context(request, plan, scope))


@require_safe
@login_required
def status_progress(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug)
    scope = Scope.from_params(request.user, request.GET)
    if not request.htmx:
        return redirect(reverse("plans:my_items", args=[plan.slug]) + scope.query)
    today = timezone.localdate()
    context = round_context(plan, request.user, scope, first_of_month(today), today)
    return render(request, "plans/my_items.html#status-progress", context)


def row_for(request: HttpRequest, item: Item) -> StatusRow:
    today = timezone.localdate()
    return build_rows(
        request.user, item.plan, Item.objects.filter(pk=item.pk), first_of_month(today), today
    )[0]


def respond(
    request: HtmxHttpRequest,
    item: Item,
    *,
    saved: str = "",
    form: Any = None,
    conflict: StatusReport | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    """Success: the fresh row (htmx) or a redirect with a message. Failure: the row
    with the person's input and the errors, alone (htmx) or in the whole page."""
    failed = form is not None or bool(errors)
    scope = Scope.from_params(request.user, request.POST)
    if not failed and not request.htmx:
        messages.success(request, saved)
        page = reverse("plans:my_items", args=[item.plan.slug]) + scope.query
        return redirect(f"{page}#status-row-{item.pk}")
    row = row_for(request, item)
    row.saved = saved
    row.conflict = conflict
    row.errors = errors or []
    if isinstance(form, StatusForm):
        row.form = form
    elif isinstance(form, ObsForm):
        row.obs_form = form
    if request.htmx:
        context = {"plan": item.plan, "row": row, "scope": scope, "colours": list(Colour)}
        response = render(request, "plans/my_items.html#status-row", context)
        if not failed:
            response["HX-Trigger"] = "statusChanged"
        return response
    context = page_context(request, item.plan, scope, replace=row)
    return render(request, "plans/my_items.html", context)


def conflict_message(report: StatusReport) -> str:
    return _(
        "Status blev ikke gemt: %(author)s har afgivet en ny status på punktet "
        "%(when)s, efter at du åbnede siden. Læs den nedenfor, og gem igen, "
        "hvis din status stadig skal gælde."
    ) % {
        "author": report.author_name or _("en anden"),
        "when": timezone.localtime(report.created_at).strftime("%d-%m-%Y kl. %H:%M"),
    }


@require_POST
@login_required
def report_status(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    item = get_item_to_act_on(request.user, slug, pk, REPORT_PERM)
    form = StatusForm(request.POST, auto_id=form_id(item, "status"), item=item)
    if not form.is_valid():
        return respond(request, item, form=form)
    month = first_of_month(timezone.localdate())
    data = form.cleaned_data
    try:
        save_status(
            item,
            author=request.user,
            seen_report_id=data["seen_report"],
            month=month,
            colour=data["colour"],
            comment=data["comment"],
            red_reason=data["red_reason"],
        )
    except StatusConflict as conflict:
        return respond(
            request,
            item,
            form=rebind_after_conflict(form, conflict.report.pk),
            conflict=conflict.report,
            errors=[conflict_message(conflict.report)],
        )
    saved = _("Status for %(number)s er gemt: %(colour)s.") % {
        "number": item.number,
        "colour": Colour(data["colour"]).label,
    }
    return respond(request, item, saved=saved)


@require_POST
@login_required
def carry_forward_status(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    item = get_item_to_act_on(request.user, slug, pk, REPORT_PERM)
    form = CarryForwardForm(request.POST, item=item)
    if not form.is_valid():
        errors = [str(message) for message in form.errors.get("seen_report", [])]
        return respond(request, item, errors=errors)
    try:
        report = carry_forward(
            item,
            author=request.user,
            seen_report_id=form.cleaned_data["seen_report"],
            month=first_of_month(timezone.localdate()),
        )
    except StatusConflict as conflict:
        return respond(
            request, item, conflict=conflict.report, errors=[conflict_message(conflict.report)]
        )
    except NothingToCopy as error:
        return respond(request, item, errors=[str(error)])
    saved = _("Status for %(number)s er gemt som uændret siden sidste måned: %(colour)s.") % {
        "number": item.number,
        "colour": report.get_colour_display(),
    }
    return respond(request, item, saved=saved)


@require_POST
@login_required
def mark_obs(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    item = get_item_to_act_on(request.user, slug, pk, OBS_PERM)
    form = ObsForm(request.POST, auto_id=form_id(item, "obs"), item=item)
    if not form.is_valid():
        return respond(request, item, form=form)
    try:
        set_obs(
            item,
            author=request.user,
            seen_report_id=form.cleaned_data["seen_report"],
            obs=form.marks,
            obs_text=form.cleaned_data["obs_text"],
        )
    except StatusConflict as conflict:
        return respond(
            request,
            item,
            form=rebind_after_conflict(form, conflict.report.pk),
            conflict=conflict.report,
            errors=[conflict_message(conflict.report)],
        )
    except NothingToCopy as error:
        return respond(request, item, errors=[str(error)])
    if form.marks:
        saved = _("%(number)s er markeret som OBS-punkt.") % {"number": item.number}
    else:
        saved = _("OBS-markeringen på %(number)s er fjernet.") % {"number": item.number}
    return respond(request, item, saved=saved)

"""The monthly status round: "Mine punkter", saving a status, carry-forward and OBS.

Every POST answers htmx with the item's row (`my_items.html#status-row`) and an
`HX-Trigger: statusChanged` event the progress counter listens for; without JavaScript
it redirects back to "Mine punkter" with a message, or shows the page again with the
row's errors.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from plans.forms.status import CarryForwardForm, ObsForm, StatusForm
from plans.http import HtmxHttpRequest
from plans.models import (
    BudgetPlan,
    Colour,
    Item,
    ObsAlreadyClosed,
    ObsAlreadyOpen,
    StatusReport,
)
from plans.months import first_of_month
from plans.permissions import get_item_for, get_plan_for
from plans.status_round import (
    OBS_PERM,
    REPORT_PERM,
    NothingToCopy,
    Scope,
    StatusConflict,
    StatusRow,
    carry_forward_status,
    carry_forward_statuses,
    group_by_committee,
    may_act,
    round_rows,
    round_summary,
    save_status,
    set_obs,
)


def get_item_to_act_on(user: Any, slug: str, pk: int, perm: str) -> Item:
    """Fetch the item and check `perm` on it; PermissionDenied (403) otherwise."""
    item = get_item_for(user, slug, pk, perm)
    if not may_act(user, perm, item):
        raise PermissionDenied
    return item


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
    action = ObsForm.REMOVE if row.obs_point is not None else ObsForm.MARK
    return ObsForm(
        initial={"seen_report": row.newest_report_id, "action": action},
        auto_id=form_id(row.item, "obs"),
    )


def build_rows(
    user: Any, plan: BudgetPlan, items: Any, month: date, today: date
) -> list[StatusRow]:
    """The round's rows with the forms the person may use."""
    rows = round_rows(user, plan, items, month, today)
    for row in rows:
        if row.can_report:
            row.form = unbound_status_form(row)
        if row.can_mark_obs and row.latest is not None:
            row.obs_form = unbound_obs_form(row)
    return rows


def rebind_after_conflict(form: Any, newest_id: int) -> Any:
    """The person's own input, now carrying the newest report's id: saving again is a
    deliberate choice made after reading the other report."""
    data = form.data.copy()
    data["seen_report"] = str(newest_id)
    rebound = type(form)(data=data, auto_id=form.auto_id)
    rebound.is_valid()
    return rebound


def round_context(
    plan: BudgetPlan, user: Any, scope: Scope, month: date, today: date
) -> dict[str, Any]:
    return {
        "plan": plan,
        "scope": scope,
        **round_summary(scope.items(plan, user), month, today),
        "colours": list(Colour),
    }


def wants_only_missing(params: Any) -> bool:
    """The "Kun dem der mangler" filter, from the query string (or a POST's fields)."""
    return params.get("missing") == "1"


def page_context(
    request: HttpRequest,
    plan: BudgetPlan,
    scope: Scope,
    replace: StatusRow | None = None,
    only_missing: bool = False,
) -> dict[str, Any]:
    today = timezone.localdate()
    month = first_of_month(today)
    items = scope.open_items(plan, request.user).in_plan_order()
    rows = build_rows(request.user, plan, items, month, today)
    if replace is not None:
        rows = [replace if row.item.pk == replace.item.pk else row for row in rows]
        if all(row.item.pk != replace.item.pk for row in rows):
            rows.append(replace)
    if only_missing:
        rows = [row for row in rows if row.is_missing or row is replace]
    context = round_context(plan, request.user, scope, month, today)
    context["groups"] = group_by_committee([row for row in rows if row.in_round])
    context["other_groups"] = group_by_committee([row for row in rows if not row.in_round])
    context["row_count"] = len(rows)
    context["only_missing"] = only_missing
    context["bulk_count"] = sum(1 for row in rows if row.in_round and row.can_carry_forward)
    return context


@require_safe
@login_required
def my_items(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for(request.user, slug)
    scope = Scope.from_params(request.user, request.GET)
    context = page_context(request, plan, scope, only_missing=wants_only_missing(request.GET))
    return render(request, "plans/my_items.html", context)


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
def carry_forward(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    item = get_item_to_act_on(request.user, slug, pk, REPORT_PERM)
    form = CarryForwardForm(request.POST, item=item)
    if not form.is_valid():
        errors = [str(message) for message in form.errors.get("seen_report", [])]
        return respond(request, item, errors=errors)
    try:
        report = carry_forward_status(
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
    except (NothingToCopy, ObsAlreadyOpen, ObsAlreadyClosed) as error:
        message = str(error) if isinstance(error, NothingToCopy) else _("OBS-punktet er ændret.")
        return respond(request, item, errors=[message])
    if form.marks:
        saved = _("%(number)s er markeret som OBS-punkt.") % {"number": item.number}
    else:
        saved = _("OBS-punktet på %(number)s er lukket.") % {"number": item.number}
    return respond(request, item, saved=saved)


def bulk_seen(post: Any) -> dict[int, int | None] | None:
    """The ticked items and, per item, the newest report id the page showed
    (`seen_<id>`); None when the form was tampered with."""
    seen: dict[int, int | None] = {}
    for value in post.getlist("items"):
        if not value.isdigit() or len(value) > 18:
            return None
        raw = post.get(f"seen_{value}", "")
        if raw and (not raw.isdigit() or len(raw) > 18):
            return None
        seen[int(value)] = int(raw) if raw else None
    return seen


@require_POST
@login_required
def bulk_carry_forward(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """ "Bekræft alle uændrede": the ticked items carried forward at once, each with its
    own result. Without JavaScript a first POST shows what will be saved and asks for
    confirmation; htmx asks in the browser and sends `confirmed=1` at once."""
    plan = get_plan_for(request.user, slug)
    if plan.is_archived:
        raise PermissionDenied
    scope = Scope.from_params(request.user, request.POST)
    page = reverse("plans:my_items", args=[plan.slug]) + scope.query
    seen = bulk_seen(request.POST)
    if not seen:
        message = (
            _("Formularen er ugyldig. Genindlæs siden og prøv igen.")
            if seen is None
            else _("Vælg de punkter, der er uændrede siden sidste måned.")
        )
        if request.htmx:
            context = page_context(request, plan, scope)
            context["bulk_error"] = message
            return render(request, "plans/my_items.html#status-round", context)
        messages.error(request, message)
        return redirect(page)
    month = first_of_month(timezone.localdate())
    if request.POST.get("confirmed") != "1":
        items = Item.objects.filter(plan=plan, pk__in=seen).in_plan_order()
        choices = [(item, seen[item.pk]) for item in items]
        context = {"plan": plan, "scope": scope, "choices": choices, "page": page}
        return render(request, "plans/my_items_bulk_confirm.html", context)
    results = carry_forward_statuses(request.user, plan, seen, month)
    if request.htmx:
        context = page_context(request, plan, scope)
        context["bulk_results"] = results
        response = render(request, "plans/my_items.html#status-round", context)
        response["HX-Trigger"] = "statusChanged"
        return response
    for result in results:
        if result.saved:
            messages.success(request, bulk_saved_message(result))
        else:
            messages.error(request, f"{result.number}: {result.error}".lstrip(": "))
    return redirect(page)


def bulk_saved_message(result: Any) -> str:
    return _("%(number)s er gemt som uændret: %(colour)s.") % {
        "number": result.number,
        "colour": result.report.get_colour_display(),
    }

"""OBS points where the economy chief reviews: raise, follow up and close them on the red
list and on the item page. htmx gets the item's OBS panel back; without JavaScript the
POST redirects back to where it came from with a message, or shows the form again with
its errors. Who may: the one rule `plans.mark_obs` (plans.permissions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans.forms.obs import (
    ITEM,
    RED_LIST,
    ObsBaseForm,
    ObsCloseForm,
    ObsFollowUpForm,
    ObsOpenForm,
)
from plans.http import HtmxHttpRequest
from plans.models import Item, ObsAlreadyClosed, ObsAlreadyOpen, ObsPoint
from plans.months import current_month, month_key
from plans.permissions import allowed, get_item_for, require

OBS_PERM = "plans.mark_obs"


@dataclass
class ObsPanel:
    """What the OBS panel of one item shows: its open point, the forms the user may
    use, and (on the item page) every point the item has had."""

    item: Item
    point: ObsPoint | None
    can_mark: bool
    origin: str
    back: str
    month_key: str
    open_form: ObsOpenForm | None = None
    follow_up_form: ObsFollowUpForm | None = None
    close_form: ObsCloseForm | None = None
    history: list[ObsPoint] = field(default_factory=list)
    message: str = ""
    error: str = ""

    @property
    def decisions(self) -> list[Any]:
        if self.point is None:
            return []
        return [event for event in self.point.events.all() if event.kind == "decision"]


def build_panel(
    user: Any,
    item: Item,
    point: ObsPoint | None,
    *,
    origin: str,
    month: Any,
    back: str = "",
    form: ObsBaseForm | None = None,
    history: list[ObsPoint] | None = None,
) -> ObsPanel:
    panel = ObsPanel(
        item=item,
        point=point,
        can_mark=allowed(user, OBS_PERM, item),
        origin=origin,
        back=back,
        month_key=month_key(month),
        history=history or [],
    )
    if not panel.can_mark:
        return panel
    initial = {"origin": origin, "back": back, "month": panel.month_key}
    if point is None:
        panel.open_form = (
            form
            if isinstance(form, ObsOpenForm)
            else ObsOpenForm(initial=initial, auto_id=f"obs-open-{item.pk}-%s")
        )
    else:
        panel.follow_up_form = (
            form
            if isinstance(form, ObsFollowUpForm)
            else ObsFollowUpForm(initial=initial, auto_id=f"obs-follow-{item.pk}-%s")
        )
        panel.close_form = (
            form
            if isinstance(form, ObsCloseForm)
            else ObsCloseForm(initial=initial, auto_id=f"obs-close-{item.pk}-%s")
        )
    return panel


def item_history(item: Item) -> list[ObsPoint]:
    return list(item.obs_points.prefetch_related("events").order_by("-month", "-id"))


def _current_point(item: Item) -> ObsPoint | None:
    return item.obs_points.open_at().prefetch_related("events").order_by("-month", "-id").first()


def _respond(
    request: HtmxHttpRequest,
    item: Item,
    form: ObsBaseForm,
    *,
    saved: str = "",
    error: str = "",
) -> HttpResponse:
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    origin = data.get("origin") or ITEM
    back = data.get("back") or ""
    month = data.get("month")
    if saved and not request.htmx:
        messages.success(request, saved)
        if origin == RED_LIST:
            url = reverse("plans:red_list", args=[item.plan.slug]) + (f"?{back}" if back else "")
        else:
            url = reverse("plans:item_detail", args=[item.plan.slug, item.pk])
        return HttpResponseRedirect(f"{url}#obs-panel-{item.pk}", status=303)
    panel = build_panel(
        request.user,
        item,
        _current_point(item),
        origin=origin,
        back=back,
        month=month or current_month(),
        form=None if saved or error else form,
        history=item_history(item) if origin == ITEM else None,
    )
    panel.message = saved
    panel.error = error
    context = {"plan": item.plan, "panel": panel}
    if request.htmx:
        response = render(request, "plans/_obs_panel.html", context)
        if saved:
            response["HX-Trigger"] = "obsChanged"
        return response
    return render(request, "plans/obs_form.html", context)


def _get_point(request: HtmxHttpRequest, slug: str, pk: int) -> ObsPoint:
    point = get_object_or_404(
        ObsPoint.objects.select_related("item__plan", "item__committee"),
        item__plan__slug=slug,
        pk=pk,
    )
    require(request.user, OBS_PERM, point.item)
    return point


@require_POST
@login_required
def obs_open(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    item = get_item_for(request.user, slug, pk, OBS_PERM)
    form = ObsOpenForm(request.POST, auto_id=f"obs-open-{item.pk}-%s")
    if not form.is_valid():
        return _respond(request, item, form)
    try:
        item.open_obs(
            text=form.cleaned_data["text"].strip(),
            author=request.user,
            month=form.cleaned_data["month"],
        )
    except ObsAlreadyOpen:
        return _respond(request, item, form, error=_("Punktet har allerede et åbent OBS-punkt."))
    saved = _("%(number)s er markeret som OBS-punkt.") % {"number": item.number}
    return _respond(request, item, form, saved=saved)


@require_POST
@login_required
def obs_follow_up(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    point = _get_point(request, slug, pk)
    item = point.item
    form = ObsFollowUpForm(request.POST, auto_id=f"obs-follow-{item.pk}-%s")
    if not form.is_valid():
        return _respond(request, item, form)
    data = form.cleaned_data
    try:
        point.follow_up(
            text=data["text"].strip(),
            follow_up_by=data["follow_up_by"].strip(),
            due=data["due"],
            author=request.user,
            month=data["month"],
        )
    except ObsAlreadyClosed:
        return _respond(request, item, form, error=_("OBS-punktet er allerede lukket."))
    saved = _("Opfølgningen på OBS-punktet for %(number)s er gemt.") % {"number": item.number}
    return _respond(request, item, form, saved=saved)


@require_POST
@login_required
def obs_close(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    point = _get_point(request, slug, pk)
    item = point.item
    form = ObsCloseForm(request.POST, auto_id=f"obs-close-{item.pk}-%s")
    if not form.is_valid():
        return _respond(request, item, form)
    try:
        point.close(
            reason=form.cleaned_data["text"].strip(),
            author=request.user,
            month=form.cleaned_data["month"],
        )
    except (ObsAlreadyClosed, IntegrityError):
        return _respond(request, item, form, error=_("OBS-punktet er allerede lukket."))
    saved = _("OBS-punktet for %(number)s er lukket.") % {"number": item.number}
    return _respond(request, item, form, saved=saved)

"""Editing an item's narrative: a page of its own without JavaScript, in place with htmx."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from plans.forms.narrative import NarrativeForm
from plans.http import HtmxHttpRequest
from plans.narrative import narrative_of
from plans.permissions import allowed, get_item_for

TEMPLATE = "plans/item_narrative.html"


@require_http_methods(["GET", "POST"])
@login_required
def edit_narrative(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    item = get_item_for(request.user, slug, pk, "plans.edit_narrative")
    form = NarrativeForm(request.POST or None, instance=item)
    saved = False
    if request.method == "POST" and form.is_valid():
        form.save()
        saved = True
        if not request.htmx:
            messages.success(request, _("Beskrivelserne er gemt."))
            return redirect("plans:item_detail", slug, pk)
    context = {
        "plan": item.plan,
        "item": item,
        "form": form,
        "narrative": narrative_of(item),
        "can_edit_narrative": allowed(request.user, "plans.edit_narrative", item),
        "saved": saved,
    }
    if request.htmx:
        # Saved: the texts as the item page shows them; otherwise the form (invalid: 200).
        partial = "item-narrative" if saved else "item-narrative-form"
        return render(request, f"{TEMPLATE}#{partial}", context)
    return render(request, TEMPLATE, context)

"""The first import on a new installation: create the committees a workbook names.

The preview lists each unknown committee once; an administrator creates them here (code
and name as found, kind political committee) and comes back to the same preview, which
is read again with the new committees before anything is imported.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.models import Committee, CommitteeKind
from plans.http import HtmxHttpRequest
from plans.models import PendingImport
from plans.permissions import require

CODE_MAX = Committee._meta.get_field("code").max_length or 20


def suggested_code(found: str) -> str:
    """The code for a committee the workbook names: the text itself when it looks like a
    code ('ØK'), else the initials of its words ('Social-, Sundheds- og Ældreudvalget'
    -> 'SSÆ'). The administrator can change it before creating."""
    text = " ".join(found.split())
    if len(text) <= 8 and " " not in text:
        return text
    words = [word for word in re.split(r"[\s,/;&+-]+", text) if word and word.casefold() != "og"]
    return "".join(word[0].upper() for word in words)[:CODE_MAX] or text[:CODE_MAX]


@require_POST
@login_required
def import_create_committees(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    require(request.user, "plans.import_plan")
    pending = get_object_or_404(PendingImport, pk=pk)
    chosen = request.POST.getlist("create")
    created: list[str] = []
    order = (Committee.objects.aggregate(last=Max("order"))["last"] or 0) + 1
    for index in chosen:
        code = request.POST.get(f"code-{index}", "").strip()[:CODE_MAX]
        name = " ".join(request.POST.get(f"name-{index}", "").split())[:200]
        if not code or not name:
            messages.error(request, _("Et udvalg skal have både kode og navn."))
            continue
        try:
            with transaction.atomic():
                Committee.objects.create(
                    code=code, name=name, kind=CommitteeKind.POLITICAL, order=order
                )
        except IntegrityError:
            messages.error(
                request,
                _("Udvalget %(code)s (%(name)s) findes allerede og blev ikke oprettet.")
                % {"code": code, "name": name},
            )
            continue
        order += 1
        created.append(code)
    if created:
        messages.success(request, _("Oprettede udvalg: %(codes)s.") % {"codes": ", ".join(created)})
    return redirect("plans:import_preview", pk=pending.pk)

"""Importing a workbook from the browser: upload -> preview (the dry run) -> import.

The uploaded bytes are kept as a PendingImport until the administrator confirms or
discards them; confirming imports exactly the previewed bytes (checked by SHA-256).
"""

from __future__ import annotations

import hashlib
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from plans.formatting import danish_number
from plans.forms.imports import NEW_PLAN, UploadForm
from plans.http import HtmxHttpRequest
from plans.importer.reader import HEADER_SCAN_ROWS, header_guide
from plans.importer.writer import (
    ImportPreview,
    ImportRefused,
    PlanTarget,
    apply_import,
    preview_import,
)
from plans.models import BudgetPlan, PendingImport
from plans.permissions import require
from plans.views.import_committees import suggested_code


def _title_key(pk: int) -> str:
    return f"import-title-{pk}"


def _target(pending: PendingImport, title: str) -> PlanTarget:
    plan = BudgetPlan.objects.filter(slug=pending.plan_slug).first()
    if plan is not None:
        return PlanTarget.existing(plan)
    return PlanTarget.new(pending.plan_slug, title)


def _pending_for(request: HttpRequest, pk: int) -> PendingImport:
    """An upload of the last day; an older one is gone (404), as on the upload page."""
    require(request.user, "plans.import_plan")
    pending = get_object_or_404(PendingImport.objects.current(), pk=pk)
    return pending


def _content(pending: PendingImport) -> bytes:
    content = bytes(pending.content)
    if hashlib.sha256(content).hexdigest() != pending.sha256:
        raise PermissionDenied("Den gemte fil svarer ikke til den forhåndsviste.")
    return content


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request: HtmxHttpRequest) -> HttpResponse:
    require(request.user, "plans.import_plan")
    PendingImport.objects.clear_expired()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            is_new = form.cleaned_data["plan"] == NEW_PLAN
            slug = form.cleaned_data["new_slug"].strip() if is_new else form.cleaned_data["plan"]
            pending = PendingImport.objects.create(
                plan_slug=slug,
                filename=(upload.name or "projektmappe.xlsx")[:255],
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
                uploaded_by=cast(User, request.user),
            )
            if is_new:
                request.session[_title_key(pending.pk)] = form.cleaned_data["new_title"].strip()
            return redirect("plans:import_preview", pk=pending.pk)
    else:
        form = UploadForm()
    pending_list = PendingImport.objects.select_related("uploaded_by").order_by("-created_at")[:20]
    context = {
        "form": form,
        "pending_list": pending_list,
        "limit_kb": danish_number(settings.MAX_UPLOAD_BYTES // 1024),
        "header_guide": header_guide(),
        "header_scan_rows": HEADER_SCAN_ROWS,
    }
    template = "plans/import_upload.html"
    if request.htmx:
        template += "#import-upload-form"
    return render(request, template, context)


def _preview_context(pending: PendingImport, preview: ImportPreview) -> dict[str, object]:
    unknown = [
        (index, name, rows, suggested_code(name))
        for index, (name, rows) in enumerate(preview.unknown_committees)
    ]
    return {"pending": pending, "preview": preview, "unknown_committees": unknown}


@require_safe
@login_required
def import_preview(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    pending = _pending_for(request, pk)
    title = request.session.get(_title_key(pk), "")
    try:
        target = _target(pending, title)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("plans:import_upload")
    preview = preview_import(_content(pending), target)
    template = "plans/import_preview.html"
    if request.htmx:
        template += "#import-preview-body"
    return render(request, template, _preview_context(pending, preview))


@require_POST
@login_required
@transaction.atomic
def import_confirm(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    require(request.user, "plans.import_plan")
    # Locked: a second «Importér» at the same moment waits here, then finds the upload
    # gone (imported by the first) instead of creating the plan twice.
    pending = PendingImport.objects.current().select_for_update().filter(pk=pk).first()
    if pending is None:
        messages.info(
            request,
            _("Filen er allerede importeret eller kasseret (eller ældre end et døgn)."),
        )
        url = reverse("plans:import_upload")
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)
    content = _content(pending)
    if request.POST.get("sha256") != pending.sha256:
        raise PermissionDenied("Den gemte fil svarer ikke til den forhåndsviste.")
    title = request.session.get(_title_key(pk), "")
    try:
        preview = apply_import(content, _target(pending, title), request.user)
    except ImportRefused as refused:
        template = "plans/import_preview.html"
        if request.htmx:
            template += "#import-preview-body"
        return render(request, template, _preview_context(pending, refused.preview))
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("plans:import_upload")
    pending.delete()
    request.session.pop(_title_key(pk), None)
    plan = BudgetPlan.objects.get(slug=preview.plan_slug)
    context = {"preview": preview, "plan": plan, "filename": pending.filename}
    template = "plans/import_done.html"
    if request.htmx:
        template += "#import-done-body"
    return render(request, template, context)


@require_POST
@login_required
def import_discard(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    pending = _pending_for(request, pk)
    pending.delete()
    request.session.pop(_title_key(pk), None)
    messages.info(request, _("Den uploadede fil er kasseret; intet er importeret."))
    url = reverse("plans:import_upload")
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)

"""Pending imports expire after a day (on the upload page and by command), and macro-enabled
workbooks (.xlsm) are refused with a message, in the browser and by command."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from plans.importer.safety import UnsafeWorkbook, check_workbook_bytes
from plans.models import PendingImport
from tests.plans.test_import_views import XLSX, upload
from tests.plans.workbooks import HEADER, workbook_bytes

WORKBOOK = workbook_bytes({"Drift": [HEADER, ["D1", "P", "ØK", "", 1, 2, 3, 4]]})


def pending(admin_user: Any, age: timedelta) -> PendingImport:
    made = PendingImport.objects.create(
        plan_slug="2025-2028",
        filename="plan.xlsx",
        content=WORKBOOK,
        sha256="0" * 64,
        uploaded_by=admin_user,
    )
    PendingImport.objects.filter(pk=made.pk).update(created_at=timezone.now() - age)
    return made


def test_the_upload_page_removes_uploads_older_than_a_day_and_says_so(client, admin_user):
    old = pending(admin_user, timedelta(days=1, minutes=1))
    fresh = pending(admin_user, timedelta(hours=23))
    client.force_login(admin_user)
    page = client.get(reverse("plans:import_upload")).content.decode()
    assert list(PendingImport.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert "slettes efter et døgn" in page
    assert reverse("plans:import_preview", args=[old.pk]) not in page


def test_an_upload_removes_expired_ones_too(client, admin_user, committees):
    old = pending(admin_user, timedelta(days=2))
    client.force_login(admin_user)
    upload(client, WORKBOOK)
    assert not PendingImport.objects.filter(pk=old.pk).exists()
    assert PendingImport.objects.count() == 1


def test_an_expired_upload_cannot_be_previewed_or_confirmed(client, admin_user):
    old = pending(admin_user, timedelta(days=1, seconds=1))
    client.force_login(admin_user)
    assert client.get(reverse("plans:import_preview", args=[old.pk])).status_code == 404
    response = client.post(reverse("plans:import_confirm", args=[old.pk]), {"sha256": "0" * 64})
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Filen er allerede importeret eller kasseret (eller ældre end et døgn)."]


def test_the_cron_command_clears_expired_uploads(admin_user):
    pending(admin_user, timedelta(days=3))
    pending(admin_user, timedelta(days=1, minutes=5))
    fresh = pending(admin_user, timedelta(minutes=5))
    out = StringIO()
    call_command("clear_pending_imports", stdout=out)
    assert out.getvalue().strip() == "2 forældede uploads slettet."
    assert list(PendingImport.objects.values_list("pk", flat=True)) == [fresh.pk]


def with_macros(content: bytes) -> bytes:
    """The workbook as Excel saves it with macros: a vbaProject.bin and the macro content type."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            target.writestr(member, data)
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really vba")
    return out.getvalue()


def test_macro_workbooks_are_refused_by_content():
    check_workbook_bytes(WORKBOOK)
    with pytest.raises(UnsafeWorkbook, match="makroer"):
        check_workbook_bytes(with_macros(WORKBOOK))


def test_an_xlsm_upload_is_refused_with_a_message(client, admin_user, committees):
    client.force_login(admin_user)
    response = client.post(
        reverse("plans:import_upload"),
        {
            "file": SimpleUploadedFile("plan.xlsm", WORKBOOK, content_type=XLSX),
            "plan": "__new__",
            "new_slug": "2025-2028",
        },
    )
    assert response.status_code == 200
    assert "projektmappe med makroer (.xlsm)" in response.content.decode()
    assert not PendingImport.objects.exists()

    # Renamed to .xlsx, the macros are still found when the preview reads the file.
    response = upload(client, with_macros(WORKBOOK))
    preview = client.get(response["Location"]).content.decode()
    assert "projektmappe med makroer (.xlsm)" in preview
    assert 'name="sha256"' not in preview  # nothing to confirm


def test_import_plan_refuses_a_macro_workbook(tmp_path, committees):
    path = tmp_path / "plan.xlsm"
    path.write_bytes(with_macros(WORKBOOK))
    with pytest.raises(CommandError, match="makroer"):
        call_command("import_plan", str(path), "--plan", "2025-2028", "--create")

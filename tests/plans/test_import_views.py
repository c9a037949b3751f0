"""The upload page: upload -> preview (dry run) -> Importér -> done."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committees.models import Committee
from plans.models import BudgetPlan, Item, PendingImport, StatusReport
from tests.plans.workbooks import HEADER, SAMPLE, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def all_committees(committees: dict[str, Committee]) -> dict[str, Committee]:
    committees["KFU"] = Committee.objects.create(
        code="KFU", name="Kultur- og Fritidsudvalget", order=10
    )
    committees["SSU"] = Committee.objects.create(
        code="SSU", name="Social- og Sundhedsudvalget", order=11
    )
    return committees


def upload(client: Any, content: bytes, **data: str) -> Any:
    data.setdefault("plan", "__new__")
    if data["plan"] == "__new__":
        data.setdefault("new_slug", "2025-2028")
    return client.post(
        reverse("plans:import_upload"),
        {"file": SimpleUploadedFile("plan.xlsx", content, content_type=XLSX), **data},
    )


def test_upload_page(client: Any, admin_user: Any) -> None:
    client.force_login(admin_user)
    response = client.get(reverse("plans:import_upload"))
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content


def test_upload_page_explains_the_workbook_from_the_readers_own_headings(
    client: Any, admin_user: Any
) -> None:
    """The guide lists the headings the reader matches, so it cannot drift from it."""
    from plans.importer.reader import HEADER_FIELDS, _norm_strict

    client.force_login(admin_user)
    html = client.get(reverse("plans:import_upload")).content.decode()
    assert "Sådan skal projektmappen se ud" in html
    assert "docs/excel-format.md" not in html
    assert "Løbenr., Løbenummer, ID" in html and "Ansvarlig direktør" in html
    guide = html.split("Overskrifter, der genkendes", 1)[1].split("</table>", 1)[0]
    for heading in ("Farvekode", "Forventet behandling", "Tværgående indsats"):
        assert heading in guide and _norm_strict(heading) in HEADER_FIELDS


def test_upload_page_htmx_fragment(client: Any, admin_user: Any) -> None:
    client.force_login(admin_user)
    response = client.get(reverse("plans:import_upload"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"<form" in response.content


def test_upload_needs_permission(client: Any, economy_chief: Any) -> None:
    client.force_login(economy_chief)
    assert client.get(reverse("plans:import_upload")).status_code == 403
    response = upload(client, SAMPLE.read_bytes())
    assert response.status_code == 403
    assert not PendingImport.objects.exists()


def test_upload_wrong_method(client: Any, admin_user: Any) -> None:
    client.force_login(admin_user)
    assert client.put(reverse("plans:import_upload")).status_code == 405


def test_full_flow_new_plan(client: Any, admin_user: Any, all_committees: dict) -> None:
    client.force_login(admin_user)
    response = upload(client, SAMPLE.read_bytes(), new_title="Udmøntningsplan 2025-2028 (import)")
    pending = PendingImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:import_preview", args=[pending.pk])
    assert pending.sha256 == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()

    preview = client.get(response["Location"])
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "oprettes ved import" in text
    assert "Råderumsforslag" in text
    assert "Importér" in text
    assert not BudgetPlan.objects.exists()

    done = client.post(
        reverse("plans:import_confirm", args=[pending.pk]), {"sha256": pending.sha256}
    )
    assert done.status_code == 200
    plan = BudgetPlan.objects.get(slug="2025-2028")
    assert plan.title == "Udmøntningsplan 2025-2028 (import)"
    assert plan.items.count() == 60
    assert reverse("plans:plan_detail", args=[plan.slug]) in done.content.decode()
    assert not PendingImport.objects.exists()
    report = StatusReport.objects.filter(item__number="D01").get()
    assert report.author == admin_user
    assert report.source == "import"


def test_import_into_existing_plan(
    client: Any, admin_user: Any, plan: BudgetPlan, committees: dict
) -> None:
    client.force_login(admin_user)
    content = workbook_bytes({"Drift": [HEADER, ["D1", "P", "ØK", "", 1, 2, 3, 4]]})
    upload(client, content, plan=plan.slug)
    pending = PendingImport.objects.get()
    assert pending.plan_slug == plan.slug
    client.post(reverse("plans:import_confirm", args=[pending.pk]), {"sha256": pending.sha256})
    assert plan.items.get().number == "D1"


def test_preview_shows_problems_and_offers_no_import(
    client: Any, admin_user: Any, committees: dict
) -> None:
    client.force_login(admin_user)
    content = workbook_bytes({"Drift": [HEADER, ["D1", "P", "Ukendt udvalg"]]})
    upload(client, content)
    pending = PendingImport.objects.get()
    response = client.get(reverse("plans:import_preview", args=[pending.pk]))
    text = response.content.decode()
    assert "Ukendt fagudvalg «Ukendt udvalg»" in text
    assert "kan ikke importeres" in text
    assert reverse("plans:import_confirm", args=[pending.pk]) not in text
    # Posting anyway saves nothing.
    response = client.post(
        reverse("plans:import_confirm", args=[pending.pk]), {"sha256": pending.sha256}
    )
    assert response.status_code == 200
    assert not Item.objects.exists()
    assert not BudgetPlan.objects.exists()


def test_preview_htmx_fragment(client: Any, admin_user: Any, committees: dict) -> None:
    client.force_login(admin_user)
    upload(client, workbook_bytes({"Drift": [HEADER, ["D1", "P", "ØK"]]}))
    pending = PendingImport.objects.get()
    response = client.get(
        reverse("plans:import_preview", args=[pending.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert "Driftsændringer" in response.content.decode()


def test_preview_needs_permission(
    client: Any, admin_user: Any, head: Any, committees: dict
) -> None:
    client.force_login(admin_user)
    upload(client, workbook_bytes({"Drift": [HEADER, ["D1", "P", "ØK"]]}))
    pending = PendingImport.objects.get()
    client.force_login(head)
    assert client.get(reverse("plans:import_preview", args=[pending.pk])).status_code == 403
    response = client.post(
        reverse("plans:import_confirm", args=[pending.pk]), {"sha256": pending.sha256}
    )
    assert response.status_code == 403
    assert client.post(reverse("plans:import_discard", args=[pending.pk])).status_code == 403
    assert not Item.objects.exists()


def test_confirm_and_discard_need_post(client: Any, admin_user: Any, committees: dict) -> None:
    client.force_login(admin_user)
    upload(client, workbook_bytes({"Drift": [HEADER, ["D1", "P", "ØK"]]}))
    pending = PendingImport.objects.get()
    assert client.get(reverse("plans:import_confirm", args=[pending.pk])).status_code == 405
    assert client.get(reverse("plans:import_discard", args=[pending.pk])).status_code == 405


def test_confirm_imports_exactly_the_previewed_bytes(
    client: Any, admin_user: Any, committees: dict
) -> None:
    client.force_login(admin_user)
    upload(client, workbook_bytes({"Drift": [HEADER, ["D1", "P", "ØK"]]}))
    pending = PendingImport.objects.get()
    response = client.post(reverse("plans:import_confirm", args=[pending.pk]), {"sha256": "0" * 64})
    assert response.status_code == 403
    # Bytes changed behind the preview's back.
    PendingImport.objects.filter(pk=pending.pk).update(
        content=workbook_bytes({"Drift": [HEADER, ["D9", "Anden", "ØK"]]})
    )
    response = client.post(
        reverse("plans:import_confirm", args=[pending.pk]), {"sha256": pending.sha256}
    )
    assert response.status_code == 403
    assert not Item.objects.exists()


def test_discard(client: Any, admin_user: Any, committees: dict) -> None:
    client.force_login(admin_user)
    upload(client, workbook_bytes({"Drift": [HEADER, ["D1", "P", "ØK"]]}))
    pending = PendingImport.objects.get()
    response = client.post(reverse("plans:import_discard", args=[pending.pk]))
    assert response.status_code == 302
    assert not PendingImport.objects.exists()
    assert not Item.objects.exists()


def test_discard_htmx_redirects(client: Any, admin_user: Any, committees: dict) -> None:
    client.force_login(admin_user)
    upload(client, workbook_bytes({"Drift": [HEADER, ["D1", "P", "ØK"]]}))
    pending = PendingImport.objects.get()
    response = client.post(
        reverse("plans:import_discard", args=[pending.pk]), headers={"HX-Request": "true"}
    )
    assert response["HX-Redirect"] == reverse("plans:import_upload")


def test_file_over_the_upload_limit(client: Any, admin_user: Any, settings: Any) -> None:
    settings.MAX_UPLOAD_BYTES = 1024
    client.force_login(admin_user)
    response = upload(client, SAMPLE.read_bytes())
    assert response.status_code == 200
    assert "Filen er for stor" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_invalid_upload_htmx_returns_fragment_200(client: Any, admin_user: Any) -> None:
    client.force_login(admin_user)
    response = client.post(
        reverse("plans:import_upload"),
        {"plan": "__new__", "new_slug": "sidste år"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"errorlist" in response.content


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a workbook", "Filen er ikke en Excel-projektmappe (.xlsx)."),
        (b"PK\x03\x04garbage", "Filen er ikke en Excel-projektmappe (.xlsx)."),
    ],
)
def test_hostile_upload_gets_a_clear_error(
    client: Any, admin_user: Any, committees: dict, content: bytes, message: str
) -> None:
    client.force_login(admin_user)
    upload(client, content)
    pending = PendingImport.objects.get()
    response = client.get(reverse("plans:import_preview", args=[pending.pk]))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BudgetPlan.objects.exists()


def test_new_plan_slug_must_be_a_budget_period(client: Any, admin_user: Any) -> None:
    client.force_login(admin_user)
    response = upload(client, SAMPLE.read_bytes(), new_slug="sidste år")
    assert "budgetperiode" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_new_plan_slug_must_be_new(client: Any, admin_user: Any, plan: BudgetPlan) -> None:
    client.force_login(admin_user)
    response = upload(client, SAMPLE.read_bytes(), new_slug=plan.slug)
    assert "findes allerede" in response.content.decode()

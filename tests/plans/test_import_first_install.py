"""The first import on a new installation: unknown committees once, created from the
preview, then imported (issue 21)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committees.models import Committee, CommitteeKind
from plans.models import Item, PendingImport
from plans.views.import_committees import suggested_code
from tests.plans.workbooks import workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["Nr.", "Emne", "Fagudvalg", "2025", "2026", "2027", "2028"]


def workbook() -> bytes:
    rows = [HEADER]
    rows += [[f"D{n:02d}", f"Punkt {n}", "ØK", n, 0, 0, 0] for n in range(1, 31)]
    rows += [["R01", "Råderum", "Social-, Sundheds- og Ældreudvalget", 5, 0, 0, 0]]
    return workbook_bytes({"Driftsændringer": rows})


def test_suggested_codes() -> None:
    assert suggested_code("ØK") == "ØK"
    assert suggested_code("Social-, Sundheds- og Ældreudvalget") == "SSÆ"


def test_unknown_committees_listed_once_and_created_from_the_preview(
    client: Any, admin_user: Any
) -> None:
    Committee.objects.all().delete()
    client.force_login(admin_user)
    client.post(
        reverse("plans:import_upload"),
        {
            "file": SimpleUploadedFile("plan.xlsx", workbook(), content_type=XLSX),
            "plan": "__new__",
            "new_slug": "2025-2028",
        },
    )
    pending = PendingImport.objects.get()
    url = reverse("plans:import_preview", args=[pending.pk])
    text = client.get(url).content.decode()
    assert text.count("Ukendt fagudvalg «ØK»") == 1
    assert "i 30 række(r)" in text
    assert "Opret de valgte udvalg" in text
    assert 'value="SSÆ"' in text

    response = client.post(
        reverse("plans:import_create_committees", args=[pending.pk]),
        {
            "create": ["0", "1"],
            "code-0": "ØK",
            "name-0": "Økonomiudvalget",
            "code-1": "SSÆ",
            "name-1": "Social-, Sundheds- og Ældreudvalget",
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    assert set(Committee.objects.values_list("code", "kind")) == {
        ("ØK", CommitteeKind.POLITICAL),
        ("SSÆ", CommitteeKind.POLITICAL),
    }
    text = client.get(url).content.decode()
    assert "Ukendt fagudvalg" not in text
    assert "31 nye eller ændrede punkter" in text
    client.post(reverse("plans:import_confirm", args=[pending.pk]), {"sha256": pending.sha256})
    assert Item.objects.filter(committee__code="ØK").count() == 30
    assert Item.objects.get(number="R01").committee.code == "SSÆ"


def test_only_administrators_create_committees(client: Any, economy_chief: Any, admin_user) -> None:
    pending = PendingImport.objects.create(
        plan_slug="2025-2028", filename="x.xlsx", content=b"x", sha256="0", uploaded_by=admin_user
    )
    client.force_login(economy_chief)
    response = client.post(
        reverse("plans:import_create_committees", args=[pending.pk]),
        {"create": ["0"], "code-0": "NY", "name-0": "Nyt udvalg"},
    )
    assert response.status_code == 403
    assert not Committee.objects.filter(code="NY").exists()

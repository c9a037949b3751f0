"""Every download that can hold internal data is answered through `file_response()`: never
kept by a cache (`Cache-Control: no-store`), and the public and internal versions of a file
have different names and say which they are inside."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from committees.models import Meeting
from plans.models import PublishedReport, PublishedReportKind


@pytest.fixture
def downloads(plan: Any, committees: Any, make_item: Any, admin_user: Any) -> list[str]:
    make_item("R1", committee="AU")
    meeting = Meeting.objects.create(
        plan=plan, body=committees["AU"], date=date(2025, 3, 5), title="Udvalgsmøde"
    )
    published = {
        kind: PublishedReport.objects.create(
            plan=plan,
            kind=kind,
            period=date(2025, 3, 1),
            meeting_date=date(2025, 3, 26),
            pdf=b"%PDF-1.4 test",
            published_by=admin_user,
        )
        for kind in PublishedReportKind.values
    }
    slug = plan.slug
    return [
        reverse("plans:export_xlsx", args=[slug]),
        reverse("plans:export_xlsx", args=[slug]) + "?committee=AU",
        reverse("plans:export_xlsx", args=[slug]) + "?committee=AU&version=intern",
        reverse("plans:api_items", args=[slug]),
        reverse("plans:extract_pdf", args=[slug, "AU"]),
        reverse("plans:board_report_pdf", args=[slug]),
        reverse("plans:published_report_pdf", args=[slug, published["board"].pk]),
        reverse("plans:strategy_pdf", args=[slug]),
        reverse("plans:strategy_published_pdf", args=[slug, published["strategic"].pk]),
        reverse("committees:ical", args=[slug]),
        reverse("committees:meeting_attachment", args=[slug, meeting.pk]),
    ]


def test_every_download_is_never_cached(client: Any, admin_user: Any, downloads: list[str]):
    client.force_login(admin_user)
    for url in downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_public_and_internal_workbooks_differ_in_name_and_content(
    client: Any, admin_user: Any, plan: Any, make_item: Any
) -> None:
    make_item("R1", committee="AU")
    make_item("R2", committee="AU", public=False)
    client.force_login(admin_user)
    url = reverse("plans:export_xlsx", args=[plan.slug])
    public = client.get(url, {"committee": "AU", "as_of": "2025-09"})
    internal = client.get(url, {"committee": "AU", "as_of": "2025-09", "version": "intern"})
    whole = client.get(url, {"as_of": "2025-09"})
    assert "-AU-2025-09-aaben.xlsx" in public["Content-Disposition"]
    assert "-AU-2025-09-intern.xlsx" in internal["Content-Disposition"]
    assert "-2025-09-intern.xlsx" in whole["Content-Disposition"]

    def version(response: Any) -> tuple[str, str]:
        workbook = load_workbook(io.BytesIO(response.content))
        return workbook.properties.keywords, workbook.worksheets[0].cell(row=2, column=1).value

    keywords, subtitle = version(public)
    assert keywords.startswith("Åben sag") and "Åben sag" in subtitle
    keywords, subtitle = version(internal)
    assert keywords == "Intern" and subtitle.endswith("Intern.")


def test_meeting_attachment_says_it_is_the_public_version(
    client: Any, admin_user: Any, plan: Any, committees: Any
) -> None:
    meeting = Meeting.objects.create(
        plan=plan, body=committees["AU"], date=date(2025, 3, 5), title="Udvalgsmøde"
    )
    client.force_login(admin_user)
    response = client.get(reverse("committees:meeting_attachment", args=[plan.slug, meeting.pk]))
    assert 'filename="udsnit-AU-2025-03-05-aaben.pdf"' in response["Content-Disposition"]

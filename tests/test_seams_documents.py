"""Seams between the board-report page and the annual wheel's meetings: what a board
meeting's attachment is, after the board report for its day was published again."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from django.urls import reverse

from committees.models import Meeting
from plans.models import Colour, PublishedReport, PublishedReportKind

MEETING_DAY = date(2025, 3, 26)


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8").split())


@pytest.fixture
def board_meeting(plan, committees, make_item, director):
    item = make_item("D01", cross_cutting=True, title="Effektiviseringsbidrag")
    item.record_status(colour=Colour.GREEN, comment="Følger planen", period=date(2025, 3, 1))
    meeting = Meeting.objects.create(
        plan=plan, body=committees["DIR"], date=MEETING_DAY, title="Månedlig status"
    )
    return {"item": item, "meeting": meeting}


def publish_board_report(client, plan, token, replaces=None):
    data = {
        "month": "2025-03",
        "meeting_date": MEETING_DAY.isoformat(),
        "case_number": "24/7615",
        "token": token,
    }
    if replaces is not None:
        data["replaces"] = replaces
    return client.post(reverse("plans:board_report", args=[plan.slug]), data)


def attachment(client, plan, meeting):
    response = client.get(reverse("committees:meeting_attachment", args=[plan.slug, meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_a_board_meeting_shows_the_edition_that_replaced_the_first(
    client, plan, economy_chief, director, board_meeting
):
    item, meeting = board_meeting["item"], board_meeting["meeting"]
    client.force_login(economy_chief)
    assert publish_board_report(client, plan, "a" * 32).status_code == 303
    first = PublishedReport.objects.get(kind=PublishedReportKind.BOARD)
    first_bytes = bytes(first.pdf)
    # A correction before the meeting, then a new edition that replaces the first one.
    item.record_status(
        colour=Colour.RED,
        comment="Rettet før mødet",
        red_reason="stalled",
        period=date(2025, 3, 1),
        author=director,
    )
    assert publish_board_report(client, plan, "b" * 32, replaces=first.pk).status_code == 303
    second = PublishedReport.objects.get(kind=PublishedReportKind.BOARD, replaces=first)

    # The meeting's page and its attachment: the edition now going to the meeting.
    pdf = attachment(client, plan, meeting)
    assert pdf == bytes(second.pdf)
    assert "Rettet før mødet" in pdf_text(pdf)
    page = client.get(reverse("committees:meeting_detail", args=[plan.slug, meeting.pk]))
    assert second.sha256 in page.content.decode()
    assert first.sha256 not in page.content.decode()
    # "Udgiv til mødet" links that edition, and the first is kept unchanged.
    client.post(reverse("committees:meeting_publish", args=[plan.slug, meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.attachment_id == second.pk
    first.refresh_from_db()
    assert bytes(first.pdf) == first_bytes
    assert PublishedReport.objects.filter(kind=PublishedReportKind.BOARD).count() == 2


def test_a_published_board_report_stays_as_it_was_a_month_later(
    client, plan, economy_chief, director, board_meeting
):
    item = board_meeting["item"]
    client.force_login(economy_chief)
    assert publish_board_report(client, plan, "a" * 32).status_code == 303
    march = PublishedReport.objects.get(kind=PublishedReportKind.BOARD)
    march_bytes = bytes(march.pdf)
    march_url = reverse("plans:published_report_pdf", args=[plan.slug, march.pk])
    # April: a new status, a closed X, and April's report for April's meeting.
    item.record_status(colour=Colour.YELLOW, comment="Aprilstatus", period=date(2025, 4, 1))
    response = client.post(
        reverse("plans:board_report", args=[plan.slug]),
        {"month": "2025-04", "meeting_date": "2025-04-30", "token": "c" * 32},
    )
    assert response.status_code == 303
    april = PublishedReport.objects.get(kind=PublishedReportKind.BOARD, period=date(2025, 4, 1))
    assert april.replaces is None
    assert "Aprilstatus" in pdf_text(bytes(april.pdf))
    response = client.get(march_url)
    assert response.content == march_bytes
    assert "Aprilstatus" not in pdf_text(response.content)
    # The March meeting still gets March's report.
    assert attachment(client, plan, board_meeting["meeting"]) == march_bytes

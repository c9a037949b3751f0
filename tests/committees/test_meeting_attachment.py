"""A meeting's attachment is what went to the meeting (issue 22).

Before publication: a preview as of the meeting (statuses at or before its month,
remarks dated before its day). "Udgiv til mødet" stores the bytes; later statuses and
remarks change later attachments only.
"""

from __future__ import annotations

import hashlib
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from committees.attachments import preview_pdf
from committees.models import CommitteeNote, Meeting
from plans.models import Colour, PublishedReport, PublishedReportKind


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode("utf-8").split())


@pytest.fixture
def setting(plan, committees, make_item):
    r307 = make_item("R307", committee="AU", cross_cutting=True, title="Fraværsindsatsen")
    r307.record_status(colour=Colour.YELLOW, comment="Januarstatus", period=date(2025, 1, 1))
    au = Meeting.objects.create(
        plan=plan, body=committees["AU"], date=date(2025, 1, 23), title="Udmøntningsplan"
    )
    board = Meeting.objects.create(
        plan=plan, body=committees["DIR"], date=date(2025, 1, 29), title="Månedlig status"
    )
    CommitteeNote.objects.create(
        item=r307, committee=committees["AU"], date=date(2025, 1, 10), text="Tidligere ønske"
    )
    return {"item": r307, "au": au, "board": board}


def attachment(client, plan, meeting):
    response = client.get(reverse("committees:meeting_attachment", args=[plan.slug, meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def publish(client, plan, meeting, **extra):
    return client.post(reverse("committees:meeting_publish", args=[plan.slug, meeting.pk]), **extra)


def test_the_preview_is_as_of_the_meeting(client, admin_user, plan, committees, setting):
    item, meeting = setting["item"], setting["au"]
    # Recorded at the meeting, and a status for the month after: neither belongs.
    CommitteeNote.objects.create(
        item=item,
        committee=committees["AU"],
        meeting=meeting,
        date=meeting.date,
        text="Sagt på mødet",
    )
    item.record_status(colour=Colour.RED, comment="Februarstatus", period=date(2025, 2, 1))
    client.force_login(admin_user)
    text = pdf_text(attachment(client, plan, meeting))
    assert "Januarstatus" in text and "Februarstatus" not in text
    assert "Tidligere ønske" in text
    assert "Sagt på mødet" not in text
    page = client.get(reverse("committees:meeting_detail", args=[plan.slug, meeting.pk]))
    assert "Forhåndsvisning" in page.content.decode()


def test_publishing_freezes_the_attachment(client, admin_user, plan, committees, setting):
    item, meeting = setting["item"], setting["au"]
    client.force_login(admin_user)
    response = publish(client, plan, meeting)
    assert response.status_code == 302
    meeting.refresh_from_db()
    stored = PublishedReport.objects.get(pk=meeting.attachment_id)
    assert stored.kind == PublishedReportKind.EXTRACT
    assert stored.meeting_date == meeting.date and stored.period == date(2025, 1, 1)
    first = attachment(client, plan, meeting)
    assert first == bytes(stored.pdf)
    assert hashlib.sha256(first).hexdigest() == stored.sha256

    # Later: a corrected January status, a remark at the meeting and an earlier-dated one.
    item.record_status(colour=Colour.RED, comment="Rettet januarstatus", period=date(2025, 1, 1))
    CommitteeNote.objects.create(
        item=item, committee=committees["AU"], meeting=meeting, date=meeting.date, text="På mødet"
    )
    CommitteeNote.objects.create(
        item=item, committee=committees["AU"], date=date(2025, 1, 15), text="Indført senere"
    )
    assert attachment(client, plan, meeting) == first
    assert "Rettet januarstatus" not in pdf_text(first)
    # What a new preview would say has changed; the meeting's attachment has not.
    assert "Rettet januarstatus" in pdf_text(preview_pdf(meeting))

    page = client.get(reverse("committees:meeting_detail", args=[plan.slug, meeting.pk]))
    html = page.content.decode()
    assert stored.sha256 in html and "Udgiv til mødet" not in html


def test_remarks_made_at_a_meeting_appear_in_the_next_meetings_attachment(
    client, admin_user, plan, committees, setting
):
    item, meeting = setting["item"], setting["au"]
    CommitteeNote.objects.create(
        item=item, committee=committees["AU"], meeting=meeting, date=meeting.date, text="På mødet"
    )
    later = Meeting.objects.create(
        plan=plan, body=committees["AU"], date=date(2025, 3, 20), title="Næste møde"
    )
    client.force_login(admin_user)
    assert "På mødet" not in pdf_text(attachment(client, plan, meeting))
    assert "På mødet" in pdf_text(attachment(client, plan, later))


def test_a_meeting_is_published_once(client, admin_user, plan, setting):
    client.force_login(admin_user)
    publish(client, plan, setting["au"])
    response = publish(client, plan, setting["au"], follow=True)
    assert "allerede udgivet" in response.content.decode()
    assert PublishedReport.objects.filter(kind=PublishedReportKind.EXTRACT).count() == 1


def test_the_board_meeting_publishes_the_status_report(client, economy_chief, plan, setting):
    client.force_login(economy_chief)
    response = publish(client, plan, setting["board"], HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"]
    setting["board"].refresh_from_db()
    stored = PublishedReport.objects.get(pk=setting["board"].attachment_id)
    assert stored.kind == PublishedReportKind.BOARD
    assert attachment(client, plan, setting["board"]) == bytes(stored.pdf)


@pytest.mark.parametrize("who", ["secretary", "economy_chief", "director", "head"])
def test_only_those_who_manage_the_meeting_publish(client, request, plan, setting, who):
    # The AU secretary manages AU; the others do not (the economy chief: the board only).
    client.force_login(request.getfixturevalue(who))
    response = publish(client, plan, setting["au"])
    setting["au"].refresh_from_db()
    if who == "secretary":
        assert response.status_code == 302 and setting["au"].attachment_id
    else:
        assert response.status_code == 403 and setting["au"].attachment_id is None


def test_publish_refuses_get(client, admin_user, plan, setting):
    client.force_login(admin_user)
    url = reverse("committees:meeting_publish", args=[plan.slug, setting["au"].pk])
    assert client.get(url).status_code == 405


def test_a_board_report_published_for_the_meetings_day_is_the_meetings_attachment(
    client, economy_chief, plan, setting
):
    # Published from the board-report page for the board meeting of 29-01-2025; a later
    # status must not reach that meeting's attachment (issue 22: D02 after 508f42c4...).
    board, item = setting["board"], setting["item"]
    client.force_login(economy_chief)
    response = client.post(
        reverse("plans:board_report", args=[plan.slug]),
        {"month": "2025-01", "meeting_date": "2025-01-29", "case_number": "24/7615"},
    )
    assert response.status_code in (302, 303)
    stored = PublishedReport.objects.get(kind=PublishedReportKind.BOARD)
    item.record_status(colour=Colour.RED, comment="Senere ændring", period=date(2025, 1, 1))
    pdf = attachment(client, plan, board)
    assert pdf == bytes(stored.pdf) and "Senere ændring" not in pdf_text(pdf)
    page = client.get(reverse("committees:meeting_detail", args=[plan.slug, board.pk]))
    assert stored.sha256 in page.content.decode()
    # "Udgiv til mødet" then links that report rather than making a second one.
    publish(client, plan, board)
    board.refresh_from_db()
    assert board.attachment_id == stored.pk
    assert PublishedReport.objects.filter(kind=PublishedReportKind.BOARD).count() == 1


def test_a_published_meeting_keeps_its_day_and_body(client, admin_user, plan, committees, setting):
    """The attachment went to the meeting of that day: moving the meeting afterwards would
    leave the stored PDF answering for another day. The title may still be corrected."""
    meeting = setting["au"]
    client.force_login(admin_user)
    publish(client, plan, meeting)
    url = reverse("committees:meeting_edit", args=[plan.slug, meeting.pk])
    fields = {"body": committees["AU"].pk, "date": "2025-01-23", "title": "Udmøntningsplan"}
    for change in ({"date": "2025-02-20"}, {"body": committees["BUU"].pk}):
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.post(url, {**fields, **change}, **headers)
            assert response.status_code == 200
            assert "Bilaget er udgivet til mødet" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.date, meeting.body_id) == (date(2025, 1, 23), committees["AU"].pk)

    response = client.post(url, {**fields, "title": "Udmøntningsplan, 1. kvartal"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Udmøntningsplan, 1. kvartal"


def test_an_unpublished_meeting_may_move(client, admin_user, plan, committees, setting):
    meeting = setting["au"]
    client.force_login(admin_user)
    url = reverse("committees:meeting_edit", args=[plan.slug, meeting.pk])
    fields = {"body": committees["AU"].pk, "date": "2025-02-20", "title": "Udmøntningsplan"}
    assert client.post(url, fields).status_code == 302
    meeting.refresh_from_db()
    assert meeting.date == date(2025, 2, 20)

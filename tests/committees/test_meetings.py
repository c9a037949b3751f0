"""Meetings in the annual wheel, a meeting's page, creating one, and its attachment made as
of the meeting's date."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from django.urls import reverse

from committees.models import Meeting
from plans.models import Colour, Theme

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def meetings(plan, committees, make_item):
    economy = Theme.objects.create(plan=plan, name="Økonomi", order=0)
    r307 = make_item("R307", committee="AU", cross_cutting=True, title="Fraværsindsatsen")
    r307.record_status(
        colour=Colour.RED, comment="Sagen er gået i stå i januar", period=date(2025, 1, 1)
    )
    r307.record_status(colour=Colour.GREEN, comment="Løst i februar", period=date(2025, 2, 1))
    make_item("D11", committee="AU", title="Unge uden uddannelse")
    make_item("A01", committee="BUU", title="Ny daginstitution i Ørsted")
    au = Meeting.objects.create(
        plan=plan,
        body=committees["AU"],
        date=date(2025, 1, 23),
        title="Udmøntningsplan 2025-2028",
        case_number="24/7615",
    )
    dir_march = Meeting.objects.create(
        plan=plan,
        body=committees["DIR"],
        date=date(2025, 3, 26),
        title="Udmøntningsplan 2025-2028 - Strategiske og tværgående indsatser",
        case_number="25/1234",
        focus_theme=economy,
    )
    dir_jan = Meeting.objects.create(
        plan=plan,
        body=committees["DIR"],
        date=date(2025, 1, 29),
        title="Månedlig status",
        case_number="25/0042",
    )
    Meeting.objects.create(
        plan=plan, body=committees["BUU"], date=date(2026, 1, 15), title="Udmøntning 2026"
    )
    return {"au": au, "dir_march": dir_march, "dir_jan": dir_jan, "economy": economy, "r307": r307}


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "bilag.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


# The annual wheel


def test_wheel_groups_the_years_meetings_by_danish_month(client, director, plan, meetings):
    client.force_login(director)
    response = client.get(reverse("committees:annual_wheel", args=[plan.slug]), {"year": 2025})
    html = response.content.decode()
    assert response.status_code == 200
    for month in ["Januar", "Februar", "Marts", "December"]:
        assert f">{month}</h2>" in html
    january = html[html.index(">Januar</h2>") : html.index(">Februar</h2>")]
    assert "Arbejdsmarkedsudvalget" in january and "Månedlig status" in january
    assert january.index("23. januar") < january.index("29. januar")
    march = html[html.index(">Marts</h2>") : html.index(">April</h2>")]
    assert "Strategiske og tværgående indsatser" in march
    assert "Fokusområde:" in march and "Økonomi" in march
    assert reverse("committees:meeting_detail", args=[plan.slug, meetings["au"].pk]) in html
    assert reverse("committees:meeting_attachment", args=[plan.slug, meetings["au"].pk]) in html
    assert "Udmøntning 2026" not in html  # another year


def test_wheel_year_links_are_plain_numbers(client, director, plan, meetings):
    client.force_login(director)
    html = client.get(
        reverse("committees:annual_wheel", args=[plan.slug]), {"year": 2025}
    ).content.decode()
    assert "?year=2026" in html and "Årshjul 2025" in html
    assert "2.026" not in html


def test_wheel_other_year(client, director, plan, meetings):
    client.force_login(director)
    response = client.get(reverse("committees:annual_wheel", args=[plan.slug]), {"year": "2026"})
    assert "Udmøntning 2026" in response.content.decode()


def test_wheel_bad_year_falls_back_without_error(client, director, plan, meetings):
    client.force_login(director)
    response = client.get(reverse("committees:annual_wheel", args=[plan.slug]), {"year": "abc"})
    assert response.status_code == 200


def test_wheel_hides_attachments_the_user_may_not_open(client, secretary, plan, meetings):
    client.force_login(secretary)  # secretary of AU only
    html = client.get(
        reverse("committees:annual_wheel", args=[plan.slug]), {"year": 2025}
    ).content.decode()
    assert reverse("committees:meeting_attachment", args=[plan.slug, meetings["au"].pk]) in html
    assert (
        reverse("committees:meeting_attachment", args=[plan.slug, meetings["dir_march"].pk])
        not in html
    )


def test_wheel_query_count_does_not_grow_with_meetings(
    client, director, plan, committees, meetings, django_assert_max_num_queries
):
    for day in range(1, 28):
        Meeting.objects.create(
            plan=plan, body=committees["DIR"], date=date(2025, 6, day), title=f"Møde {day}"
        )
    client.force_login(director)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("committees:annual_wheel", args=[plan.slug]), {"year": 2025})
    assert response.status_code == 200


def test_wheel_htmx_fragment(client, director, plan, meetings):
    client.force_login(director)
    response = client.get(
        reverse("committees:annual_wheel", args=[plan.slug]), {"year": 2025}, **HTMX
    )
    html = response.content.decode()
    assert "<html" not in html and 'id="wheel-months"' in html and "Månedlig status" in html


def test_wheel_refuses_post(client, director, plan):
    client.force_login(director)
    assert client.post(reverse("committees:annual_wheel", args=[plan.slug])).status_code == 405


def test_wheel_needs_a_role(client, make_user, plan):
    client.force_login(make_user("nobody", None))
    assert client.get(reverse("committees:annual_wheel", args=[plan.slug])).status_code == 403


# A meeting's page


def test_meeting_detail_shows_the_committees_extract_items(client, director, plan, meetings):
    client.force_login(director)
    au = meetings["au"]
    response = client.get(reverse("committees:meeting_detail", args=[plan.slug, au.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "23. januar 2025" in html and "24/7615" in html
    assert "Fraværsindsatsen" in html and "Unge uden uddannelse" in html
    assert "Ny daginstitution i Ørsted" not in html  # BUU's own item


def test_board_meeting_detail_shows_cross_cutting_items_and_focus(client, director, plan, meetings):
    client.force_login(director)
    response = client.get(
        reverse("committees:meeting_detail", args=[plan.slug, meetings["dir_march"].pk])
    )
    html = response.content.decode()
    assert "Fraværsindsatsen" in html and "Unge uden uddannelse" not in html
    assert "Økonomi" in html and "Statusrapport som bilag" in html


def test_meeting_of_another_plan_is_not_found(client, director, plan, meetings):
    from plans.models import BudgetPlan

    BudgetPlan.objects.create(slug="2026-2029", title="Ny", first_year=2026, last_year=2029)
    client.force_login(director)
    response = client.get(
        reverse("committees:meeting_detail", args=["2026-2029", meetings["au"].pk])
    )
    assert response.status_code == 404


def test_meeting_detail_htmx_and_method_and_permission(client, director, make_user, plan, meetings):
    url = reverse("committees:meeting_detail", args=[plan.slug, meetings["au"].pk])
    client.force_login(director)
    html = client.get(url, **HTMX).content.decode()
    assert "<html" not in html and 'id="meeting-items"' in html
    assert client.post(url).status_code == 405
    client.force_login(make_user("nobody", None))
    assert client.get(url).status_code == 403


# Creating a meeting


def test_secretary_creates_a_meeting(client, secretary, head, plan, committees, meetings):
    client.force_login(secretary)
    response = client.post(
        reverse("committees:meeting_create", args=[plan.slug]),
        {
            "body": committees["AU"].pk,
            "date": "2025-08-21",
            "title": "Halvårsstatus",
            "case_number": "24/7615",
            "focus_theme": meetings["economy"].pk,
            "invited": [head.pk],
            "agenda_text": "Udvalget orienteres.",
        },
    )
    meeting = Meeting.objects.get(title="Halvårsstatus")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "committees:meeting_detail", args=[plan.slug, meeting.pk]
    )
    assert (meeting.plan, meeting.body, meeting.date) == (plan, committees["AU"], date(2025, 8, 21))
    assert list(meeting.invited.all()) == [head]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date": "2031-01-01"}, "Mødedatoen skal ligge mellem 01-01-2023 og 31-12-2030"),
        ({"date": "23-01-2025x"}, "gyldig dato"),
        ({"focus_committee": "BOTH"}, "ikke begge"),
        ({"title": ""}, "påkrævet"),
    ],
)
def test_meeting_form_errors_are_danish_and_nothing_is_saved(
    client, secretary, plan, committees, meetings, changes, message
):
    client.force_login(secretary)
    data = {"body": committees["AU"].pk, "date": "2025-08-21", "title": "Nyt møde"}
    if changes.pop("focus_committee", None):
        data.update(focus_theme=meetings["economy"].pk, focus_committee=committees["BUU"].pk)
    data.update(changes)
    before = Meeting.objects.count()
    response = client.post(reverse("committees:meeting_create", args=[plan.slug]), data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert message in html
    assert Meeting.objects.count() == before


def test_meeting_create_page_and_permission(client, director, secretary, plan):
    url = reverse("committees:meeting_create", args=[plan.slug])
    client.force_login(secretary)
    assert client.get(url).status_code == 200
    assert client.put(url).status_code == 405
    client.force_login(director)
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "x"}).status_code == 403


# The attachment, made as of the meeting's date


def test_committee_meeting_attachment_is_the_extract_as_of_the_meeting(
    client, secretary, plan, meetings, tmp_path
):
    client.force_login(secretary)
    response = client.get(
        reverse("committees:meeting_attachment", args=[plan.slug, meetings["au"].pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    title_block = text[:1500]
    assert "23-01-2025" in title_block or "23. januar 2025" in title_block
    assert "24/7615" in title_block
    assert "Sagen er gået i stå i januar" in text
    assert "Løst i februar" not in text  # reported after the meeting's month


def test_board_meeting_attachment_is_the_status_report_as_of_the_meeting(
    client, director, plan, meetings, tmp_path
):
    client.force_login(director)
    response = client.get(
        reverse("committees:meeting_attachment", args=[plan.slug, meetings["dir_jan"].pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    title_block = text[:1500]
    assert "29-01-2025" in title_block or "29. januar 2025" in title_block
    assert "25/0042" in title_block
    assert "Sagen er gået i stå i januar" in text
    assert "Løst i februar" not in text


def test_attachment_needs_permission_for_its_kind(client, secretary, reader, plan, meetings):
    client.force_login(secretary)  # AU's secretary: not the board's report
    assert (
        client.get(
            reverse("committees:meeting_attachment", args=[plan.slug, meetings["dir_jan"].pk])
        ).status_code
        == 403
    )
    client.force_login(reader)
    assert (
        client.get(
            reverse("committees:meeting_attachment", args=[plan.slug, meetings["au"].pk])
        ).status_code
        == 403
    )


def test_attachment_refuses_post(client, director, plan, meetings):
    client.force_login(director)
    url = reverse("committees:meeting_attachment", args=[plan.slug, meetings["au"].pk])
    assert client.post(url).status_code == 405


# Changing and deleting a meeting


def test_secretary_changes_a_meetings_date_and_case_number(client, secretary, plan, meetings):
    meeting = meetings["au"]
    url = reverse("committees:meeting_edit", args=[plan.slug, meeting.pk])
    client.force_login(secretary)
    page = client.get(url).content.decode()
    assert 'value="2025-01-23"' in page and "Gem ændringer" in page
    response = client.post(
        url,
        {
            "body": meeting.body_id,
            "date": "2025-01-30",
            "title": meeting.title,
            "case_number": "25/0001",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "committees:meeting_detail", args=[plan.slug, meeting.pk]
    )
    meeting.refresh_from_db()
    assert (meeting.date, meeting.case_number, meeting.plan) == (date(2025, 1, 30), "25/0001", plan)
    assert Meeting.objects.filter(plan=plan).count() == 4  # changed, not added
    # The history says who changed it, and what it said before.
    change, before = meeting.history.all()[:2]
    assert (change.history_type, change.history_user, change.case_number) == (
        "~",
        secretary,
        "25/0001",
    )
    assert before.date == date(2025, 1, 23)


def test_a_bad_change_says_why_in_danish_and_keeps_the_meeting(client, secretary, plan, meetings):
    meeting = meetings["au"]
    client.force_login(secretary)
    response = client.post(
        reverse("committees:meeting_edit", args=[plan.slug, meeting.pk]),
        {"body": meeting.body_id, "date": "2031-01-01", "title": ""},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Mødedatoen skal ligge mellem 01-01-2023 og 31-12-2030" in html and "påkrævet" in html
    meeting.refresh_from_db()
    assert (meeting.date, meeting.title) == (date(2025, 1, 23), "Udmøntningsplan 2025-2028")


def test_meeting_page_offers_change_and_delete_only_to_those_who_manage_meetings(
    client, secretary, director, plan, meetings
):
    url = reverse("committees:meeting_detail", args=[plan.slug, meetings["au"].pk])
    edit = reverse("committees:meeting_edit", args=[plan.slug, meetings["au"].pk])
    client.force_login(secretary)
    assert edit in client.get(url).content.decode()
    client.force_login(director)
    assert edit not in client.get(url).content.decode()
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"title": "x"}).status_code == 403


def test_deleting_a_meeting_asks_first_and_keeps_its_notes(client, secretary, plan, meetings):
    from committees.models import CommitteeNote

    meeting = meetings["au"]
    note = CommitteeNote.objects.create(
        item=meetings["r307"],
        committee=meeting.body,
        meeting=meeting,
        date=meeting.date,
        text="Ad. 307. Udvalget ønsker beregningen.",
    )
    url = reverse("committees:meeting_delete", args=[plan.slug, meeting.pk])
    client.force_login(secretary)
    page = client.get(url).content.decode()
    assert "Slet mødet?" in page and "bliver stående" in page
    assert Meeting.objects.filter(pk=meeting.pk).exists()  # a GET deletes nothing

    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0].endswith(
        reverse("committees:annual_wheel", args=[plan.slug]) + "?year=2025"
    )
    assert "er slettet" in response.content.decode()
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    deleted = Meeting.history.filter(id=meeting.pk).first()
    assert (deleted.history_type, deleted.history_user, deleted.title) == (
        "-",
        secretary,
        meeting.title,
    )
    note.refresh_from_db()
    assert (note.meeting, note.item, note.date) == (None, meetings["r307"], date(2025, 1, 23))


def test_a_meeting_of_another_plan_cannot_be_changed_or_deleted(client, secretary, plan, meetings):
    from plans.models import BudgetPlan

    other = BudgetPlan.objects.create(
        slug="2026-2029", title="Plan 2026-2029", first_year=2026, last_year=2029
    )
    client.force_login(secretary)
    for name in ("committees:meeting_edit", "committees:meeting_delete"):
        url = reverse(name, args=[other.slug, meetings["au"].pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert Meeting.objects.filter(pk=meetings["au"].pk).exists()

"""A committee's remarks ("Ad. 307. ...") entered against the meeting and the item."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from committees.models import CommitteeNote, Meeting

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def au_meeting(plan, committees, make_item):
    make_item("R307", committee="AU", cross_cutting=True, title="Fraværsindsatsen")
    make_item("A01", committee="BUU", title="Ny daginstitution i Ørsted")
    return Meeting.objects.create(
        plan=plan,
        body=committees["AU"],
        date=date(2025, 1, 23),
        title="Udmøntningsplan 2025-2028",
        case_number="24/7615",
    )


def item(plan, number):
    return plan.items.get(number=number)


def note_url(plan, meeting, item_obj):
    return reverse("committees:note_create", args=[plan.slug, meeting.pk, item_obj.pk])


TEXT = "Ad. 307. Udvalget ønsker at modtage SØM-beregningen bag R307."


def test_secretary_enters_a_note_against_the_meeting_and_the_item(
    client, secretary, plan, committees, au_meeting
):
    r307 = item(plan, "R307")
    client.force_login(secretary)
    response = client.post(note_url(plan, au_meeting, r307), {"text": TEXT, "public": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "committees:meeting_detail", args=[plan.slug, au_meeting.pk]
    )
    note = CommitteeNote.objects.get()
    assert (note.item, note.meeting, note.committee, note.date, note.text, note.public) == (
        r307,
        au_meeting,
        committees["AU"],
        date(2025, 1, 23),
        TEXT,
        True,
    )
    page = client.get(
        reverse("committees:meeting_detail", args=[plan.slug, au_meeting.pk])
    ).content.decode()
    assert "SØM-beregningen bag R307" in page


def test_note_form_page(client, secretary, plan, au_meeting):
    client.force_login(secretary)
    response = client.get(note_url(plan, au_meeting, item(plan, "R307")))
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html and "Fraværsindsatsen" in html


def test_htmx_note_returns_the_items_notes_and_announces_it(client, secretary, plan, au_meeting):
    client.force_login(secretary)
    response = client.post(note_url(plan, au_meeting, item(plan, "R307")), {"text": TEXT}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "SØM-beregningen" in html
    assert response["HX-Trigger"] == "noteAdded"
    assert CommitteeNote.objects.get().public is False  # unchecked box


def test_empty_note_is_refused_with_a_message(client, secretary, plan, au_meeting):
    client.force_login(secretary)
    response = client.post(note_url(plan, au_meeting, item(plan, "R307")), {"text": "   "}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "Skriv bemærkningen" in html
    assert response["HX-Retarget"].startswith("#note-form-")
    assert not CommitteeNote.objects.exists()


def test_item_outside_the_committees_extract_is_not_found(client, secretary, plan, au_meeting):
    client.force_login(secretary)
    response = client.post(note_url(plan, au_meeting, item(plan, "A01")), {"text": TEXT})
    assert response.status_code == 404
    assert not CommitteeNote.objects.exists()


def test_secretary_of_another_committee_may_not(client, make_user, plan, au_meeting):
    from committees.models import MembershipRole
    from plans.permissions import Role

    buu_secretary = make_user("lars", Role.SECRETARY, (("BUU", MembershipRole.SECRETARY),))
    client.force_login(buu_secretary)
    response = client.post(note_url(plan, au_meeting, item(plan, "R307")), {"text": TEXT})
    assert response.status_code == 403
    assert not CommitteeNote.objects.exists()


def test_director_may_not_enter_notes(client, director, plan, au_meeting):
    client.force_login(director)
    assert (
        client.post(note_url(plan, au_meeting, item(plan, "R307")), {"text": TEXT}).status_code
        == 403
    )


def test_note_refuses_put(client, secretary, plan, au_meeting):
    client.force_login(secretary)
    assert client.put(note_url(plan, au_meeting, item(plan, "R307"))).status_code == 405


def test_element_ids_stay_plain_numbers_above_999(client, secretary, plan, make_item, au_meeting):
    big = make_item("R999", committee="AU", pk=12345, title="Stort nummer")
    client.force_login(secretary)
    html = client.get(
        reverse("committees:meeting_detail", args=[plan.slug, au_meeting.pk])
    ).content.decode()
    assert f'id="meeting-notes-{big.pk}"' in html
    assert f'hx-target="#note-slot-{big.pk}"' in html
    form = client.get(note_url(plan, au_meeting, big), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="note-form-12345"' in form

"""Who manages which meeting (issue 22): role × body × action, by page, htmx and plain POST.

One rule (`plans.permissions.manages_body`): administrators manage every body, the
economy chief the administrative bodies (Direktionen), a secretary the committees they
are secretary for (AU here), nobody else anything. Every path that creates, changes or
deletes a meeting, its agenda text or its remarks asks it.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from committees.models import CommitteeNote, Meeting, MembershipRole
from plans.permissions import Role

HTMX = {"HTTP_HX_REQUEST": "true"}
ROLES = ["admin", "economy_chief", "director", "head", "secretary", "reader", "other_secretary"]
BODIES = ["AU", "BUU", "DIR"]
ACTIONS = ["create", "edit", "delete", "agenda", "remark"]
MODES = ["plain", "htmx"]

MANAGES = {
    "admin": {"AU", "BUU", "DIR"},
    "economy_chief": {"DIR"},
    "secretary": {"AU"},
    "other_secretary": {"BUU"},
}


@pytest.fixture
def users(make_user, director, head, secretary, economy_chief, admin_user, reader):
    return {
        "admin": admin_user,
        "economy_chief": economy_chief,
        "director": director,
        "head": head,
        "secretary": secretary,
        "reader": reader,
        "other_secretary": make_user(
            "bo", Role.SECRETARY, (("BUU", MembershipRole.SECRETARY),), "Bo", "Berg"
        ),
    }


@pytest.fixture
def setting(plan, committees, make_item):
    item = make_item("R307", committee="AU", cross_cutting=True, title="Fraværsindsatsen")
    meetings = {
        code: Meeting.objects.create(
            plan=plan, body=committees[code], date=date(2025, 1, 20 + index), title=f"{code}-møde"
        )
        for index, code in enumerate(BODIES)
    }
    return {"item": item, "meetings": meetings, "committees": committees}


def attempt(client, plan, setting, action, code, mode):
    """Do the action; return (response, whether it took effect)."""
    meeting = setting["meetings"][code]
    body = setting["committees"][code]
    extra = HTMX if mode == "htmx" else {}
    if action == "create":
        url = reverse("committees:meeting_create", args=[plan.slug])
        data = {"body": body.pk, "date": "2025-06-02", "title": "Nyt møde"}
        response = client.post(url, data, **extra)
        return response, Meeting.objects.filter(title="Nyt møde").exists()
    if action == "edit":
        url = reverse("committees:meeting_edit", args=[plan.slug, meeting.pk])
        data = {"body": body.pk, "date": meeting.date.isoformat(), "title": "Omdøbt"}
        response = client.post(url, data, **extra)
        return response, Meeting.objects.filter(pk=meeting.pk, title="Omdøbt").exists()
    if action == "delete":
        url = reverse("committees:meeting_delete", args=[plan.slug, meeting.pk])
        response = client.post(url, **extra)
        return response, not Meeting.objects.filter(pk=meeting.pk).exists()
    if action == "agenda":
        url = reverse("committees:agenda_draft", args=[plan.slug, code])
        data = {"meeting": meeting.pk, "text": "Overskrevet tekst"}
        response = client.post(f"{url}?meeting={meeting.pk}", data, **extra)
        meeting.refresh_from_db()
        return response, meeting.agenda_text == "Overskrevet tekst"
    url = reverse("committees:note_create", args=[plan.slug, meeting.pk, setting["item"].pk])
    response = client.post(url, {"text": "Ad. 307. Bemærkning", "public": "on"}, **extra)
    return response, CommitteeNote.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("code", BODIES)
@pytest.mark.parametrize("role", ROLES)
def test_meeting_permission_matrix(client, plan, users, setting, role, code, action, mode):
    client.force_login(users[role])
    response, took_effect = attempt(client, plan, setting, action, code, mode)
    allowed = code in MANAGES.get(role, set())
    assert took_effect == allowed, (role, code, action, mode, response.status_code)
    if allowed:
        assert response.status_code in (200, 204, 302)
    elif action == "create" and MANAGES.get(role):
        # May create meetings, but not for this body: the choice is not offered.
        assert response.status_code == 200
        assert "errorlist" in response.content.decode()
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_pages_offer_only_what_the_rule_allows(client, plan, users, setting, role):
    client.force_login(users[role])
    managed = MANAGES.get(role, set())
    create = client.get(reverse("committees:meeting_create", args=[plan.slug]))
    if managed:
        select = re.search(r'<select name="body".*?</select>', create.content.decode(), re.S)
        assert select is not None
        offered = {
            code
            for code, body in setting["committees"].items()
            if f'value="{body.pk}"' in select.group(0)
        }
        assert offered & set(BODIES) == managed
    else:
        assert create.status_code == 403
    for code in BODIES:
        meeting = setting["meetings"][code]
        edit = reverse("committees:meeting_edit", args=[plan.slug, meeting.pk])
        delete = reverse("committees:meeting_delete", args=[plan.slug, meeting.pk])
        expected = 200 if code in managed else 403
        assert client.get(edit).status_code == expected
        assert client.get(delete).status_code == expected
        detail = client.get(reverse("committees:meeting_detail", args=[plan.slug, meeting.pk]))
        assert (edit in detail.content.decode()) == (code in managed)
        agenda = client.get(
            reverse("committees:agenda_draft", args=[plan.slug, code]) + f"?meeting={meeting.pk}"
        )
        if agenda.status_code == 200:
            assert ("Gem tekst med mødet" in agenda.content.decode()) == (code in managed)
        else:
            # Readers see no extracts, secretaries only their own committees'.
            assert agenda.status_code == 403
            assert role == "reader" or (role.endswith("secretary") and code not in managed)


def test_an_edit_cannot_move_a_meeting_to_a_body_one_does_not_manage(client, plan, users, setting):
    meeting = setting["meetings"]["AU"]
    client.force_login(users["secretary"])
    response = client.post(
        reverse("committees:meeting_edit", args=[plan.slug, meeting.pk]),
        {"body": setting["committees"]["DIR"].pk, "date": "2025-01-20", "title": "Flyttet"},
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.body.code == "AU" and meeting.title == "AU-møde"

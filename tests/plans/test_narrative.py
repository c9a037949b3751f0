"""The item's narrative on the item page, and who may edit it (issue 21)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from committees.models import MembershipRole
from plans.models import Item
from plans.permissions import Role


@pytest.fixture
def item(make_item: Any) -> Item:
    return make_item("D01", "AU", title="Fravær", course="Vi holder kursen\nhele året")


def edit_url(item: Item) -> str:
    return reverse("plans:edit_narrative", args=[item.plan.slug, item.pk])


def detail_url(item: Item) -> str:
    return reverse("plans:item_detail", args=[item.plan.slug, item.pk])


DATA = {
    "course": "Ny kurs\x0b med linjeskift",
    "coordination": "I MED",
    "commitment": "Leveres",
    "board_role": "Følger op",
}


def test_item_page_shows_the_narrative(client: Any, reader: Any, item: Item) -> None:
    client.force_login(reader)
    text = client.get(detail_url(item)).content.decode()
    assert "Kursen" in text and "Vi holder kursen<br>hele året" in text
    assert edit_url(item) not in text  # a reader may not edit


def test_admin_edits_without_javascript(client: Any, admin_user: Any, item: Item) -> None:
    client.force_login(admin_user)
    assert edit_url(item) in client.get(detail_url(item)).content.decode()
    page = client.get(edit_url(item))
    assert page.status_code == 200 and 'name="board_role"' in page.content.decode()
    response = client.post(edit_url(item), DATA)
    assert response.status_code == 302 and response["Location"] == detail_url(item)
    item.refresh_from_db()
    assert item.course == "Ny kurs\n med linjeskift"
    assert (item.coordination, item.commitment, item.board_role) == (
        "I MED",
        "Leveres",
        "Følger op",
    )
    assert item.history.first().course == "Ny kurs\n med linjeskift"


def test_htmx_edit_answers_with_the_fragment(client: Any, admin_user: Any, item: Item) -> None:
    client.force_login(admin_user)
    form = client.get(edit_url(item), HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    assert 'id="item-narrative-form"' in form.content.decode()
    assert "<html" not in form.content.decode()
    saved = client.post(edit_url(item), DATA, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    body = saved.content.decode()
    assert 'id="item-narrative"' in body and "Beskrivelserne er gemt." in body
    assert "I MED" in body


def test_the_items_director_may_edit(client: Any, make_user: Any, item: Item) -> None:
    director = make_user("anne", Role.DIRECTOR, (("AU", MembershipRole.DIRECTOR),), "Anne", "Lund")
    client.force_login(director)
    assert client.post(edit_url(item), DATA).status_code == 302


def test_a_director_of_another_committee_may_not(client: Any, make_user: Any, item: Item) -> None:
    other = make_user("bo", Role.DIRECTOR, (("BUU", MembershipRole.DIRECTOR),), "Bo", "Ravn")
    client.force_login(other)
    assert client.get(edit_url(item)).status_code == 403
    assert client.post(edit_url(item), DATA).status_code == 403
    item.refresh_from_db()
    assert item.commitment == ""
    assert edit_url(item) not in client.get(detail_url(item)).content.decode()


@pytest.mark.parametrize("role", [Role.ECONOMY_CHIEF, Role.HEAD, Role.READER])
def test_other_roles_may_not(client: Any, make_user: Any, item: Item, role: str) -> None:
    membership = MembershipRole.HEAD if role == Role.HEAD else MembershipRole.DIRECTOR
    client.force_login(make_user("u", role, (("AU", membership),), "U", "Ser"))
    assert client.post(edit_url(item), DATA).status_code == 403

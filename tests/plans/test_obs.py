"""OBS points: directors and the economy chief flag the current report, insert-only."""

import pytest
from django.urls import reverse

from plans.models import Colour, StatusReport

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def item(make_item, director):
    # An ØK item: Kim, director of ØK's area, has it on "Mine punkter".
    return make_item("D01", committee="ØK", title="Budgetoverholdelse")


@pytest.fixture
def current(item, head):
    return item.record_status(
        colour=Colour.RED, comment="Merforbrug", red_reason="obstacles", author=head
    )


def url(item):
    return reverse("plans:mark_obs", args=[item.plan.slug, item.pk])


def test_director_marks_obs_with_a_text(client, director, item, current):
    client.force_login(director)
    data = {"action": "mark", "obs_text": "Direktionen beslutter tiltag", "seen_report": current.pk}
    response = client.post(url(item), data, **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "statusChanged"
    body = response.content.decode()
    assert "D01 er markeret som OBS-punkt." in body
    assert 'class="obs-mark"' in body
    assert '<span class="obs-text">Direktionen beslutter tiltag</span>' in body
    assert "Luk OBS-punktet" in body
    # The point is its own record; the status history is untouched.
    assert item.reports.count() == 1
    point = item.open_obs_point()
    assert (point.text, point.opened_by, point.month) == (
        "Direktionen beslutter tiltag",
        director,
        current.period,
    )


def test_obs_shows_in_red_on_the_plan_and_my_items(client, director, item, current):
    item.record_status(
        colour=Colour.RED, comment="Merforbrug", obs=True, obs_text="Følges op", author=director
    )
    client.force_login(director)
    page = client.get(reverse("plans:my_items", args=[item.plan.slug])).content.decode()
    assert 'class="obs-mark"' in page
    assert "Følges op" in page
    overview = client.get(reverse("plans:plan_detail", args=[item.plan.slug])).content.decode()
    assert 'class="obs-mark"' in overview


def test_closing_from_my_items_needs_a_reason_and_is_recorded(
    client, economy_chief, item, current, director
):
    marked = item.record_status(
        colour=Colour.RED, comment="Merforbrug", obs=True, obs_text="Følges op", author=director
    )
    point = item.open_obs_point()
    client.force_login(economy_chief)
    data = {"action": "remove", "seen_report": marked.pk}
    response = client.post(url(item), data, **HTMX)
    assert "Skriv kort, hvorfor OBS-punktet lukkes." in response.content.decode()
    assert item.open_obs_point() == point
    response = client.post(url(item), {**data, "obs_text": "Løst i direktionen"}, **HTMX)
    assert response.status_code == 200
    assert "OBS-punktet på D01 er lukket." in response.content.decode()
    assert item.open_obs_point() is None
    closing = point.events.get()
    assert (closing.kind, closing.text, closing.author) == (
        "closed",
        "Løst i direktionen",
        economy_chief,
    )
    assert item.reports.count() == 2


def test_no_js_obs_redirects_with_a_message(client, director, item, current):
    client.force_login(director)
    data = {"action": "mark", "obs_text": "Følg op", "seen_report": current.pk}
    response = client.post(url(item), data)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "D01 er markeret som OBS-punkt." in page


def test_marking_needs_a_text(client, director, item, current):
    client.force_login(director)
    data = {"action": "mark", "obs_text": " ", "seen_report": current.pk}
    response = client.post(url(item), data, **HTMX)
    assert response.status_code == 200
    assert "Skriv, hvad direktionen skal følge op på." in response.content.decode()
    assert "HX-Trigger" not in response
    assert item.reports.count() == 1


def test_item_without_status_cannot_be_marked(client, director, item):
    client.force_login(director)
    response = client.post(url(item), {"action": "mark", "obs_text": "x"}, **HTMX)
    assert response.status_code == 200
    assert "ingen status, der kan markeres" in response.content.decode()
    assert not StatusReport.objects.exists()


def test_unknown_action_is_a_message(client, director, item, current):
    client.force_login(director)
    response = client.post(url(item), {"action": "delete", "seen_report": current.pk}, **HTMX)
    assert response.status_code == 200
    assert "Genindlæs siden" in response.content.decode()
    assert item.reports.count() == 1


def test_obs_after_a_newer_report_is_refused(client, director, head, item, current):
    newer = item.record_status(colour=Colour.GREEN, comment="Løst", author=head)
    client.force_login(director)
    data = {"action": "mark", "obs_text": "Følg op", "seen_report": current.pk}
    response = client.post(url(item), data, **HTMX)
    body = response.content.decode()
    assert "Status blev ikke gemt" in body and "Løst" in body
    assert item.latest_report() == newer
    # The text typed is kept for a deliberate second try.
    assert "Følg op" in body


def test_head_cannot_mark_obs(client, head, item, current):
    client.force_login(head)
    data = {"action": "mark", "obs_text": "x", "seen_report": current.pk}
    assert client.post(url(item), data, **HTMX).status_code == 403
    assert item.reports.count() == 1


def test_get_is_405(client, director, item):
    client.force_login(director)
    assert client.get(url(item)).status_code == 405

"""The pages a user meets when something is wrong: Danish, in the site's layout, with a way
back; a 403 is logged as one line; a 500 page even when its layout cannot render."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import path

from udmoentning.urls import urlpatterns as site_patterns


def boom(request: Any) -> Any:
    raise RuntimeError("en fejl i en visning")


urlpatterns = [path("boom/", boom), *site_patterns]
handler500 = "udmoentning.errors.server_error"


def assert_layout(response: Any, heading: str) -> None:
    page = response.content.decode()
    assert '<html lang="da">' in page
    assert 'class="site-header"' in page and 'class="site-footer"' in page
    assert heading in page
    assert 'href="/">Tilbage til forsiden</a>' in page


def test_404_is_danish_in_the_layout(client: Client, director: Any) -> None:
    client.force_login(director)
    response = client.get("/plans/findes-ikke/")
    assert response.status_code == 404
    assert_layout(response, "Siden findes ikke")
    assert "Log ud" in response.content.decode()  # the signed-in user's header


def test_403_is_danish_in_the_layout_and_one_log_line(
    client: Client, make_user: Any, plan: Any, caplog: Any
) -> None:
    client.force_login(make_user("nobody", None))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(f"/plans/{plan.slug}/")
    assert response.status_code == 403
    assert_layout(response, "Du har ikke adgang til siden")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.getMessage() for r in records] == [
        f"Forbidden (Permission denied): /plans/{plan.slug}/"
    ]
    assert records[0].exc_info is None
    formatted = logging.Formatter().format(records[0])
    assert "Traceback" not in formatted and "\n" not in formatted


@override_settings(ROOT_URLCONF=__name__)
def test_500_is_danish_in_the_layout(director: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(director)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert_layout(response, "Der skete en fejl")


def broken_context(request: Any) -> dict[str, Any]:
    raise RuntimeError("databasen svarer ikke")


@pytest.mark.django_db
def test_500_falls_back_to_a_plain_danish_page_when_the_layout_fails(settings: Any) -> None:
    settings.ROOT_URLCONF = __name__
    engine = {**settings.TEMPLATES[0], "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"]}}
    engine["OPTIONS"]["context_processors"] = [
        *engine["OPTIONS"]["context_processors"],
        f"{__name__}.broken_context",
    ]
    settings.TEMPLATES = [engine]
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Der skete en fejl" in page and 'href="/"' in page
    assert 'class="site-header"' not in page  # the plain fallback, not the layout

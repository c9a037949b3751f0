"""Every URL of the application asks the permission module: a signed-in person with no
role, and an anonymous visitor, get nothing from any of them.

The URL list is read from the resolver, so a new view is covered the day it is added.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from plans.models import Colour, PublishedReport

# Views that are public by design, with the reason.
PUBLIC = {
    "login": "the sign-in page",
    "logout": "signing out",
}
# Views that take a read token instead of a session: without a valid token they refuse.
TOKEN_VIEWS = {"plans:api_items", "committees:ical"}


def named_urls() -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue
                prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix)
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((f"{namespace}{entry.name}", entry))

    walk(get_resolver().url_patterns, "")
    return found


@pytest.fixture
def objects(plan, make_item, director, economy_chief, committees) -> dict[str, Any]:
    from committees.models import Meeting
    from plans.models import PendingImport, Theme

    item = make_item("S001", committee="ØK", cross_cutting=True)
    item.record_status(colour=Colour.GREEN, comment="ok", author=director)
    meeting = Meeting.objects.create(
        plan=plan, body=committees["ØK"], date="2025-01-14", title="Udmøntningsplan"
    )
    theme = Theme.objects.create(plan=plan, name="Økonomi")
    published = PublishedReport.objects.create(
        plan=plan,
        period="2025-10-01",
        meeting_date="2025-10-28",
        pdf=b"%PDF-1.7",
        published_by=economy_chief,
    )
    pending = PendingImport.objects.create(
        plan_slug=plan.slug,
        filename="plan.xlsx",
        content=b"PK",
        sha256="0" * 64,
        uploaded_by=economy_chief,
    )
    return {
        "slug": plan.slug,
        "code": "ØK",
        "item_pk": item.pk,
        "item": item,
        "meeting": meeting,
        "theme": theme,
        "published": published,
        "pending": pending,
    }


def kwargs_for(name: str, pattern: URLPattern, objects: dict[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for key in pattern.pattern.converters:
        if key == "slug":
            kwargs[key] = objects["slug"]
        elif key == "code":
            kwargs[key] = objects["code"]
        elif key == "item_pk":
            kwargs[key] = objects["item_pk"]
        elif key in {"theme_pk", "meeting_pk", "published_pk", "pending_pk", "import_pk"}:
            target = {"import_pk": "pending"}.get(key, key.removesuffix("_pk"))
            kwargs[key] = objects[target].pk
        elif key == "pk":
            if name.startswith("committees:meeting") or name == "committees:note_create":
                kwargs[key] = objects["meeting"].pk
            elif name.startswith("plans:theme"):
                kwargs[key] = objects["theme"].pk
            elif "published" in name:
                kwargs[key] = objects["published"].pk
            elif name.startswith("plans:import"):
                kwargs[key] = objects["pending"].pk
            else:
                kwargs[key] = objects["item_pk"]
        else:
            raise AssertionError(f"{name}: no test value for the URL parameter «{key}»")
    return kwargs


def all_urls() -> list[str]:
    return [name for name, _ in named_urls() if name not in PUBLIC]


def test_the_url_list_is_not_empty():
    names = all_urls()
    assert "plans:plan_detail" in names and "plans:item_detail" in names
    assert len(names) >= 10


@pytest.mark.parametrize("name", all_urls())
def test_no_role_gets_nothing(client, make_user, objects, name):
    pattern = dict(named_urls())[name]
    url = reverse(name, kwargs=kwargs_for(name, pattern, objects))
    client.force_login(make_user("ingen", None))
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        # 405 for the wrong method; 400/404 where the request is refused before any data.
        assert response.status_code in {302, 400, 403, 404, 405}, (
            name,
            method,
            response.status_code,
        )
        if response.status_code == 302:
            assert "/login/" in response["Location"], (name, method)


@pytest.mark.parametrize("name", all_urls())
def test_anonymous_gets_nothing(client, objects, name):
    pattern = dict(named_urls())[name]
    url = reverse(name, kwargs=kwargs_for(name, pattern, objects))
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if name in TOKEN_VIEWS and response.status_code != 302:
            assert response.status_code in {401, 403, 404, 405}, (name, method)
        else:
            assert response.status_code in {302, 405}, (name, method, response.status_code)
            if response.status_code == 302:
                assert "/login/" in response["Location"], (name, method)

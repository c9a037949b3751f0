"""Read tokens on the JSON API and the iCal feed: the same rules for both (Bearer or
`?token=`, 401 when wrong), expiry, the creator's deactivation, and making and revoking
them in the admin and by command."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from committees.models import Meeting
from plans.models import ReadToken

KEY = "hemmelig-noegle-til-kalenderen"


@pytest.fixture
def token(admin_user: Any) -> ReadToken:
    return ReadToken.objects.create(
        name="Kalender", key_hash=hashlib.sha256(KEY.encode()).hexdigest(), created_by=admin_user
    )


@pytest.fixture
def feeds(plan: Any, committees: Any) -> list[str]:
    Meeting.objects.create(plan=plan, body=committees["AU"], date=date(2025, 3, 5), title="Møde")
    return [
        reverse("committees:ical", args=[plan.slug]),
        reverse("plans:api_items", args=[plan.slug]),
    ]


def statuses(client: Any, feeds: list[str], key: str) -> list[tuple[int, int]]:
    """(query-string status, Bearer status) for each feed."""
    return [
        (
            client.get(url, {"token": key}).status_code,
            client.get(url, headers={"Authorization": f"Bearer {key}"}).status_code,
        )
        for url in feeds
    ]


def test_both_feeds_take_the_key_as_bearer_or_in_the_query(client, token, feeds):
    assert statuses(client, feeds, KEY) == [(200, 200), (200, 200)]


def test_a_wrong_key_is_401_with_a_challenge_on_both_feeds(client, token, feeds):
    assert statuses(client, feeds, "forkert") == [(401, 401), (401, 401)]
    response = client.get(feeds[0], {"token": "forkert"})
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Ugyldig" in response.content.decode()


def test_a_token_stops_working_when_its_creator_is_deactivated(client, token, feeds, admin_user):
    admin_user.is_active = False
    admin_user.save()
    assert statuses(client, feeds, KEY) == [(401, 401), (401, 401)]


def test_a_token_stops_working_when_it_expires(client, token, feeds):
    token.expires_at = timezone.now() + timedelta(hours=1)
    token.save()
    assert statuses(client, feeds, KEY) == [(200, 200), (200, 200)]
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save()
    assert statuses(client, feeds, KEY) == [(401, 401), (401, 401)]


def test_create_with_an_expiry_and_revoke_by_command(client, admin_user, feeds):
    out = StringIO()
    call_command(
        "create_read_token", "BI", "--user", admin_user.username, "--expires", "2999-12-31",
        stdout=out,
    )  # fmt: skip
    key = out.getvalue().strip().splitlines()[-1]
    stored = ReadToken.objects.get(name="BI")
    assert timezone.localtime(stored.expires_at).date() == date(2999, 12, 31)
    assert statuses(client, feeds, key) == [(200, 200), (200, 200)]
    with pytest.raises(CommandError, match="passeret"):
        call_command(
            "create_read_token", "X", "--user", admin_user.username, "--expires", "2001-01-01"
        )  # noqa: E501
    out = StringIO()
    call_command("revoke_read_token", "BI", stdout=out)
    assert "tilbagekaldt" in out.getvalue()
    assert statuses(client, feeds, key) == [(401, 401), (401, 401)]
    with pytest.raises(CommandError, match="Ingen gyldig"):
        call_command("revoke_read_token", "BI")


def test_administrator_makes_a_token_in_the_admin_and_sees_the_key_once(client, admin_user, feeds):
    client.force_login(admin_user)
    add = reverse("admin:plans_readtoken_add")
    form = client.get(add).content.decode()
    assert 'name="key_hash"' not in form and 'name="name"' in form
    response = client.post(
        add, {"name": "Outlook", "expires_at_0": "", "expires_at_1": ""}, follow=True
    )  # noqa: E501
    assert response.status_code == 200
    page = response.content.decode()
    match = re.search(r"vises kun denne ene gang: ([A-Za-z0-9_-]{40,})", page)
    assert match, page
    key = match.group(1)
    stored = ReadToken.objects.get(name="Outlook")
    assert stored.created_by == admin_user
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    # Shown once: the token's own page shows only the hash.
    assert (
        key
        not in client.get(
            reverse("admin:plans_readtoken_change", args=[stored.pk])
        ).content.decode()
    )  # noqa: E501
    client.logout()
    assert statuses(client, feeds, key) == [(200, 200), (200, 200)]

    client.force_login(admin_user)
    response = client.post(
        reverse("admin:plans_readtoken_changelist"),
        {"action": "revoke", "_selected_action": [stored.pk]},
        follow=True,
    )
    assert "1 læsenøgle er tilbagekaldt." in response.content.decode()
    client.logout()
    assert statuses(client, feeds, key) == [(401, 401), (401, 401)]

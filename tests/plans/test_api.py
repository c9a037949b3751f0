"""GET /api/plans/SLUG/items.json: signed-in users or a read token."""

from __future__ import annotations

import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from plans.models import BudgetPlan, ReadToken


@pytest.fixture
def url(plan: BudgetPlan, make_item: Any) -> str:
    make_item("D01", amounts={2025: 100}).record_status(colour="green", comment="Fint")
    return reverse("plans:api_items", args=[plan.slug])


@pytest.fixture
def token(admin_user: Any) -> str:
    key = "hemmelig-nøgle-til-bi"
    ReadToken.objects.create(
        name="Power BI", key_hash=hashlib.sha256(key.encode()).hexdigest(), created_by=admin_user
    )
    return key


def test_signed_in_user(client: Any, url: str, reader: Any) -> None:
    client.force_login(reader)
    response = client.get(url)
    assert response.status_code == 200
    document = response.json()
    assert document["plan"]["slug"] == "2025-2028"
    assert document["items"][0]["number"] == "D01"
    assert document["items"][0]["status"]["colour"] == "green"


def test_signed_in_without_role_is_403(client: Any, url: str, make_user: Any) -> None:
    client.force_login(make_user("nobody", None))
    response = client.get(url)
    assert response.status_code == 403
    assert "error" in response.json()


def test_anonymous_is_401_with_json_body(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]


def test_bearer_token(client: Any, url: str, token: str) -> None:
    response = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["items"][0]["amounts"]["2025"] == 100


def test_token_in_query_string(client: Any, url: str, token: str) -> None:
    assert client.get(url, {"token": token}).status_code == 200


def test_wrong_token_is_401(client: Any, url: str, token: str) -> None:
    response = client.get(url, headers={"Authorization": "Bearer forkert"})
    assert response.status_code == 401


def test_revoked_token_is_401(client: Any, url: str, token: str) -> None:
    ReadToken.objects.update(revoked=True)
    assert client.get(url, {"token": token}).status_code == 401


def test_filters_and_bad_parameters(client: Any, url: str, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    document = client.get(url, {"committee": "AU", "as_of": "2025-01"}, headers=auth).json()
    assert document["as_of"] == "2025-01"
    assert document["items"] == []
    assert client.get(url, {"committee": "XX"}, headers=auth).status_code == 400
    response = client.get(url, {"as_of": "oktober"}, headers=auth)
    assert response.status_code == 400
    assert "ÅÅÅÅ-MM" in response.json()["error"]


def test_unknown_plan_is_404(client: Any, token: str, plan: BudgetPlan) -> None:
    response = client.get(reverse("plans:api_items", args=["1999-2002"]), {"token": token})
    assert response.status_code == 404


def test_wrong_method(client: Any, url: str, reader: Any) -> None:
    client.force_login(reader)
    assert client.post(url).status_code == 405


def test_same_document_as_the_command(client: Any, url: str, reader: Any, tmp_path: Any) -> None:
    import json

    client.force_login(reader)
    path = tmp_path / "plan.json"
    call_command("export_plan", "--plan", "2025-2028", "--format", "json", "-o", str(path))
    assert json.loads(path.read_text()) == client.get(url).json()


def test_create_read_token_command_shows_the_key_once(
    admin_user: Any, client: Any, url: str
) -> None:
    out = StringIO()
    call_command("create_read_token", "Power BI", "--user", admin_user.username, stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    stored = ReadToken.objects.get(name="Power BI")
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in stored.key_hash
    assert client.get(url, headers={"Authorization": f"Bearer {key}"}).status_code == 200


def test_create_read_token_needs_an_administrator(reader: Any) -> None:
    with pytest.raises(CommandError, match="ikke administrator"):
        call_command("create_read_token", "BI", "--user", reader.username)
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("create_read_token", "BI", "--user", "ingen")

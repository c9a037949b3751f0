"""The OpenID Connect user mapping: claims -> user name, names, e-mail and role groups."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.test import override_settings

from plans.oidc import MunicipalityOIDCBackend, parse_role_map, roles_from_claims
from plans.permissions import Role

OIDC_SETTINGS = {
    "OIDC_RP_CLIENT_ID": "udmoentning",
    "OIDC_RP_CLIENT_SECRET": "hemmelig",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.kommune.dk/token",
    "OIDC_OP_USER_ENDPOINT": "https://login.kommune.dk/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.kommune.dk/jwks",
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_USERNAME_CLAIM": "preferred_username",
    "OIDC_GROUPS_CLAIM": "groups",
    "OIDC_ROLE_MAP": "GG-Udm-Direktion=Direktør, GG-Udm-Admin=Administrator",
}


def sign_in(claims: dict[str, Any]) -> Any:
    """Run the backend's user lookup/creation as after a verified ID token; only the
    call to the provider's userinfo endpoint is replaced by the claims."""
    backend = MunicipalityOIDCBackend()
    backend.get_userinfo = lambda access_token, id_token, payload: claims  # type: ignore[method-assign]
    return backend.get_or_create_user("access", "id", {})


@override_settings(**OIDC_SETTINGS)
def test_role_map_maps_municipality_groups_and_exact_role_names():
    claims = {"groups": ["gg-udm-direktion", "Læser", "Some-Other-Group"]}
    assert roles_from_claims(claims) == {Role.DIRECTOR, Role.READER}
    assert roles_from_claims({"groups": "GG-Udm-Admin;Fagchef"}) == {Role.ADMIN, Role.HEAD}
    assert roles_from_claims({}) == set()


def test_role_map_refuses_unknown_roles():
    with pytest.raises(ValueError, match="Rolle"):
        parse_role_map("GG-X=Superhelt")
    assert parse_role_map("") == {}


@pytest.mark.django_db
@override_settings(**OIDC_SETTINGS)
def test_first_sign_in_creates_the_user_with_names_email_and_roles(groups):
    user = sign_in(
        {
            "sub": "0f3c",
            "preferred_username": "KBN@Kommune.dk",
            "given_name": "Kim Bruun",
            "family_name": "Nielsen",
            "email": "kbn@kommune.dk",
            "groups": ["GG-Udm-Direktion"],
        }
    )
    user.refresh_from_db()
    assert user.username == "kbn@kommune.dk"
    assert (user.first_name, user.last_name, user.email) == (
        "Kim Bruun",
        "Nielsen",
        "kbn@kommune.dk",
    )
    assert set(user.groups.values_list("name", flat=True)) == {Role.DIRECTOR}
    assert not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser
    assert user.has_perm("plans.view_plan")
    assert not user.has_perm("plans.import_plan")


@pytest.mark.django_db
@override_settings(**OIDC_SETTINGS)
def test_next_sign_in_updates_names_and_replaces_roles(groups):
    existing = get_user_model().objects.create_user("kbn@kommune.dk", first_name="Gammelt")
    existing.groups.add(groups[Role.READER])
    user = sign_in(
        {
            "preferred_username": "kbn@kommune.dk",
            "given_name": "Kim",
            "family_name": "Nielsen",
            "groups": ["GG-Udm-Admin"],
        }
    )
    assert user.pk == existing.pk
    user = get_user_model().objects.get(pk=user.pk)
    assert user.first_name == "Kim"
    assert set(user.groups.values_list("name", flat=True)) == {Role.ADMIN}
    assert user.is_staff and user.is_superuser

    # Removed from the admin group at the identity provider: the rights go too.
    user = sign_in({"preferred_username": "kbn@kommune.dk", "groups": []})
    user = get_user_model().objects.get(pk=user.pk)
    assert list(user.groups.all()) == []
    assert not user.is_staff and not user.is_superuser
    assert not user.has_perm("plans.view_plan")


@pytest.mark.django_db
@override_settings(**OIDC_SETTINGS)
def test_claims_without_any_identity_are_refused():
    with pytest.raises(SuspiciousOperation):
        sign_in({"given_name": "Ingen", "groups": ["Administrator"]})
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
@override_settings(**OIDC_SETTINGS)
def test_username_falls_back_to_email():
    user = sign_in({"email": "Lise@Kommune.dk", "groups": ["Læser"]})
    assert user.username == "lise@kommune.dk"


@pytest.mark.django_db
@override_settings(**OIDC_SETTINGS, OIDC_CREATE_USER=False)
def test_unknown_user_is_not_created_when_creation_is_off():
    assert sign_in({"preferred_username": "ny", "groups": ["Læser"]}) is None
    assert not get_user_model().objects.exists()


def test_settings_switch_oidc_on_from_the_environment(tmp_path: Path):
    """With the variables set, the backend, the app and the /oidc/ URLs are wired up."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SECRET_KEY": "x" * 60,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'oidc.sqlite3'}",
        "OIDC_RP_CLIENT_ID": "udmoentning",
        "OIDC_RP_CLIENT_SECRET": "hemmelig",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.kommune.dk/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": "https://login.kommune.dk/token",
        "OIDC_OP_USER_ENDPOINT": "https://login.kommune.dk/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": "https://login.kommune.dk/jwks",
    }
    code = (
        "import django; django.setup();"
        "from django.conf import settings; from django.urls import reverse;"
        "print(settings.AUTHENTICATION_BACKENDS[0]);"
        "print('plans.oidc.MunicipalityOIDCBackend' in settings.AUTHENTICATION_BACKENDS);"
        "print(reverse('oidc_authentication_init'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "udmoentning.settings"},
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    first, has_backend, url = result.stdout.split()
    assert first == "axes.backends.AxesStandaloneBackend"
    assert has_backend == "True"
    assert url == "/oidc/authenticate/"

"""Sign-in through the municipality's identity provider (OpenID Connect), optional.

Switched on by setting OIDC_RP_CLIENT_ID and the provider's endpoints (see
docs/deployment.md). The identity provider is the source of truth for who a person is
(user name, names, e-mail) and for their roles: its groups claim is mapped to our role
groups on every sign-in. Which committees a director or secretary belongs to is kept in
the application (committees.Membership), by an administrator.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from plans.permissions import ROLE_NAMES, Role, RolesWithUserMixin

USERNAME_MAX_LENGTH = 150


def parse_role_map(text: str) -> dict[str, str]:
    """'Udm-Admin=Administrator, Udm-Oekonomi=Økonomichef' -> {'udm-admin': 'Administrator', ...}.

    Keys are compared case-insensitively. An unknown role name is an error (the sign-in
    fails and the log says why) rather than silently giving nobody access.
    """
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        idp_group, sep, role = part.partition("=")
        role = role.strip()
        if not sep or role not in ROLE_NAMES:
            raise ValueError(
                f"OIDC_ROLE_MAP: «{part.strip()}» skal have formen IdP-gruppe=Rolle, "
                f"hvor Rolle er en af {', '.join(ROLE_NAMES)}."
            )
        mapping[idp_group.strip().casefold()] = role
    return mapping


def roles_from_claims(claims: dict[str, Any]) -> set[str]:
    """Our role names for the identity provider's groups claim.

    A group named exactly like one of our roles counts as that role; OIDC_ROLE_MAP adds
    the municipality's own group names.
    """
    raw = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(raw, str):
        raw = [part for part in raw.replace(";", ",").split(",")]
    mapping = {name.casefold(): name for name in ROLE_NAMES}
    mapping.update(parse_role_map(settings.OIDC_ROLE_MAP))
    roles = set()
    for group in raw:
        role = mapping.get(str(group).strip().casefold())
        if role:
            roles.add(role)
    return roles


def username_from_claims(claims: dict[str, Any]) -> str:
    """The user name: the configured claim (default preferred_username), else the
    e-mail address, else the subject; lower case and at most 150 characters."""
    for key in (settings.OIDC_USERNAME_CLAIM, "email", "sub"):
        value = str(claims.get(key) or "").strip()
        if value:
            return value.casefold()[:USERNAME_MAX_LENGTH]
    return ""


class MunicipalityOIDCBackend(RolesWithUserMixin, OIDCAuthenticationBackend):
    """Maps the identity provider's claims to our users and role groups."""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(username_from_claims(claims))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        username = username_from_claims(claims)
        if not username:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username__iexact=username)

    def get_username(self, claims: dict[str, Any]) -> str:
        return username_from_claims(claims)

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> Any:
        user = self.UserModel(username=username_from_claims(claims))
        # Passwords are the identity provider's business; no local password works.
        user.set_unusable_password()
        return self._apply_claims(user, claims)

    @transaction.atomic
    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        return self._apply_claims(user, claims)

    def _apply_claims(self, user: Any, claims: dict[str, Any]) -> Any:
        user.first_name = str(claims.get("given_name") or user.first_name or "")[:150]
        user.last_name = str(claims.get("family_name") or user.last_name or "")[:150]
        user.email = str(claims.get("email") or user.email or "")[:254]
        roles = roles_from_claims(claims)
        is_admin = Role.ADMIN in roles
        user.is_staff = is_admin
        user.is_superuser = is_admin
        user.save()
        groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_NAMES}
        user.groups.remove(*[groups[name] for name in ROLE_NAMES if name not in roles])
        user.groups.add(*[groups[name] for name in roles])
        # Cached roles from before the sign-in must not outlive it.
        for cache in ("_role_cache", "_membership_cache", "_perm_cache", "_group_perm_cache"):
            if hasattr(user, cache):
                delattr(user, cache)
        return user


def axes_username(request: Any, credentials: dict[str, Any] | None = None) -> str | None:
    """The user name django-axes records for a sign-in attempt.

    Django's login form passes any user name on to authenticate(); axes then stores it in
    a 255-character column. A longer name (or a NUL byte, which PostgreSQL refuses) would
    turn a failed sign-in into a server error, so it is cut to what a user name can be.
    """
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    if credentials:
        value = credentials.get(field)
    else:
        value = getattr(request, "data", request.POST).get(field)
    if value is None:
        return None
    return str(value).replace("\x00", "")[:USERNAME_MAX_LENGTH]

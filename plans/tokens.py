"""Read tokens: how a request presents one and whether it is usable.

A key is shown once when it is made (`create_read_token`, or the admin) and only its
SHA-256 is stored. A request presents it as `Authorization: Bearer <key>` or, for
calendar applications that cannot send a header, `?token=<key>` (masked in the logs,
see `udmoentning.logmask`). The JSON API and the iCal feed both answer a wrong, revoked,
expired or orphaned key with 401.
"""

from __future__ import annotations

import hashlib
import secrets

from django.http import HttpRequest

from plans.models import ReadToken

MAX_KEY_LENGTH = 200


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return secrets.token_urlsafe(32)


def key_from(request: HttpRequest) -> str | None:
    """The key the request presents, or None when it presents none."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    token = request.GET.get("token")
    return token.strip() if token else None


def usable_token(key: str) -> ReadToken | None:
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    return ReadToken.objects.usable().filter(key_hash=hash_key(key)).first()

"""Request bodies over the application's own limit are refused before they are read."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse


class UnreadableBody(io.RawIOBase):
    """A body that fails the test if the application reads a byte of it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise AssertionError("the body was read")


def wsgi_post(path: str, length: int, cookie: str = "") -> tuple[str, dict[str, str], bytes]:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "CONTENT_TYPE": "multipart/form-data; boundary=x",
        "CONTENT_LENGTH": str(length),
        "HTTP_COOKIE": cookie,
        "wsgi.input": io.BufferedReader(UnreadableBody()),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    result: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        result["status"], result["headers"] = status, dict(headers)

    body = b"".join(WSGIHandler()(environ, start_response))
    return result["status"], result["headers"], body


def test_the_limit_covers_an_upload_and_its_form():
    assert settings.MAX_REQUEST_BYTES > settings.MAX_UPLOAD_BYTES
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.MAX_REQUEST_BYTES
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == settings.MAX_REQUEST_BYTES


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_50_mb_body_is_refused_unread():
    status, headers, body = wsgi_post(reverse("login"), 50 * 1024 * 1024)
    assert status.startswith("413")
    assert headers["Connection"] == "close"
    page = body.decode()
    assert "Forespørgslen er for stor" in page and "højst 11 MB" in page
    assert 'lang="da"' in page


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_upload_over_the_limit_is_refused_unread(client, admin_user):
    client.force_login(admin_user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    status, _headers, body = wsgi_post(
        reverse("plans:import_upload"), settings.MAX_REQUEST_BYTES + 1, cookie
    )
    assert status.startswith("413")
    page = body.decode()
    assert "Forespørgslen er for stor" in page and "Log ud" in page  # in the signed-in layout


def test_a_body_within_the_limit_passes(client, admin_user, db):
    client.force_login(admin_user)
    response = client.post(reverse("plans:import_upload"), {"plan_slug": "x"})
    assert response.status_code != 413

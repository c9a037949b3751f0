"""The application keeps its own limit on request bodies: a body announced bigger than
MAX_REQUEST_BYTES is refused with 413 before a byte of it is read, for anonymous and
signed-in requests alike (no reverse proxy needed for that)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def announced_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.MAX_REQUEST_BYTES
        if announced_length(request) > limit:
            message = _(
                "Forespørgslen er for stor: højst %(limit)s MB kan sendes (filer til import "
                "højst %(upload)s MB)."
            ) % {
                "limit": _megabytes(limit),
                "upload": _megabytes(settings.MAX_UPLOAD_BYTES),
            }
            response = render(request, "413.html", {"message": message}, status=413)
            # The body is left unread: the connection is not kept for another request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")

"""The request type of views that use `request.htmx` (django-htmx's documented pattern:
`HtmxMiddleware` sets the attribute, which Django's `HttpRequest` type does not know)."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails

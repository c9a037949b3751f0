"""HTTP helpers: the request type of views that use `request.htmx` (django-htmx's documented
pattern: `HtmxMiddleware` sets the attribute, which Django's `HttpRequest` type does not
know), and `file_response()`, the one way every download is answered."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


DANISH_LETTERS = str.maketrans({"Æ": "AE", "Ø": "OE", "Å": "AA", "æ": "ae", "ø": "oe", "å": "aa"})


def file_response(
    content: bytes,
    filename: str,
    content_type: str,
    *,
    inline: bool = False,
    no_store: bool = True,
    etag: str | None = None,
) -> HttpResponse:
    """Every download (Excel, PDF, JSON, iCal) through one place: the file name encoded for
    every browser (ASCII fallback plus RFC 5987 `filename*`), and the cache headers. Every
    download can hold internal data, so none is kept by a browser or proxy cache
    (`no-store`) unless a caller says otherwise."""
    response = HttpResponse(content, content_type=content_type)
    disposition = content_disposition_header(not inline, filename) or ""
    if "filename*=" in disposition:
        # Non-ASCII: an ASCII fallback first (ØK -> OEK) for clients without RFC 5987.
        fallback = filename.translate(DANISH_LETTERS).encode("ascii", "replace").decode()
        fallback = fallback.replace("?", "_").replace('"', "_").replace("\\", "_")
        kind, _sep, rest = disposition.partition("; ")
        disposition = f'{kind}; filename="{fallback}"; {rest}'
    response["Content-Disposition"] = disposition
    if no_store:
        response["Cache-Control"] = "private, no-store"
    if etag:
        response["ETag"] = f'"{etag}"'
    return response

"""WeasyPrint, behind plans.pdf: the fetcher that lets nothing in from outside, the print
user-agent stylesheet, and the call that writes the PDF.

A module of its own because importing WeasyPrint takes over a second (Pango, fonts,
its CSS): plans.pdf imports it on the first PDF, so a command or page that makes none
does not pay for it (gunicorn's workers import it when they start, see wsgi.py).
"""

from __future__ import annotations

import mimetypes
import re
import ssl
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import weasyprint
from django.conf import settings
from weasyprint.css.counters import CounterStyle
from weasyprint.html import UA
from weasyprint.urls import URLFetcher, URLFetcherResponse


class FetchRefused(ValueError):
    pass


def static_roots() -> list[Path]:
    roots = [Path(root).resolve() for root in settings.STATICFILES_DIRS]
    roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


# https is never allowed, so the opener's HTTPS handler never uses its context. Given
# none, urllib builds a default one and loads the system's CA certificates: 30 ms of
# every PDF. This one is built once and loads nothing.
_UNUSED_TLS_CONTEXT = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class StaticOnlyURLFetcher(URLFetcher):
    def __init__(self) -> None:
        super().__init__(
            allowed_protocols={"data", "file"},
            allow_redirects=False,
            ssl_context=_UNUSED_TLS_CONTEXT,
        )
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parsed = urlparse(url)
        if parsed.scheme == "data":
            return super().fetch(url, headers)
        if parsed.scheme == "file" and not parsed.netloc:
            path = Path(unquote(parsed.path)).resolve()
            if any(path.is_relative_to(root) for root in static_roots()) and path.is_file():
                mime, _ = mimetypes.guess_type(path.name)
                return URLFetcherResponse(
                    url,
                    body=path.read_bytes(),
                    headers={"Content-Type": mime or "application/octet-stream"},
                )
        self.refused.append(url)
        raise FetchRefused(f"Ekstern ressource afvist: {url}")


def print_ua_css(ua: str) -> str:
    """WeasyPrint's user-agent stylesheet, with its universal pseudo-element rules scoped.

    `::marker { ... }` and the `::footnote-*` / `::note-*` rules match every element, so
    the cascade computes five extra styles per element of the document (a sixth of the
    time of an extract). Markers are only drawn for list items, and footnote and note
    pseudo-elements only exist inside `float: footnote` / `float: note` boxes, which our
    print templates do not use; the PDFs come out the same. A new WeasyPrint that words
    these rules differently makes `PRINT_UA_STYLESHEET` fail its test, not the PDFs.
    """
    ua = re.sub(r"^::(?:footnote|note)-[a-z]+ \{[^}]*\}\n", "", ua, flags=re.MULTILINE)
    return ua.replace("\n::marker {", "\nli::marker {")


# Its @counter-style rules are WeasyPrint's, already loaded into the counter styles each
# document starts from; parsed into a dictionary of their own they do not warn twice.
PRINT_UA_STYLESHEET = weasyprint.CSS(string=print_ua_css(UA), counter_style=CounterStyle())


class PrintHTML(weasyprint.HTML):
    """An HTML document cascaded with `PRINT_UA_STYLESHEET` (WeasyPrint's own tests
    swap the user-agent stylesheet through the same method)."""

    def _ua_stylesheets(self, forms: bool = False) -> list[weasyprint.CSS]:
        return [PRINT_UA_STYLESHEET]


def write_pdf(html: str, base_url: str, url_fetcher: StaticOnlyURLFetcher | None) -> bytes:
    document = PrintHTML(
        string=html, base_url=base_url, url_fetcher=url_fetcher or StaticOnlyURLFetcher()
    )
    # The template's <title> and <html lang="da"> become the PDF's title and language.
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, attachments=[]) or b""

"""PDF rendering: our own templates in, bytes out, nothing fetched from anywhere else.

WeasyPrint's default fetcher follows http://, file:// and attachment links; a comment
with `<img src=http://...>` must never make the server fetch anything, so the fetcher
allows only `data:` URLs and files under our own static folders.
"""

from __future__ import annotations

import gc
import mimetypes
import re
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint.css.counters import CounterStyle
from weasyprint.html import UA
from weasyprint.urls import URLFetcher, URLFetcherResponse

from plans.sanitize import clean_text


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


def base_url() -> str:
    """Static files are referenced as `{{ pdf_static }}/css/print.css` in print templates."""
    return Path(settings.STATICFILES_DIRS[0]).resolve().as_uri() + "/"


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render one of our print templates to a tagged, font-embedded PDF."""
    html = render_to_string(template_name, {**context, "pdf_static": base_url().rstrip("/")})
    return html_to_pdf(html)


# While a PDF is laid out, the cyclic garbage collector runs far less often (see below).
LAYOUT_GC_THRESHOLD = (100_000, 50, 1000)
_gc_lock = threading.Lock()
_gc_users = 0
_gc_saved: tuple[int, ...] = ()


@contextmanager
def fewer_gc_runs() -> Iterator[None]:
    """Raise the garbage collector's thresholds while WeasyPrint works.

    Laying out a document allocates millions of short-lived objects; with the default
    thresholds the collector runs hundreds of times per PDF, and its full runs also walk
    every long-lived object of the worker (Django, the URL conf, the templates). Reference
    counting frees nearly all of WeasyPrint's objects anyway. Measured in
    bench/bench_extract.py this takes about a tenth off the PDF time. The thresholds are
    process-wide, so overlapping renders (threaded workers) share one raise and the last
    to finish puts the previous values back.
    """
    global _gc_users, _gc_saved
    with _gc_lock:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(*LAYOUT_GC_THRESHOLD)
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0:
                gc.set_threshold(*_gc_saved)


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


def html_to_pdf(html: str, url_fetcher: StaticOnlyURLFetcher | None = None) -> bytes:
    """The one place WeasyPrint is called, so every PDF goes through the safe fetcher.

    Tests pass hostile markup here directly, bypassing template escaping, to prove the
    fetcher itself refuses http://, file:// outside the static folders and attachments.
    """
    html = clean_text(html)  # a control character in any text must not reach the PDF
    with fewer_gc_runs():
        document = PrintHTML(
            string=html, base_url=base_url(), url_fetcher=url_fetcher or StaticOnlyURLFetcher()
        )
        # The template's <title> and <html lang="da"> become the PDF's title and language.
        return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, attachments=[]) or b""

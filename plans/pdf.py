"""PDF rendering: our own templates in, bytes out, nothing fetched from anywhere else.

WeasyPrint's default fetcher follows http://, file:// and attachment links; a comment
with `<img src=http://...>` must never make the server fetch anything, so the fetcher
allows only `data:` URLs and files under our own static folders
(`plans.pdf_engine.StaticOnlyURLFetcher`, with the rest of what needs WeasyPrint, which
is imported on the first PDF).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string

from plans.sanitize import clean_text

if TYPE_CHECKING:
    from plans.pdf_engine import StaticOnlyURLFetcher


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


def html_to_pdf(html: str, url_fetcher: StaticOnlyURLFetcher | None = None) -> bytes:
    """The one place WeasyPrint is called, so every PDF goes through the safe fetcher.

    Tests pass hostile markup here directly, bypassing template escaping, to prove the
    fetcher itself refuses http://, file:// outside the static folders and attachments.
    """
    from plans.pdf_engine import write_pdf  # noqa: PLC0415 (WeasyPrint: on the first PDF)

    html = clean_text(html)  # a control character in any text must not reach the PDF
    with fewer_gc_runs():
        return write_pdf(html, base_url(), url_fetcher)

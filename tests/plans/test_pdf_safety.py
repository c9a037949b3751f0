"""WeasyPrint renders only our templates and static files, and the PDF is accessible.

A hostile status comment must not make the server fetch a URL, read a local file or
embed an attachment; the fetcher is also attacked directly with unescaped markup.
"""

import gc
import http.server
import re
import subprocess
import threading
import zlib
from datetime import date
from pathlib import Path

import pytest

from plans.board_report import build_board_report, render_board_report_pdf
from plans.pdf import (
    LAYOUT_GC_THRESHOLD,
    base_url,
    fewer_gc_runs,
    html_to_pdf,
)
from plans.pdf_engine import UA, FetchRefused, PrintHTML, StaticOnlyURLFetcher, print_ua_css
from tests.plans.pdf_layout import layout

MAR = date(2025, 3, 1)


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server():
    """A tiny local server that records every request it gets."""
    requests: list[str] = []
    handler = type("Handler", (RecordingHandler,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], requests
    server.shutdown()
    server.server_close()


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF with every Flate stream inflated, so object-stream contents can be searched."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def run_tool(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / f"{tool}.pdf"
    path.write_bytes(pdf)
    command = [tool, *args, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def assert_server_was_never_asked(requests: list[str]) -> None:
    assert requests == []


def test_server_check_works(http_server):
    """The recording server does record: otherwise the tests below prove nothing."""
    import urllib.request

    port, requests = http_server
    urllib.request.urlopen(f"http://127.0.0.1:{port}/probe", timeout=5).read()  # noqa: S310
    assert requests == ["/probe"]


@pytest.fixture
def hostile_report(plan, make_item, director, http_server):
    port, requests = http_server
    comment = (
        f"Se <img src=http://127.0.0.1:{port}/x> og "
        "<link rel=attachment href=file:///etc/passwd> samt <img src=file:///etc/hostname>"
    )
    item = make_item("R666", cross_cutting=True, title="Fjendtlig kommentar")
    item.record_status(
        colour="red",
        period=MAR,
        author=director,
        comment=comment,
        obs=True,
        obs_text=f'<a rel="attachment" href="file:///etc/passwd">x</a><img src="http://127.0.0.1:{port}/obs">',
    )
    report = build_board_report(plan, MAR, meeting_date=date(2025, 3, 26))
    return render_board_report_pdf(report), port, requests, comment, report


def test_hostile_comment_fetches_nothing_and_is_shown_escaped(hostile_report, tmp_path):
    pdf, port, requests, comment, _report = hostile_report
    assert_server_was_never_asked(requests)
    objects = pdf_objects(pdf)
    assert b"/EmbeddedFile" not in objects
    assert b"/EmbeddedFiles" not in objects
    assert b"root:x:0:0" not in objects
    text = "".join(run_tool("pdftotext", pdf, tmp_path).split())
    assert "".join(comment.split()) in text
    assert f'<imgsrc="http://127.0.0.1:{port}/obs">' in text


def test_fonts_are_embedded(hostile_report, tmp_path):
    pdf = hostile_report[0]
    lines = run_tool("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert lines, "the PDF has fonts"
    for line in lines:
        # name type encoding emb sub uni object-id: 'emb' is the fourth field from the end
        assert line.split()[-5] == "yes", line
    assert any("DejaVu" in line for line in lines)  # our print CSS (a static file) was applied


def test_pdf_is_tagged_with_title_and_language(hostile_report, tmp_path):
    pdf, _port, _requests, _comment, report = hostile_report
    objects = pdf_objects(pdf)
    assert b"/StructTreeRoot" in objects
    assert b"/MarkInfo" in objects
    assert b"/Lang (da)" in objects
    info = run_tool("pdfinfo", pdf, tmp_path)
    assert "Tagged:          yes" in info
    assert f"Title:           {report.title}" in info
    assert "R666" in run_tool("pdftotext", pdf, tmp_path)  # selectable text


def test_fetcher_refuses_unescaped_hostile_markup(http_server, tmp_path):
    """Even markup that escapes the template layer cannot reach the network or the disk."""
    port, requests = http_server
    fetcher = StaticOnlyURLFetcher()
    html = f"""<!DOCTYPE html><html lang="da"><head><title>Angreb</title>
      <link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">
      <style>@import url(http://127.0.0.1:{port}/import.css);
        p {{ background: url(file:///etc/hostname); }}</style></head>
      <body><p>Tekst</p>
        <img src="http://127.0.0.1:{port}/x" alt="">
        <img src="file:///etc/hostname" alt="">
        <img src="file://localhost/etc/hostname" alt="">
        <img src="{base_url()}../../../../../etc/hostname" alt="">
        <link rel="attachment" href="file:///etc/passwd">
        <a rel="attachment" href="file:///etc/passwd">bilag</a>
        <svg><image href="http://127.0.0.1:{port}/svg"/></svg>
      </body></html>"""
    pdf = html_to_pdf(html, url_fetcher=fetcher)
    assert_server_was_never_asked(requests)
    objects = pdf_objects(pdf)
    assert b"/EmbeddedFile" not in objects
    assert b"root:x:0:0" not in objects
    refused = " ".join(fetcher.refused)
    for url in (
        f"http://127.0.0.1:{port}/style.css",
        f"http://127.0.0.1:{port}/import.css",
        f"http://127.0.0.1:{port}/x",
        "file:///etc/hostname",
        "file://localhost/etc/hostname",
        "file:///etc/passwd",
    ):
        assert url in refused, url
    assert "Tekst" in run_tool("pdftotext", pdf, tmp_path)


def test_fetcher_allows_only_static_files_and_data_urls():
    fetcher = StaticOnlyURLFetcher()
    css = fetcher.fetch(f"{base_url()}css/pdf.css")
    assert css.content_type == "text/css"
    assert b"table-layout: fixed" in css.read()
    assert fetcher.fetch("data:text/plain,hej") is not None
    for url in (
        "file:///etc/passwd",
        f"{base_url()}../pyproject.toml",
        f"{base_url()}css/../../pyproject.toml",
        "http://127.0.0.1:1/x",
        "https://example.org/x.png",
        "ftp://example.org/x",
    ):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)


def test_gc_thresholds_are_raised_only_while_a_pdf_is_made():
    before = gc.get_threshold()
    seen = []
    with fewer_gc_runs():
        seen.append(gc.get_threshold())
        with fewer_gc_runs():  # an overlapping render shares the raise
            seen.append(gc.get_threshold())
        seen.append(gc.get_threshold())  # still raised: the first render is not done
    assert seen == [LAYOUT_GC_THRESHOLD] * 3
    assert gc.get_threshold() == before
    assert html_to_pdf("<html lang='da'><title>t</title><p>x</p></html>").startswith(b"%PDF")
    assert gc.get_threshold() == before


def test_gc_thresholds_come_back_when_a_pdf_fails():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_gc_runs():
        raise RuntimeError("layout failed")
    assert gc.get_threshold() == before


def test_fetcher_does_not_load_certificates_it_can_never_use():
    # https is refused, so building a TLS context with the system's CA store (30 ms of
    # every PDF) would be waste: the opener gets one context, built once, with no CAs.
    first, second = StaticOnlyURLFetcher(), StaticOnlyURLFetcher()
    contexts = [
        handler._context
        for fetcher in (first, second)
        for handler in fetcher.handlers
        if handler.__class__.__name__ == "HTTPSHandler"
    ]
    assert len(contexts) == 2 and contexts[0] is contexts[1]
    assert contexts[0].cert_store_stats()["x509_ca"] == 0
    with pytest.raises(ValueError):
        first.fetch("https://example.com/x.png")


def test_print_ua_stylesheet_scopes_the_universal_pseudo_element_rules():
    css = print_ua_css(UA)
    assert css != UA, "WeasyPrint's user-agent stylesheet changed: revisit print_ua_css"
    assert not re.search(r"^::", css, re.MULTILINE)
    assert "\nli::marker {" in css
    # Everything else is WeasyPrint's own, line for line.
    kept = [line for line in UA.splitlines() if not line.startswith("::")]
    assert [line for line in css.splitlines() if not line.startswith("li::marker")] == kept


LISTS_AND_TABLES = """<!DOCTYPE html><html lang="da"><head><meta charset="utf-8">
<title>t</title><link rel="stylesheet" href="css/pdf.css"></head><body>
<h1>Overskrift</h1><p>Afsnit med <b>fed</b> og <i>kursiv</i><br>og linjeskift.</p>
<ul><li>Et punkt</li><li>Et punkt mere<ul><li>Underpunkt</li></ul></li></ul>
<ol><li>Første</li><li>Anden</li></ol>
<table><thead><tr><th>Nr.</th><th>Emne</th></tr></thead>
<tbody><tr><td>R001</td><td>Besparelse</td></tr></tbody></table>
</body></html>"""


def test_print_ua_stylesheet_lays_out_lists_and_tables_as_weasyprint_does():
    import weasyprint

    assert layout(PrintHTML, LISTS_AND_TABLES) == layout(weasyprint.HTML, LISTS_AND_TABLES)
    markers = [box for box in layout(PrintHTML, LISTS_AND_TABLES) if box[1] == "TextBox"]
    assert any(text and text.startswith("•") for *_, text in markers)
    assert any(text == "1. " for *_, text in markers)

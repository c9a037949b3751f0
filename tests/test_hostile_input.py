"""Hostile input: user text with HTML/JS stays inert on pages, in PDFs and in Excel, and
generated query strings and form posts never give a 500."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from committees.models import CommitteeNote
from plans.models import Colour, StatusReport

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FORMULA = "=cmd|' /C calc'!A0"
RAW_MARKERS = ["<script>alert(1)", "<img src=x onerror", "onerror=alert(1)>"]


@pytest.fixture
def hostile(plan, make_item, head, director, admin_user) -> dict[str, Any]:
    item = make_item(
        "R666",
        committee="ØK",
        title=f"Titel {SCRIPT} {IMG}",
        description=f"Beskrivelse {SCRIPT}",
        cross_cutting=True,
        responsible=head,
        timing=IMG,
        markers="(I)",
        amounts={2025: -100, 2026: -200},
    )
    formula_item = make_item("R667", committee="BUU", title=FORMULA, cross_cutting=True)
    item.record_status(
        colour=Colour.RED,
        comment=f"Kommentar {SCRIPT} {IMG}",
        red_reason="stalled",
        obs=True,
        obs_text=f"OBS {IMG}",
        author=director,
    )
    formula_item.record_status(colour=Colour.YELLOW, comment="=1+1", author=director)
    CommitteeNote.objects.create(
        item=item, committee=item.committee, date=date(2025, 1, 14), text=f"Ad. R666 {SCRIPT}"
    )
    return {"item": item, "formula_item": formula_item, "plan": plan}


def url_or_none(name: str, **kwargs: Any) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def page_urls(plan: Any, item: Any) -> list[str]:
    slug = plan.slug
    candidates = [
        url_or_none("plans:home"),
        url_or_none("plans:plan_detail", slug=slug),
        url_or_none("plans:item_detail", slug=slug, pk=item.pk),
        url_or_none("plans:my_items", slug=slug),
        url_or_none("plans:red_list", slug=slug),
        url_or_none("plans:dashboard", slug=slug),
        url_or_none("plans:board_report", slug=slug),
        url_or_none("plans:extract_list", slug=slug),
        url_or_none("plans:extract_detail", slug=slug, code="ØK"),
        url_or_none("plans:strategy", slug=slug),
        url_or_none("committees:annual_wheel", slug=slug),
    ]
    return [url for url in candidates if url]


def assert_inert(html: str, where: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in html, f"{where}: {marker!r} reached the page unescaped"


def test_hostile_text_is_escaped_on_every_page(client, admin_user, hostile):
    client.force_login(admin_user)
    urls = page_urls(hostile["plan"], hostile["item"])
    assert len(urls) >= 3
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.text, url)


def test_hostile_text_is_shown_escaped_where_it_belongs(client, head, hostile):
    client.force_login(head)
    item = hostile["item"]
    overview = client.get(reverse("plans:plan_detail", kwargs={"slug": item.plan.slug})).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in overview
    page = client.get(
        reverse("plans:item_detail", kwargs={"slug": item.plan.slug, "pk": item.pk})
    ).text
    assert "Titel &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Kommentar &lt;script&gt;" in page
    assert_inert(page, "item page")


def test_htmx_fragments_escape_hostile_text(client, head, hostile):
    client.force_login(head)
    item = hostile["item"]
    url = url_or_none("plans:report_status", slug=item.plan.slug, pk=item.pk)
    if url is None:
        pytest.fail("plans:report_status is missing")
    latest = item.latest_report()
    response = client.post(
        url,
        {"colour": "yellow", "comment": f"Ny {SCRIPT}", "seen_report": latest.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert_inert(response.text, "status fragment")
    assert StatusReport.objects.filter(comment=f"Ny {SCRIPT}").count() == 1


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def test_hostile_text_appears_literally_in_pdfs(client, admin_user, hostile):
    client.force_login(admin_user)
    slug = hostile["plan"].slug
    urls = [
        url
        for url in [
            url_or_none("plans:extract_pdf", slug=slug, code="ØK"),
            url_or_none("plans:board_report_pdf", slug=slug),
        ]
        if url
    ]
    assert urls, "no PDF view to test"
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = " ".join(pdf_text(response.content).split())
        # The markup is printed as text, not interpreted (no image, no script).
        assert "<script>alert(1)</script>" in text, url
        assert "R666" in text


def test_formulas_stay_text_in_excel(client, admin_user, hostile):
    from openpyxl import load_workbook

    url = url_or_none("plans:export_xlsx", slug=hostile["plan"].slug)
    if url is None:
        pytest.fail("plans:export_xlsx is missing")
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    found = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if cell.value == FORMULA:
                    found.append(cell)
    assert found, "the hostile title is missing from the workbook"
    assert all(cell.data_type == "s" for cell in found)


def test_json_api_returns_data_not_markup(client, admin_user, hostile):
    url = url_or_none("plans:api_items", slug=hostile["plan"].slug)
    if url is None:
        pytest.fail("plans:api_items is missing")
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    titles = [item["title"] for item in response.json()["items"]]
    assert f"Titel {SCRIPT} {IMG}" in titles


# --- generated input never gives a 500 ----------------------------------------------

safe_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40
)  # no lone surrogates: they cannot be sent at all
interesting = st.one_of(
    safe_text,
    st.sampled_from(
        [
            "",
            "2025-10",
            "9999-99",
            "2025-13",
            "0000-00",
            "-1",
            "99999999999999999999",
            "ØK",
            "øk",
            "ukendt",
            "red",
            "green",
            "\x00",
            "%00",
            "'; DROP TABLE plans_item; --",
            SCRIPT,
            "../../etc/passwd",
            "a" * 3000,
        ]
    ),
)
param_names = st.one_of(
    st.sampled_from(
        [
            "as_of",
            "committee",
            "kind",
            "colour",
            "cross",
            "state",
            "responsible",
            "q",
            "sort",
            "back",
            "agenda",
            "meeting",
            "recommender",
            "year",
            "token",
            "public",
            "meeting_date",
            "month",
            "page",
        ]
    ),
    safe_text,
)
query_strings = st.dictionaries(param_names, interesting, max_size=6)


@pytest.mark.parametrize(
    "name",
    [
        "plans:home",
        "plans:plan_detail",
        "plans:item_detail",
        "plans:my_items",
        "plans:red_list",
        "plans:dashboard",
        "plans:board_report",
        "plans:extract_list",
        "plans:extract_detail",
        "plans:strategy",
        "plans:api_items",
        "committees:annual_wheel",
        "login",
    ],
)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(params=query_strings)
def test_generated_query_strings_never_give_a_500(client, admin_user, hostile, name, params):
    kwargs: dict[str, Any] = {}
    if name not in {"plans:home", "login"}:
        kwargs["slug"] = hostile["plan"].slug
    if name == "plans:item_detail":
        kwargs["pk"] = hostile["item"].pk
    if name == "plans:extract_detail":
        kwargs["code"] = "ØK"
    url = url_or_none(name, **kwargs)
    if url is None:
        pytest.fail(f"{name} is missing")
    client.force_login(admin_user)
    response = client.get(url, params)
    assert response.status_code < 500, (url, params)
    if response.status_code == 200 and "text/html" in response["Content-Type"]:
        assert "<script>alert(1)" not in response.text


form_data = st.dictionaries(
    st.sampled_from(["colour", "comment", "red_reason", "seen_report", "obs", "obs_text"]),
    interesting,
    max_size=6,
)


@pytest.mark.parametrize("name", ["plans:report_status", "plans:mark_obs", "plans:carry_forward"])
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=form_data, htmx=st.booleans())
def test_generated_form_posts_never_give_a_500_nor_half_a_report(
    client, admin_user, hostile, name, data, htmx
):
    item = hostile["item"]
    url = url_or_none(name, slug=item.plan.slug, pk=item.pk)
    if url is None:
        pytest.fail(f"{name} is missing")
    client.force_login(admin_user)
    before = StatusReport.objects.filter(item=item).count()
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(url, data, headers=headers)
    assert response.status_code < 500, (url, data)
    after = StatusReport.objects.filter(item=item).count()
    # Either one whole new report or nothing.
    assert after - before in {0, 1}
    if after > before:
        newest = StatusReport.objects.filter(item=item).latest("id")
        assert newest.colour in Colour.values
        assert "\x00" not in newest.comment


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.dictionaries(st.sampled_from(["username", "password", "next"]), interesting, max_size=3)
)
def test_generated_login_posts_never_give_a_500(client, db, data):
    response = client.post("/login/", data)
    assert response.status_code < 500

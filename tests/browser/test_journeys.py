"""Journeys of the secretary, the administrator and the economy chief, in a real browser.

Each fails on any console error or CSP violation (the `page` fixture in conftest).
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from playwright.sync_api import expect

from plans.models import Item, ObsPoint, PublishedReport, StatusReport
from tests.browser.conftest import Site, assert_no_axe_violations

pytestmark = pytest.mark.browser

SLUG = "2025-2028"
SAMPLE_NAME = "udmoentningsplan-2025-2028.xlsx"


def sample_workbook() -> Path:
    """The sample workbook, kept in tests/data."""
    return Path(settings.BASE_DIR) / "tests" / "data" / SAMPLE_NAME


def overview_rows(site: Site) -> int:
    return site.page.locator("#overview-table tbody tr").count()


def test_secretary_filters_goes_back_and_downloads_the_extract(site: Site, tmp_path: Path) -> None:
    site.login("sekretaer")
    site.goto("plans:plan_detail", SLUG)
    page = site.page
    all_rows = overview_rows(site)
    page.evaluate("window.__noReload = true")

    # Filter by committee: the table is swapped in place and the URL follows the filter.
    committee = page.get_by_label("Udvalg", exact=True)
    committee.focus()
    with page.expect_response(lambda r: "committee=AU" in r.url):
        committee.select_option("AU")
    expect(page).to_have_url(re.compile(r"committee=AU"))
    expect(page.locator("#overview-table tbody tr").first).to_be_visible()
    au_rows = overview_rows(site)
    assert 0 < au_rows < all_rows
    assert page.evaluate("window.__noReload") is True
    # Focus stays on the control the user just changed.
    expect(committee).to_be_focused()
    # The page after the htmx swap: still zero WCAG 2.1 A/AA violations.
    assert_no_axe_violations(page)

    # A second filter, then the back button: URL, form and table are as before.
    with page.expect_response(lambda r: "colour=red" in r.url):
        page.get_by_label("Status", exact=True).select_option("red")
    expect(page).to_have_url(re.compile(r"colour=red"))
    red_rows = overview_rows(site)
    assert red_rows < au_rows
    page.go_back()
    expect(page).to_have_url(re.compile(r"committee=AU"))
    assert "colour=red" not in page.url
    expect(page.get_by_label("Udvalg", exact=True)).to_have_value("AU")
    expect(page.get_by_label("Status", exact=True)).to_have_value("")
    expect(page.locator("#overview-table tbody tr")).to_have_count(au_rows)

    # The committee's extract: the PDF and the Excel workbook.
    page.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Udsnit til udvalg"
    ).click()
    page.get_by_role("link", name=re.compile(r"Arbejdsmarkedsudvalget")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arbejdsmarkedsudvalget")
    assert_no_axe_violations(page)

    with page.expect_download(timeout=60_000) as pdf_download:
        page.get_by_role("link", name="Hent PDF").first.click()
    pdf_path = tmp_path / "udsnit.pdf"
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    assert pdf_download.value.suggested_filename.endswith(".pdf")

    with page.expect_download(timeout=30_000) as xlsx_download:
        page.get_by_role("link", name="Hent Excel").first.click()
    xlsx_path = tmp_path / "udsnit.xlsx"
    xlsx_download.value.save_as(xlsx_path)
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_path.read_bytes()), read_only=True)
    cells = [
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert any("R307" in cell for cell in cells), "AU's punkt R307 mangler i Excel-udsnittet"


def test_administrator_imports_the_sample_workbook(site: Site, tmp_path: Path) -> None:
    site.login("admin")
    site.goto("plans:import_upload")
    page = site.page
    # Upload a copy with the real name, as a person would pick it in the file dialogue.
    upload = tmp_path / SAMPLE_NAME
    shutil.copyfile(sample_workbook(), upload)
    page.get_by_label("Projektmappe (.xlsx)").set_input_files(upload)
    page.get_by_label("Importér til plan").select_option(SLUG)
    page.get_by_role("button", name="Vis forhåndsvisning").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Forhåndsvisning af import")
    expect(page.get_by_text(SAMPLE_NAME).first).to_be_visible()
    assert_no_axe_violations(page)
    items_before = Item.objects.filter(plan__slug=SLUG).count()
    reports_before = StatusReport.objects.count()

    page.get_by_role("button", name="Importér", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importen er gennemført")
    expect(page.get_by_role("status")).to_contain_text(SAMPLE_NAME)
    # The demo is the sample plan: the import keeps every item and adds nothing twice.
    assert Item.objects.filter(plan__slug=SLUG).count() >= items_before
    assert StatusReport.objects.count() >= reports_before
    page.get_by_role("link", name=re.compile(r"^Gå til Udmøntningsplan")).click()
    expect(page.locator("#overview-table tbody tr").first).to_be_visible()


def test_economy_chief_reviews_marks_obs_and_publishes(site: Site) -> None:
    site.login("oekonomichef")
    site.goto("plans:red_list", SLUG)
    page = site.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Røde og gule punkter")
    table = page.locator("table.review-table")
    expect(table).to_be_visible()
    assert table.locator("tbody tr").count() > 0
    # Only the red ones, swapped in place by htmx; still accessible afterwards.
    with page.expect_response(lambda r: "colour=red" in r.url):
        page.get_by_label("Farve").select_option("red")
    expect(page).to_have_url(re.compile(r"colour=red"))
    expect(table.locator("tbody tr.review-row-yellow")).to_have_count(0)
    assert table.locator("tbody tr.review-row-red").count() > 0
    assert_no_axe_violations(page)

    # Pick a red item without an OBS mark, then mark it in "Mine punkter" under its
    # committee, where the economy chief acts on any committee's items.
    red_row = table.locator("tbody tr.review-row-red").filter(has_not=page.locator(".obs-mark"))
    expect(red_row.first).to_be_visible()
    link = red_row.first.get_by_role("link").first
    item_pk = int(re.search(r"/items/(\d+)/", link.get_attribute("href") or "")[1])
    committee_code = Item.objects.get(pk=item_pk).committee.code
    obs_before = ObsPoint.objects.filter(item_id=item_pk).count()

    menu = page.get_by_role("navigation", name="Hovedmenu")
    menu.get_by_role("link", name="Mine punkter").click()
    page.get_by_label("Vis punkter for").select_option(committee_code)
    page.locator("form.status-scope").get_by_role("button", name="Vis", exact=True).click()
    expect(page).to_have_url(re.compile(rf"committee={re.escape(committee_code)}"))
    row = page.locator(f"#status-row-{item_pk}")
    row.locator("summary").click()
    obs_form = row.locator("form[action*='/obs/']")
    obs_form.locator("textarea").fill("Direktionen følger op i december.")
    obs_form.get_by_role("button", name="Markér som OBS-punkt").click()
    expect(row.locator(".alert-success")).to_be_visible()
    # The row closes again; its summary shows the OBS mark, the text is inside it.
    expect(row.locator("summary .obs-mark").first).to_be_visible()
    expect(row.locator(".obs-text").first).to_contain_text("Direktionen følger op i december.")
    assert ObsPoint.objects.filter(item_id=item_pk).count() == obs_before + 1
    assert_no_axe_violations(page)

    # Publish the board report for a meeting.
    menu.get_by_role("link", name="Statusrapport").click()
    expect(page.get_by_role("heading", level=1).first).to_have_text("Statusrapport til direktionen")
    publish = page.locator("form.publish-form")
    publish.get_by_label(re.compile("Mødedato")).fill("2026-12-15")
    published_before = PublishedReport.objects.count()
    publish.get_by_role("button", name=re.compile("Udgiv rapporten")).click()
    expect(page.locator("[id^=published-]").first).to_be_visible()
    assert PublishedReport.objects.count() == published_before + 1
    expect(page.get_by_role("link", name="Hent PDF").first).to_be_visible()

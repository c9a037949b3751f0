"""The director's monthly status round in "Mine punkter", as Kim (`direktoer`) does it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from plans.models import Colour, StatusReport
from tests.browser.conftest import Site, assert_no_axe_violations

pytestmark = pytest.mark.browser

SLUG = "2025-2028"


def open_row(row: Locator) -> None:
    """The compact row opens to its forms from its summary."""
    if row.locator("details[open]").count() == 0:
        row.locator("summary").click()


def report(row: Locator, colour: str, comment: str, red_reason: bool = False) -> None:
    open_row(row)
    form = row.locator("form.status-form")
    form.locator(f"input[type=radio][value={colour}]").check()
    if red_reason:
        reason = form.locator("select[name$=red_reason]")
        values = reason.locator("option").evaluate_all("os => os.map(o => o.value).filter(v => v)")
        reason.select_option(values[0])
    form.locator("textarea[name$=comment]").fill(comment)
    form.get_by_role("button", name="Gem status").click()


def test_director_reports_three_items_in_place(site: Site) -> None:
    site.login("direktoer")
    site.goto("plans:my_items", SLUG)
    page = site.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine punkter")
    # A marker that a full page load would wipe: the rows must update in place.
    page.evaluate("window.__noReload = 'still here'")

    progress = page.locator("#status-progress")
    expect(progress).to_be_visible()
    rows = page.locator("article.status-row").filter(has=page.locator("form.status-form"))
    assert rows.count() >= 3, "direktøren skal have mindst tre punkter at afgive status på"
    row_ids = [rows.nth(index).get_attribute("id") for index in range(3)]

    plan_reports_before = StatusReport.objects.count()
    choices = [
        (Colour.GREEN, "Følger planen; milepælen er nået.", False),
        (Colour.YELLOW, "Leverandøren er forsinket to uger.", False),
        (Colour.RED, "Sagen er gået i stå og kræver en beslutning i direktionen.", True),
    ]
    for row_id, (colour, comment, needs_reason) in zip(row_ids, choices, strict=True):
        before = progress.inner_text()
        row = page.locator(f"#{row_id}")
        report(row, colour, comment, red_reason=needs_reason)
        # The row is swapped in place and says what was saved …
        expect(row.locator(".alert-success")).to_be_visible()
        expect(row.locator(".status-current .badge").first).to_contain_text(
            str(Colour(colour).label)
        )
        # … and the progress counter follows via the statusChanged event.
        expect(progress).not_to_have_text(before)

    assert page.evaluate("window.__noReload") == "still here", "siden blev genindlæst"
    assert re.search(r"\d", progress.inner_text())
    assert StatusReport.objects.count() == plan_reports_before + 3
    red = StatusReport.objects.order_by("-pk").first()
    assert red is not None and red.colour == Colour.RED and red.red_reason
    assert_no_axe_violations(page)


def test_status_form_by_keyboard_keeps_focus_and_announces_errors(site: Site) -> None:
    site.login("direktoer")
    site.goto("plans:my_items", SLUG)
    page = site.page
    row = page.locator("article.status-row").filter(has=page.locator("form.status-form")).first
    row_id = row.get_attribute("id")
    form = row.locator("form.status-form")

    # Tab reaches the row's summary, Enter opens it, and Tab goes on to the colour choice
    # of its status form, with a visible focus ring.
    summary = row.locator("summary")
    for _ in range(60):
        page.keyboard.press("Tab")
        if summary.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab nåede aldrig punktets række")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    first_radio = form.locator("input[type=radio]").first
    for _ in range(60):
        page.keyboard.press("Tab")
        if first_radio.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab nåede aldrig statusformularen")
    assert_focus_visible(page)

    # Red without a reason or a comment, submitted from the keyboard.
    form.locator("input[type=radio][value=red]").check()
    form.get_by_role("button", name="Gem status").focus()
    page.keyboard.press("Enter")
    row = page.locator(f"#{row_id}")
    expect(row.locator(".errorlist").first).to_be_visible()
    # Focus is not dropped to <body>: it lands in the row, on an error message that is an
    # alert (read out at once) or on the first invalid field (read with its error).
    focused = page.locator(":focus")
    expect(focused).to_be_visible()
    assert row.evaluate("el => el.contains(document.activeElement)")
    if focused.get_attribute("role") != "alert":
        expect(focused).to_have_attribute("aria-invalid", "true")
    # Every invalid field names its error through aria-describedby.
    invalid = row.locator('[aria-invalid="true"]')
    assert invalid.count() >= 1
    for index in range(invalid.count()):
        described_by = invalid.nth(index).get_attribute("aria-describedby") or ""
        messages = " ".join(page.locator(f"#{ref}").inner_text() for ref in described_by.split())
        assert "rød" in messages.lower(), messages
    assert_no_axe_violations(page)

    # Corrected and saved: the confirmation is a live status message and takes focus.
    form = row.locator("form.status-form")
    reason = form.locator("select[name$=red_reason]")
    values = reason.locator("option").evaluate_all("os => os.map(o => o.value).filter(v => v)")
    reason.select_option(values[0])
    form.locator("textarea[name$=comment]").fill("Kræver en beslutning.")
    form.get_by_role("button", name="Gem status").focus()
    page.keyboard.press("Enter")
    saved = row.locator(".alert-success")
    expect(saved).to_be_visible()
    expect(saved).to_have_attribute("role", "status")
    expect(saved).to_be_focused()


def assert_focus_visible(page: Page) -> None:
    """The focused element draws an outline at least 2 px wide (or a box-shadow ring)."""
    style = page.evaluate(
        """() => {
          const s = getComputedStyle(document.activeElement);
          return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow};
        }"""
    )
    assert (style["style"] != "none" and style["width"] >= 2) or style["shadow"] != "none", style

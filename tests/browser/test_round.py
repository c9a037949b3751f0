"""The monthly round in the browser: the compact "Mine punkter", a whole round by
keyboard alone, and the cycle's pages on a phone (390×844)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, assert_no_axe_violations
from tests.browser.test_layout import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

SLUG = "2025-2028"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
KEYBOARD_GOAL_SECONDS = 180
MAX_COLLAPSED_HEIGHT = 3 * DESKTOP["height"]


def tab_to(page: Page, test: str, *, backwards: bool = False, limit: int = 400) -> None:
    """Press Tab (Shift+Tab) until `test`, a JS predicate on document.activeElement, holds."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate(f"(el => {test})(document.activeElement)"):
            return
    pytest.fail(f"Tab nåede aldrig frem til: {test}")


def test_a_directors_round_by_keyboard_alone(site: Site, tmp_path: Path) -> None:
    page = site.page
    page.set_viewport_size(DESKTOP)
    site.login("direktoer")
    site.goto("plans:my_items", SLUG)
    rows = page.locator("#status-round .status-committee .status-row")
    in_round = rows.count()
    preselected = page.locator("#status-round input[name=items]:checked").count()
    assert in_round >= 15 and preselected >= 15, (in_round, preselected)

    # Collapsed, the page is at most three screens.
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= MAX_COLLAPSED_HEIGHT, f"Mine punkter er {height} px høj"
    # The screenshot and axe come last: both leave attributes that a later htmx swap
    # would copy (htmx settles "style"), which the strict CSP then reports.
    shot = tmp_path / "my-items-compact.png"
    if os.environ.get("UPDATE_SCREENSHOTS"):
        shot = Path(settings.BASE_DIR) / "docs" / "screenshots" / "my-items-compact.png"
    page.screenshot(path=shot, full_page=True, animations="disabled", caret="hide")
    page.goto(page.url)

    started = time.monotonic()
    page.locator("h1").focus()
    changed = [rows.nth(index).get_attribute("id") for index in range(3)]
    for row_id in changed:
        # Open the row from its summary, choose green, write why, save.
        tab_to(page, f"el.matches('#{row_id} summary')")
        page.keyboard.press("Enter")
        tab_to(page, f"el.matches('#{row_id} input[type=radio]')")
        page.keyboard.press("Space")
        tab_to(page, f"el.matches('#{row_id} textarea[name=comment]')")
        page.keyboard.type("Følger planen efter aftalen med leverandøren.")
        tab_to(page, f"el.matches('#{row_id} .status-form button[type=submit]')")
        with page.expect_response(lambda response: "/status/" in response.url):
            page.keyboard.press("Enter")
        expect(page.locator(f"#{row_id} .status-saved")).to_be_focused()
    # The rest are unchanged: confirm them at once.
    page.once("dialog", lambda dialog: dialog.accept())
    tab_to(page, "el.matches('#status-bulk button[type=submit]')", backwards=True)
    with page.expect_response(lambda response: "confirm-unchanged" in response.url):
        page.keyboard.press("Enter")
    results = page.locator(".status-bulk-results")
    expect(results).to_be_focused()
    elapsed = time.monotonic() - started

    saved = results.locator(".bulk-saved").count()
    assert saved == in_round - 3 and results.locator(".bulk-refused").count() == 0
    expect(page.locator("#status-progress")).to_contain_text(f"{in_round} af {in_round}")
    assert elapsed < KEYBOARD_GOAL_SECONDS, f"{elapsed:.1f} s"
    print(f"\nKeyboard round: 3 changed + {saved} unchanged in {elapsed:.1f} s")

    site.goto("plans:my_items", SLUG)
    page.locator(".status-row summary").first.click()
    assert_no_axe_violations(page)


def cycle_pages(site: Site) -> list[str]:
    return [
        site.url("plans:my_items", SLUG),
        site.url("plans:red_list", SLUG),
        site.url("plans:board_report", SLUG),
        site.url("committees:agenda_draft", SLUG, "AU"),
    ]


def test_the_cycle_fits_a_phone(site: Site) -> None:
    page = site.page
    page.set_viewport_size(PHONE)
    site.login("oekonomichef")
    for url in [*cycle_pages(site), site.url("plans:my_items", SLUG, query="committee=AU")]:
        response = page.goto(url)
        assert response is not None and response.ok, url
        assert_no_horizontal_scroll(page)
    # An open row of Mine punkter fits too.
    page.locator(".status-row summary").first.click()
    assert_no_horizontal_scroll(page)

    site.login("direktoer")
    site.goto("plans:my_items", SLUG)
    page.locator(".status-row summary").first.click()
    assert_no_horizontal_scroll(page)


def test_the_overview_shows_number_title_and_status_on_a_phone(site: Site) -> None:
    page = site.page
    page.set_viewport_size(PHONE)
    site.login("oekonomichef")
    site.goto("plans:plan_detail", SLUG)
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    row = page.locator("#overview-table tbody tr").first
    cells = {
        "number": row.locator("td").nth(0),
        "title": row.locator("td").nth(1),
        "status": row.locator("td .badge").first,
    }
    for name, cell in cells.items():
        box = cell.bounding_box()
        assert box is not None, name
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, (name, box)

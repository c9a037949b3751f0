"""Screenshots of the main pages, as the people who use them see them.

Every run takes them (each page must render with its stylesheet and no browser errors);
with `UPDATE_SCREENSHOTS=1` they are written to `docs/screenshots/` for the README:

    UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_screenshots.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from plans.models import Item
from tests.browser.conftest import Site

pytestmark = pytest.mark.browser

SLUG = "2025-2028"
MAX_BYTES = 300 * 1024


def output_dir(tmp_path: Path) -> Path:
    if os.environ.get("UPDATE_SCREENSHOTS"):
        target = Path(settings.BASE_DIR) / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        return target
    return tmp_path


def shoot(page: Page, folder: Path, name: str) -> None:
    page.wait_for_load_state("networkidle")
    # Fonts decide the look: wait until IBM Plex Sans is in use.
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"IBM Plex Sans\"')")
    path = folder / f"{name}.png"
    page.screenshot(path=path, animations="disabled", caret="hide")
    assert 0 < path.stat().st_size < MAX_BYTES, f"{path.name}: {path.stat().st_size} bytes"


def test_screenshots_of_the_main_pages(site: Site, tmp_path: Path) -> None:
    folder = output_dir(tmp_path)
    page = site.page
    page.set_viewport_size({"width": 1280, "height": 860})

    page.goto(site.base_url + "/login/")
    shoot(page, folder, "login")

    site.login("direktoer")
    shoot(page, folder, "home")

    site.goto("plans:plan_detail", SLUG)
    shoot(page, folder, "overview")

    item = Item.objects.get(plan__slug=SLUG, number="R307", committee__code="AU")
    site.goto("plans:item_detail", SLUG, item.pk)
    shoot(page, folder, "item")

    site.goto("plans:my_items", SLUG)
    page.locator(".status-row summary").first.click()
    expect(page.locator("form.status-form").first).to_be_visible()
    shoot(page, folder, "my-items")

    site.login("oekonomichef")
    site.goto("plans:red_list", SLUG)
    shoot(page, folder, "red-list")
    site.goto("plans:dashboard", SLUG)
    shoot(page, folder, "dashboard")
    site.goto("plans:board_report", SLUG)
    shoot(page, folder, "board-report")

    site.login("sekretaer")
    site.goto("plans:extract_detail", SLUG, "AU")
    shoot(page, folder, "extract")

    site.login("admin")
    site.goto("plans:import_upload")
    shoot(page, folder, "import")

    # The overview at 200 % zoom (640 CSS pixels wide) and "Mine punkter" on a tablet.
    site.login("sekretaer")
    page.set_viewport_size({"width": 640, "height": 860})
    page.goto(site.url("plans:plan_detail", SLUG, query="committee=AU"))
    shoot(page, folder, "overview-zoom-200")
    site.login("direktoer")
    page.set_viewport_size({"width": 768, "height": 1024})
    site.goto("plans:my_items", SLUG)
    shoot(page, folder, "my-items-tablet")

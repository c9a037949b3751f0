"""200 % zoom, a tablet, the keyboard and the printer.

200 % zoom on a 1280×800 laptop leaves 640×400 CSS pixels; a tablet is 768×1024. At both,
the page body must not scroll sideways: only wide tables may, inside their `.table-wrap`.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from plans.models import Item
from tests.browser.conftest import Site, assert_no_axe_violations

pytestmark = pytest.mark.browser

SLUG = "2025-2028"
ZOOM_200 = {"width": 640, "height": 400}
TABLET = {"width": 768, "height": 1024}

# Elements sticking out past the right edge, except inside a scroll container (a
# .table-wrap or another element with overflow-x auto/scroll, which users can scroll).
OVERFLOWING = """() => {
  const limit = document.documentElement.clientWidth;
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const inScroller = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (scrolls(up)) return true;
    }
    return false;
  };
  const offenders = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (!box.width || box.right <= limit + 1 || inScroller(el)) continue;
    const classes = typeof el.className === "string" ? el.className.trim() : "";
    offenders.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}`
      + `${classes ? "." + classes.split(/\\s+/).join(".") : ""} right=${Math.round(box.right)}`);
  }
  const scrollWidth = document.documentElement.scrollWidth;
  return {scrollWidth, limit, offenders: offenders.slice(0, 8)};
}"""


def assert_no_horizontal_scroll(page: Page) -> None:
    result: dict[str, Any] = page.evaluate(OVERFLOWING)
    assert result["scrollWidth"] <= result["limit"] + 1 and not result["offenders"], (
        f"{page.url} ruller vandret ved {result['limit']} px: {result}"
    )


def admin_pages() -> list[str]:
    item = Item.objects.get(plan__slug=SLUG, number="R307", committee__code="AU")
    return [
        reverse("plans:home"),
        reverse("plans:plan_detail", args=[SLUG]),
        reverse("plans:item_detail", args=[SLUG, item.pk]),
        reverse("plans:red_list", args=[SLUG]),
        reverse("plans:dashboard", args=[SLUG]),
        reverse("plans:board_report", args=[SLUG]),
        reverse("plans:extract_list", args=[SLUG]),
        reverse("plans:extract_detail", args=[SLUG, "AU"]),
        reverse("plans:import_upload"),
        reverse("plans:strategy", args=[SLUG]),
        reverse("committees:annual_wheel", args=[SLUG]),
    ]


def test_pages_fit_at_200_percent_zoom_and_on_a_tablet(site: Site) -> None:
    page = site.page
    site.login("admin")
    for viewport in (ZOOM_200, TABLET):
        page.set_viewport_size(viewport)
        for path in admin_pages():
            page.goto(site.base_url + path)
            assert_no_horizontal_scroll(page)
    site.login("direktoer")
    for viewport in (ZOOM_200, TABLET):
        page.set_viewport_size(viewport)
        site.goto("plans:my_items", SLUG)
        assert_no_horizontal_scroll(page)

    # Zoomed, the overview's table scrolls inside its wrapper, which keyboard users can
    # focus to scroll; the page stays free of WCAG violations.
    page.set_viewport_size(ZOOM_200)
    site.goto("plans:plan_detail", SLUG)
    wrap = page.locator("#overview-table .table-wrap").first
    expect(wrap).to_be_visible()
    if wrap.evaluate("el => el.scrollWidth > el.clientWidth"):
        expect(wrap).to_have_attribute("tabindex", "0")
    assert_no_axe_violations(page)


def test_keyboard_reaches_the_filters_with_a_visible_focus(site: Site) -> None:
    site.login("sekretaer")
    site.goto("plans:plan_detail", SLUG)
    page = site.page
    # The skip link is the first stop and jumps to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Gå til indhold")
    expect(skip).to_be_focused()
    assert skip.evaluate("el => el.getBoundingClientRect().left >= 0")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    committee = page.get_by_label("Udvalg", exact=True)
    for _ in range(40):
        page.keyboard.press("Tab")
        if committee.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab nåede aldrig udvalgsfilteret")
    outline = committee.evaluate(
        "el => { const s = getComputedStyle(el);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"
    )
    assert outline[0] != "none" and outline[1] >= 2, outline

    # Choosing with the keyboard filters in place and keeps focus on the select.
    with page.expect_response(lambda r: "committee=" in r.url):
        page.keyboard.press("ArrowDown")
    expect(page).to_have_url(re.compile(r"committee="))
    expect(committee).to_be_focused()


def test_printing_the_overview_hides_navigation_and_filters(site: Site) -> None:
    site.login("sekretaer")
    site.goto("plans:plan_detail", SLUG)
    page = site.page
    page.emulate_media(media="print")
    expect(page.locator(".main-nav")).to_be_hidden()
    expect(page.locator(".skip-link")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator("main form").first).to_be_hidden()
    expect(page.locator("#overview-table table").first).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # Status words print with the colour: black text and a border, never colour alone.
    badge = page.locator("#overview-table .badge").first
    assert badge.evaluate("el => getComputedStyle(el).borderStyle") != "none"
    pdf = page.pdf(format="A4", landscape=True)
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="screen")
    expect(page.locator(".main-nav")).to_be_visible()

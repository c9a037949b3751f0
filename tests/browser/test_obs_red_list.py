"""The economy chief marks and closes an OBS point on the red list, by keyboard alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from plans.models import ObsEvent, ObsPoint
from tests.browser.conftest import Site, assert_no_axe_violations

pytestmark = pytest.mark.browser

SLUG = "2025-2028"


def test_economy_chief_marks_and_closes_an_obs_point_by_keyboard(site: Site) -> None:
    site.login("oekonomichef")
    site.goto("plans:red_list", SLUG)
    page = site.page
    page.evaluate("window.__noReload = 'still here'")
    table = page.locator("table.review-table")
    row = table.locator("tbody tr.review-row-red").filter(has=page.locator("form.obs-form"))
    row = row.filter(has_not=page.locator(".obs-mark")).first
    expect(row).to_be_visible()
    panel = row.locator("[id^=obs-panel-]")
    panel_id = panel.get_attribute("id") or ""
    item_pk = int(re.search(r"(\d+)$", panel_id)[1])
    assert not ObsPoint.objects.filter(item_id=item_pk).open_at().exists()

    # Mark: into the text field, type, Tab to the button, Enter.
    row.locator("textarea[name=text]").focus()
    page.keyboard.type("Direktionen beslutter tiltag i januar.")
    page.keyboard.press("Tab")
    expect(row.get_by_role("button", name="Markér som OBS-punkt")).to_be_focused()
    page.keyboard.press("Enter")
    panel = page.locator(f"#{panel_id}")
    expect(panel.locator(".alert-success")).to_contain_text("er markeret som OBS-punkt")
    expect(panel.locator(".obs-mark")).to_be_visible()
    point = ObsPoint.objects.filter(item_id=item_pk).open_at().get()
    assert point.text == "Direktionen beslutter tiltag i januar."
    assert point.opened_by.username == "oekonomichef"

    # Close: open the details by keyboard, Tab to the reason, type, Tab, Enter.
    summary = panel.locator("summary", has_text="Luk OBS-punktet")
    summary.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(panel.locator("textarea[id^=obs-close-]")).to_be_focused()
    page.keyboard.type("Finansieringen er på plads.")
    page.keyboard.press("Tab")
    expect(panel.get_by_role("button", name="Luk OBS-punktet")).to_be_focused()
    page.keyboard.press("Enter")
    expect(panel.locator(".alert-success")).to_contain_text("er lukket")
    expect(panel.locator(".obs-mark")).to_have_count(0)
    closing = ObsEvent.objects.get(point=point)
    assert (closing.kind, closing.text) == ("closed", "Finansieringen er på plads.")
    # All of it in place, without a page load.
    assert page.evaluate("window.__noReload") == "still here"
    assert_no_axe_violations(page)

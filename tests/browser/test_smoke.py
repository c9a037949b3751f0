"""The live server serves the app with its CSS and scripts, and the browser sees no errors."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Site, assert_no_axe_violations

pytestmark = pytest.mark.browser


def test_home_loads_css_and_htmx_without_errors(site: Site) -> None:
    site.login("direktoer")
    page = site.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Udmøntningsplaner")
    # app.css applied: the main navigation has the primary background.
    background = page.locator(".main-nav").evaluate("el => getComputedStyle(el).backgroundColor")
    assert background != "rgba(0, 0, 0, 0)"
    assert page.evaluate("typeof window.htmx") == "object"
    assert_no_axe_violations(page)

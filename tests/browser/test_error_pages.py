"""The 403 and 404 pages in a real browser: the site's layout and stylesheet, a way
back, no console or CSP errors, and no WCAG 2.1 A/AA violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from plans.demo import DemoResult
from tests.browser.conftest import BrowserProblems, Site, assert_no_axe_violations

pytestmark = pytest.mark.browser


def check(site: Site, path: str, status: int, heading: str) -> None:
    page = site.page
    response = page.goto(site.base_url + path)
    assert response is not None and response.status == status
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert (
        page.locator("body")
        .evaluate("el => getComputedStyle(el).fontFamily")
        .startswith('"IBM Plex Sans"')
    )
    expect(page.get_by_role("link", name="Tilbage til forsiden")).to_be_visible()
    assert_no_axe_violations(page)


def test_404_and_403_pages(site: Site, demo: DemoResult, browser_problems: BrowserProblems) -> None:
    # The browser reports the two error statuses it is sent here on purpose.
    browser_problems.allowed += ["status of 404 (Not Found)", "status of 403 (Forbidden)"]
    site.login("direktoer")
    check(site, "/plans/findes-ikke/", 404, "Siden findes ikke")
    check(site, "/import/", 403, "Du har ikke adgang til siden")
    site.page.get_by_role("link", name="Tilbage til forsiden").click()
    expect(site.page.get_by_role("heading", level=1)).to_be_visible()
    assert site.page.url.rstrip("/") == site.base_url.rstrip("/")

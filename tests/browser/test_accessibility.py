"""axe-core on every main page, as the user who normally sees it: zero WCAG 2.1 A/AA violations.

Each page also has to load without console errors or CSP violations (the `page` fixture).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from committees.models import Committee, Meeting
from plans.demo import DemoResult
from plans.models import Item
from tests.browser.conftest import Site, assert_no_axe_violations

pytestmark = pytest.mark.browser

SLUG = "2025-2028"


def item_pk(demo: DemoResult) -> int:
    """An item with a history, a committee note and several committees: the busiest page."""
    return Item.objects.get(plan=demo.plan, number="R307", committee__code="AU").pk


def committee_pk(demo: DemoResult) -> int:
    return Committee.objects.get(code="AU").pk


def meeting_pk(demo: DemoResult) -> int:
    """AU's meeting: the demo secretary manages AU's meetings and no others."""
    return Meeting.objects.filter(plan=demo.plan, body__code="AU").order_by("date", "pk").first().pk


@dataclass(frozen=True)
class MainPage:
    id: str
    url_name: str
    username: str | None
    args: Callable[[DemoResult], tuple[Any, ...]] = lambda demo: (SLUG,)


MAIN_PAGES = [
    MainPage("login", "login", None, lambda demo: ()),
    MainPage("home", "plans:home", "direktoer", lambda demo: ()),
    MainPage("overview", "plans:plan_detail", "direktoer"),
    MainPage("item", "plans:item_detail", "direktoer", lambda demo: (SLUG, item_pk(demo))),
    MainPage("my-items", "plans:my_items", "direktoer"),
    MainPage("red-list", "plans:red_list", "oekonomichef"),
    MainPage("dashboard", "plans:dashboard", "oekonomichef"),
    MainPage("board-report", "plans:board_report", "oekonomichef"),
    MainPage("extract-list", "plans:extract_list", "sekretaer"),
    MainPage("extract-detail", "plans:extract_detail", "sekretaer", lambda d: (SLUG, "AU")),
    MainPage("import-upload", "plans:import_upload", "admin", lambda demo: ()),
    MainPage("strategy", "plans:strategy", "direktoer"),
    MainPage("annual-wheel", "committees:annual_wheel", "sekretaer"),
    MainPage("meeting", "committees:meeting_detail", "sekretaer", lambda d: (SLUG, meeting_pk(d))),
    MainPage(
        "meeting-edit", "committees:meeting_edit", "sekretaer", lambda d: (SLUG, meeting_pk(d))
    ),
    MainPage(
        "meeting-delete", "committees:meeting_delete", "sekretaer", lambda d: (SLUG, meeting_pk(d))
    ),
]


def resolve(page: MainPage, demo: DemoResult) -> str:
    try:
        return reverse(page.url_name, args=page.args(demo))
    except NoReverseMatch:
        pass
    # Some pages take an id instead of a code; try the committee's pk before giving up.
    try:
        return reverse(page.url_name, args=(SLUG, committee_pk(demo)))
    except NoReverseMatch:
        pytest.fail(f"{page.url_name} findes ikke eller har en ukendt URL-form.")


USERS = [None, "direktoer", "oekonomichef", "sekretaer", "admin"]


@pytest.mark.parametrize("username", USERS, ids=[u or "anonymous" for u in USERS])
def test_main_pages_have_no_wcag_violations(site: Site, demo: DemoResult, username: str) -> None:
    """One test per user (a fresh database per test is the slow part), every page checked
    even when an earlier one fails, so one report lists all of them."""
    if username:
        site.login(username)
    page = site.page
    failures = []
    for main_page in [p for p in MAIN_PAGES if p.username == username]:
        response = page.goto(site.base_url + resolve(main_page, demo))
        assert response is not None and response.ok, (main_page.id, response and response.status)
        # Every page names itself (the board report's preview adds the PDF's own h1).
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        # The stylesheet and htmx are served and applied.
        assert page.evaluate("typeof window.htmx") == "object", main_page.id
        assert (
            page.locator("body")
            .evaluate("el => getComputedStyle(el).fontFamily")
            .startswith('"IBM Plex Sans"')
        )
        # Colour is never the only signal: every status badge carries its word.
        wordless = page.locator(".badge").evaluate_all(
            "els => els.filter(el => !el.textContent.trim()).map(el => el.outerHTML)"
        )
        assert not wordless, (main_page.id, wordless[:3])
        # axe skips what a closed <details> hides (the import guide, the colour legend).
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        try:
            assert_no_axe_violations(page)
        except pytest.fail.Exception as failure:
            failures.append(f"{main_page.id}: {failure}")
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)

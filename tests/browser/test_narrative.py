"""The director edits an item's narrative in place on the item page (htmx)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from committees.models import MembershipRole
from plans.models import Item
from tests.browser.conftest import Site, assert_no_axe_violations

pytestmark = pytest.mark.browser

SLUG = "2025-2028"


def test_director_edits_the_narrative_in_place(site: Site) -> None:
    item = (
        Item.objects.filter(
            plan__slug=SLUG,
            committee__memberships__user__username="direktoer",
            committee__memberships__role=MembershipRole.DIRECTOR,
        )
        .order_by("pk")
        .first()
    )
    assert item is not None
    site.login("direktoer")
    site.goto("plans:item_detail", SLUG, item.pk)
    page = site.page
    page.evaluate("window.__noReload = 'still here'")
    page.get_by_role("link", name="Ret beskrivelser").click()
    form = page.locator("#item-narrative-form")
    expect(form).to_be_visible()
    form.get_by_label("Kursen").fill("Vi holder kursen i 2025.")
    form.get_by_label("Direktionens rolle").fill("Direktionen følger op hvert kvartal.")
    form.get_by_role("button", name="Gem beskrivelser").click()
    section = page.locator("#item-narrative")
    expect(section.locator(".alert-success")).to_be_visible()
    expect(section).to_contain_text("Vi holder kursen i 2025.")
    assert page.evaluate("window.__noReload") == "still here", "siden blev genindlæst"
    item.refresh_from_db()
    assert item.board_role == "Direktionen følger op hvert kvartal."
    assert_no_axe_violations(page)

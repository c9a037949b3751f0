"""The item page: all fields, amounts, the full status history, notes and the month strip."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.models import CommitteeNote
from plans.models import BudgetPlan, Colour, Item, Kind, PlanState, RedReason

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(make_item: Any, head: Any, director: Any, committees: Any) -> Item:
    item = make_item(
        "R307",
        committee="AU",
        kind=Kind.RAADERUM,
        title="Investering i fraværsindsatsen",
        description="Besparelser på forsørgelsesudgifter.",
        also=("BUU",),
        markers="(I)(B)",
        amounts={2025: 0, 2026: -1500, 2027: -3000.5, 2028: -3000},
        timing="Løbende",
        responsible=head,
        cross_cutting=True,
    )
    item.record_status(
        colour=Colour.GREEN, comment="God start", period=date(2025, 2, 1), author=head
    )
    item.record_status(
        colour=Colour.RED,
        comment="Sagen står stille",
        period=date(2025, 3, 1),
        red_reason=RedReason.STALLED,
        obs=True,
        obs_text="Direktionen skal tage stilling",
        author=director,
    )
    # A correction in the same month: a new record, shown as its own entry.
    correction = item.record_status(
        colour=Colour.YELLOW, comment="Rettet: delvist i gang", period=date(2025, 3, 1), author=head
    )
    assert correction.pk
    CommitteeNote.objects.create(
        item=item,
        committee=committees["AU"],
        date=date(2025, 1, 20),
        text="Ad. 307. Udvalget ønsker beregningen bag R307.",
    )
    return item


@pytest.fixture
def url(item: Item) -> str:
    return reverse("plans:item_detail", args=[item.plan.slug, item.pk])


def test_item_page_shows_all_fields_and_amounts(client, economy_chief, item, url):
    client.force_login(economy_chief)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "R307 Investering i fraværsindsatsen",
        "Råderumsforslag",
        "AU – Arbejdsmarkedsudvalget",
        "BUU – Børne- og Ungdomsudvalget",
        "(I)(B)",
        "Løbende",
        "Mette Holm Sørensen",
        "Besparelser på forsørgelsesudgifter.",
    ):
        assert text in html
    assert ">-1.500<" in html and ">-3.000,5<" in html and ">2026<" in html


def test_history_timeline_lists_every_report_with_colour_word_and_author(
    client, economy_chief, item, url
):
    client.force_login(economy_chief)
    html = client.get(url).content.decode()
    timeline = html.split('class="timeline status-timeline"')[1].split("</ol>")[0]
    assert timeline.count('class="timeline-entry') == 3
    # Newest first; the correction in March is its own entry and marked as one.
    assert timeline.index("Rettet: delvist i gang") < timeline.index("Sagen står stille")
    assert timeline.index("Sagen står stille") < timeline.index("God start")
    assert "Rettelse 1 i samme måned" in timeline
    assert "Marts 2025" in timeline and "Februar 2025" in timeline
    assert "</span>Rød</span>" in timeline and "</span>Gul</span>" in timeline
    assert "Der er behov for, at direktionen zoomer ind" in timeline
    assert "Årsag til rød:" in timeline and "Sagen er gået i stå" in timeline
    obs_section = html.split('id="item-obs-heading"')[1].split("</section>")[0]
    assert "Direktionen skal tage stilling" in obs_section and "OBS-historik" in obs_section
    assert "Kim Bruun Nielsen" in timeline and "Mette Holm Sørensen" in timeline


def test_committee_notes_are_shown(client, economy_chief, item, url):
    client.force_login(economy_chief)
    html = client.get(url).content.decode()
    assert "Ad. 307. Udvalget ønsker beregningen bag R307." in html
    assert "20-01-2025" in html


def test_month_strip_has_a_cell_with_text_per_plan_month(client, economy_chief, item, url):
    client.force_login(economy_chief)
    html = client.get(url).content.decode()
    strip = html.split('class="month-strip"')[1].split("</ol>")[0]
    assert strip.count('class="strip-cell') == 48
    # The last report of the month wins; the cell says it was corrected.
    assert '<span class="visually-hidden">marts 2025: Gul (rettet)</span>' in strip
    assert '<span class="visually-hidden">februar 2025: Grøn</span>' in strip
    assert '<span class="visually-hidden">januar 2025: Ingen status</span>' in strip
    assert 'title="februar 2025: Grøn"' in strip
    assert "strip-yellow" in strip and "strip-green" in strip and "strip-none" in strip


def test_item_page_includes_the_audit_log(client, economy_chief, item, url):
    client.force_login(economy_chief)
    assert "Ændringslog" in client.get(url).content.decode()


def test_secretary_only_gets_403(client, secretary, url):
    client.force_login(secretary)
    assert client.get(url).status_code == 403


def test_reader_may_see_the_item(client, reader, url):
    client.force_login(reader)
    assert client.get(url).status_code == 200


def test_item_page_refuses_post(client, economy_chief, url):
    client.force_login(economy_chief)
    assert client.post(url).status_code == 405


def test_item_page_requires_login(client, url):
    assert client.get(url).status_code == 302


def test_item_of_another_plan_slug_is_404(client, economy_chief, item):
    client.force_login(economy_chief)
    assert client.get(reverse("plans:item_detail", args=["2030-2033", item.pk])).status_code == 404


def test_htmx_request_gets_the_page_without_error(client, economy_chief, url):
    client.force_login(economy_chief)
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200


def test_back_link_keeps_the_overview_filter(client, economy_chief, item, url):
    client.force_login(economy_chief)
    html = client.get(url, {"back": "committee=AU&colour=red&sort=-status"}).content.decode()
    assert 'href="/plans/2025-2028/?committee=AU&amp;colour=red&amp;sort=-status"' in html


@pytest.mark.parametrize(
    "back",
    [
        "https://evil.example/",
        "//evil.example/x",
        "javascript:alert(1)",
        "next=/admin/&x=1",
        "\r\n",
    ],
)
def test_back_link_never_leaves_the_overview(client, economy_chief, item, url, back):
    client.force_login(economy_chief)
    html = client.get(url, {"back": back}).content.decode()
    assert "evil.example" not in html and "javascript:" not in html
    assert 'href="/plans/2025-2028/">← Tilbage til oversigten' in html


def test_roll_over_links_both_ways(client, economy_chief, item, committees):
    next_plan = BudgetPlan.objects.create(
        slug="2026-2029",
        title="Udmøntningsplan 2026-2029",
        first_year=2026,
        last_year=2029,
        state=PlanState.DRAFT,
    )
    successor = Item.objects.create(
        plan=next_plan,
        kind=Kind.RAADERUM,
        number="R307",
        title="Investering i fraværsindsatsen (videreført)",
        committee=committees["AU"],
        origin=item,
    )
    client.force_login(economy_chief)
    old_html = client.get(
        reverse("plans:item_detail", args=["2025-2028", item.pk])
    ).content.decode()
    new_html = client.get(
        reverse("plans:item_detail", args=["2026-2029", successor.pk])
    ).content.decode()
    assert "Videreført til" in old_html
    assert reverse("plans:item_detail", args=["2026-2029", successor.pk]) in old_html
    assert "Videreført fra" in new_html
    assert reverse("plans:item_detail", args=["2025-2028", item.pk]) in new_html


def test_item_without_reports_says_so(client, economy_chief, make_item):
    bare = make_item("D09")
    client.force_login(economy_chief)
    html = client.get(reverse("plans:item_detail", args=["2025-2028", bare.pk])).content.decode()
    assert "Ingen statusrapporter endnu." in html
    assert "Ingen bemærkninger fra udvalgene." in html


def test_user_text_is_escaped_on_the_item_page(client, economy_chief, make_item):
    hostile = make_item("D10", title="<script>alert(1)</script>")
    hostile.record_status(colour=Colour.RED, comment="<img src=x onerror=alert(1)>")
    client.force_login(economy_chief)
    html = client.get(reverse("plans:item_detail", args=["2025-2028", hostile.pk])).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_report_time_is_shown_in_danish_format(client, economy_chief, item, url):
    client.force_login(economy_chief)
    html = client.get(url).content.decode()
    today = timezone.localtime()
    assert (
        today.strftime("%d-%m-%Y") in html
        or (today - timedelta(days=1)).strftime("%d-%m-%Y") in html
    )

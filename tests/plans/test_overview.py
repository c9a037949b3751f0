"""The plan overview: filters, sorting, colour counters, "as of" a month, HTMX and bad input."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from plans.models import Colour, Item, Kind, PlanState, RedReason, RoundScope
from plans.months import current_month, month_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(plan: Any) -> str:
    return reverse("plans:plan_detail", args=[plan.slug])


@pytest.fixture
def items(make_item: Any, head: Any, director: Any) -> dict[str, Item]:
    made = {
        "d01": make_item(
            "D01",
            committee="ØK",
            kind=Kind.DRIFT,
            title="Skolebuskørsel omlægges",
            amounts={2025: -1000, 2026: 1234.5, 2027: 0, 2028: -6000},
            timing="1. kvartal 2025",
        ),
        "r307_au": make_item(
            "R307",
            committee="AU",
            kind=Kind.RAADERUM,
            title="Investering i fraværsindsatsen",
            markers="(B)",
            responsible=head,
            amounts={2026: -1500},
        ),
        "r307_buu": make_item(
            "R307", committee="BUU", kind=Kind.RAADERUM, title="Fravær i skolerne", also=("AU",)
        ),
        "r001": make_item(
            "R001",
            committee="MTU",
            kind=Kind.RAADERUM,
            title="Tværgående indkøb",
            cross_cutting=True,
            responsible_name="Ole Ekstern",
        ),
        "a10": make_item(
            "A10", committee="MTU", kind=Kind.ANLAEG, title="Ny bro ved havnen", completed=True
        ),
        "h1": make_item("H1", committee="ØK", heading="Klima", title="Grøn omstilling"),
        "h2": make_item(
            "H2", committee="BUU", heading="Partnerskaber", title="Partnerskab med foreninger"
        ),
    }
    made["d01"].record_status(
        colour=Colour.GREEN, comment="Kører efter planen", period=date(2025, 3, 1)
    )
    made["r307_au"].record_status(
        colour=Colour.RED,
        comment="Mangler beregningen bag R307, " + "meget lang tekst " * 10,
        period=date(2025, 3, 1),
        red_reason=RedReason.STALLED,
        obs=True,
        obs_text="Direktionen skal beslutte",
        author=director,
    )
    made["r307_buu"].record_status(
        colour=Colour.YELLOW, comment="Forsinket", period=date(2025, 2, 1)
    )
    made["r307_buu"].record_status(
        colour=Colour.GREEN, comment="Indhentet", period=date(2025, 4, 1)
    )
    made["r001"].record_status(
        colour=Colour.YELLOW, comment="Udbud i gang", period=date(2025, 3, 1)
    )
    return made


def numbers_in(content: bytes) -> list[str]:
    """The item numbers of the table rows, in page order."""
    html = content.decode()
    return re.findall(r"<tr(?: class=\"row-obs\")?>\s*<td>([^<]+)</td>", html)


def get(client: Any, url: str, **params: str) -> Any:
    return client.get(url, params)


# --- happy path, method, permission -------------------------------------------------


def test_overview_shows_sections_amounts_and_status(client, economy_chief, url, items):
    client.force_login(economy_chief)
    response = get(client, url, as_of="2025-03")
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("Driftsændringer", "Råderumsforslag", "Anlægsprojekter", "Hensigtserklæringer"):
        assert title in html
    # Headings of the declarations of intent are sub-groups.
    assert 'scope="rowgroup"' in html and ">Klima<" in html and ">Partnerskaber<" in html
    # Amounts formatted the Danish way, section total, years without thousands separator.
    assert ">-1.000<" in html and ">1.234,5<" in html and ">-6.000<" in html
    assert ">2025<" in html and "2.025" not in html
    assert "I alt, Råderumsforslag" in html and ">-1.500<" in html
    # Status always with its word; OBS marked; comment start truncated.
    assert "badge-red" in html
    assert "</span>Rød</span>" in html and "</span>Grøn</span>" in html
    assert "obs-mark" in html and "Direktionen skal beslutte" in html
    assert "Mangler beregningen bag R307" in html and "…" in html
    assert "marts 2025" in html
    # Completed X and the also-concerned committee.
    assert "<td>X</td>" in html
    assert "BUU <small>(AU)</small>" in html
    # The plan's order (the order field), not the alphabet.
    assert numbers_in(response.content) == ["D01", "R307", "R307", "R001", "A10", "H1", "H2"]


def test_overview_links_item_titles_with_the_filter_as_back(client, economy_chief, url, items):
    client.force_login(economy_chief)
    response = get(client, url, committee="AU")
    item_url = reverse("plans:item_detail", args=["2025-2028", items["r307_au"].pk])
    assert f'href="{item_url}?back=committee%3DAU"' in response.content.decode()


def test_overview_refuses_post(client, economy_chief, url):
    client.force_login(economy_chief)
    assert client.post(url).status_code == 405


def test_overview_requires_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_overview_refuses_a_user_without_role(client, make_user, url):
    client.force_login(make_user("nobody", None))
    assert client.get(url).status_code == 403


def test_secretary_only_sees_titles_without_links(client, secretary, url, items):
    client.force_login(secretary)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Investering i fraværsindsatsen" in html
    assert "/items/" not in html


def test_unknown_plan_is_404(client, economy_chief):
    client.force_login(economy_chief)
    assert client.get(reverse("plans:plan_detail", args=["1999-2002"])).status_code == 404


# --- each filter ---------------------------------------------------------------------


def test_committee_filter_follows_the_extract_rule(client, economy_chief, url, items):
    client.force_login(economy_chief)
    response = get(client, url, committee="AU")
    shown = set(numbers_in(response.content))
    # Own item, an item that also concerns AU, and every cross-cutting item.
    assert shown == {"R307", "R001"}
    assert numbers_in(response.content).count("R307") == 2
    expected = {item.pk for item in Item.objects.in_extract_for(items["r307_au"].committee)}
    assert expected == {items["r307_au"].pk, items["r307_buu"].pk, items["r001"].pk}
    assert "udsnit for AU" in response.content.decode()


def test_committee_filter_accepts_lower_case_code(client, economy_chief, url, items):
    client.force_login(economy_chief)
    response = get(client, url, committee="buu")
    assert set(numbers_in(response.content)) == {"R307", "R001", "H2"}


def test_kind_filter(client, economy_chief, url, items):
    client.force_login(economy_chief)
    response = get(client, url, kind="anlaeg")
    assert numbers_in(response.content) == ["A10"]
    assert "Driftsændringer" not in response.content.decode().split('id="overview-table"')[1]


@pytest.mark.parametrize(
    ("colour", "expected"),
    [
        ("red", ["R307"]),
        ("green", ["D01"]),
        ("yellow", ["R001"]),  # R307/BUU was yellow in February, still yellow as of March
        ("none", ["A10", "H1", "H2"]),
    ],
)
def test_colour_filter_as_of_march(client, economy_chief, url, items, colour, expected):
    client.force_login(economy_chief)
    response = get(client, url, colour=colour, as_of="2025-03")
    shown = numbers_in(response.content)
    if colour == "yellow":
        assert sorted(shown) == ["R001", "R307"]
    else:
        assert shown == expected


def test_colour_missing_means_not_reported_in_the_month(client, economy_chief, url, items, plan):
    plan.round_scope = RoundScope.ALL
    plan.save()
    client.force_login(economy_chief)
    response = get(client, url, colour="missing", as_of="2025-03")
    # R307/BUU last reported in February; the two open ones without any status count
    # too; the completed A10 is not in the round.
    assert sorted(numbers_in(response.content)) == ["H1", "H2", "R307"]


def test_colour_missing_counts_only_the_rounds_items(client, economy_chief, url, items, plan):
    client.force_login(economy_chief)
    # The default round is the cross-cutting items: R001 is reported in March.
    assert numbers_in(get(client, url, colour="missing", as_of="2025-03").content) == []
    assert numbers_in(get(client, url, colour="missing", as_of="2025-04").content) == ["R001"]
    plan.state = PlanState.DRAFT
    plan.save()
    assert numbers_in(get(client, url, colour="missing", as_of="2025-04").content) == []


def test_colour_counters_count_the_current_filter(client, economy_chief, url, items):
    client.force_login(economy_chief)
    response = get(client, url, committee="AU", as_of="2025-03", colour="red")
    html = response.content.decode()
    counts = dict(re.findall(r"</span>([^<]+)</span> (\d+)</a>", html))
    assert counts == {"Grøn": "0", "Gul": "2", "Rød": "1"}
    assert re.search(r"Ingen status</span> 0</a>", html)
    assert "Viser 1 af 3 punkter" in html


def test_cross_cutting_only(client, economy_chief, url, items):
    client.force_login(economy_chief)
    assert numbers_in(get(client, url, cross="1").content) == ["R001"]


def test_open_and_completed(client, economy_chief, url, items):
    client.force_login(economy_chief)
    assert numbers_in(get(client, url, state="completed").content) == ["A10"]
    assert "A10" not in numbers_in(get(client, url, state="open").content)
    assert len(numbers_in(get(client, url, state="open").content)) == 6


def test_responsible_by_user_id_and_by_name(client, economy_chief, url, items, head):
    client.force_login(economy_chief)
    assert numbers_in(get(client, url, responsible=str(head.pk)).content) == ["R307"]
    assert numbers_in(get(client, url, responsible="Mette Holm").content) == ["R307"]
    assert numbers_in(get(client, url, responsible="Ole Ekstern").content) == ["R001"]
    assert numbers_in(get(client, url, responsible="999999").content) == []


def test_responsible_choices_list_people_of_the_plan(client, economy_chief, url, items, head):
    client.force_login(economy_chief)
    html = client.get(url).content.decode()
    assert f'<option value="{head.pk}">Mette Holm Sørensen</option>' in html
    assert '<option value="Ole Ekstern">Ole Ekstern</option>' in html


@pytest.mark.parametrize(
    ("q", "expected"),
    [("R00", ["R001"]), ("bro ved", ["A10"]), ("beregningen bag", ["R307"]), ("INDHENTET", [])],
)
def test_free_text_over_number_title_and_latest_comment(
    client, economy_chief, url, items, q, expected
):
    client.force_login(economy_chief)
    # "Indhentet" is the April comment: as of March it is not the latest comment.
    assert numbers_in(get(client, url, q=q, as_of="2025-03").content) == expected


def test_free_text_finds_the_latest_comment_of_a_later_month(client, economy_chief, url, items):
    client.force_login(economy_chief)
    assert numbers_in(get(client, url, q="indhentet", as_of="2025-05").content) == ["R307"]


def test_combined_filters(client, economy_chief, url, items):
    client.force_login(economy_chief)
    response = get(client, url, committee="AU", colour="red", kind="raaderum", as_of="2025-03")
    assert numbers_in(response.content) == ["R307"]
    response = get(client, url, committee="AU", cross="1", state="open", q="indkøb")
    assert numbers_in(response.content) == ["R001"]
    response = get(client, url, committee="ØK", kind="anlaeg")
    assert numbers_in(response.content) == []
    assert "Ingen punkter passer til filtrene." in response.content.decode()


# --- as of ---------------------------------------------------------------------------


def test_as_of_shows_the_plan_as_it_stood(client, economy_chief, url, items):
    client.force_login(economy_chief)
    february = get(client, url, committee="BUU", kind="raaderum", as_of="2025-02").content.decode()
    april = get(client, url, committee="BUU", kind="raaderum", as_of="2025-04").content.decode()
    january = get(client, url, committee="BUU", kind="raaderum", as_of="2025-01").content.decode()
    assert "Forsinket" in february and "Indhentet" not in february
    assert "Indhentet" in april and "Forsinket" not in april
    assert "Forsinket" not in january and "Udbud i gang" not in january
    assert "status pr. april 2025" in april and "historisk visning" in april


def test_as_of_defaults_to_the_current_month(client, economy_chief, url, items):
    items["a10"].record_status(colour=Colour.RED, comment="Denne måned")
    client.force_login(economy_chief)
    html = client.get(url).content.decode()
    assert "Denne måned" in html
    assert "historisk visning" not in html
    assert 'name="as_of" value=""' in html
    future = get(client, url, as_of=month_key(date(current_month().year - 1, 1, 1))).content
    assert b"Denne m\xc3\xa5ned" not in future


# --- sorting -------------------------------------------------------------------------


def test_sort_by_number_descending_within_sections(client, economy_chief, url, items):
    client.force_login(economy_chief)
    response = get(client, url, sort="-number")
    assert numbers_in(response.content) == ["D01", "R307", "R307", "R001", "A10", "H1", "H2"]


def test_sort_by_status_puts_red_first_when_descending(client, economy_chief, url, items):
    client.force_login(economy_chief)
    response = get(client, url, sort="-status", kind="raaderum", as_of="2025-03")
    assert numbers_in(response.content)[0] == "R307"
    html = response.content.decode()
    assert 'aria-sort="descending"' in html
    # The next click on the same column sorts ascending again.
    assert "sort=status" in html


def test_sort_keeps_the_filter_in_the_header_links(client, economy_chief, url, items):
    client.force_login(economy_chief)
    html = get(client, url, committee="AU").content.decode()
    assert 'href="?committee=AU&amp;sort=title"' in html


# --- HTMX and no JavaScript -----------------------------------------------------------


def test_htmx_request_gets_only_the_table_fragment(client, economy_chief, url, items):
    client.force_login(economy_chief)
    response = client.get(
        url, {"committee": "AU", "sort": "-number"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "<form" not in html
    assert "Investering i fraværsindsatsen" in html
    assert "Tværgående indkøb" in html
    assert "Skolebuskørsel" not in html
    # The sort select outside the region follows along out of band.
    assert 'hx-swap-oob="innerHTML:#overview-sort-field"' in html
    assert '<option value="-number" selected>' in html
    assert "HX-Request" in response["Vary"]
    assert "overview-table" in [template.name for template in response.templates]


def test_full_page_has_a_plain_get_form_that_works_without_javascript(
    client, economy_chief, url, items
):
    client.force_login(economy_chief)
    response = client.get(url)
    html = response.content.decode()
    assert "<html" in html
    assert re.search(r'<form[^>]*method="get"[^>]*action="/plans/2025-2028/"', html)
    assert 'hx-get="/plans/2025-2028/"' in html and 'hx-push-url="true"' in html
    assert 'hx-target="#overview-table"' in html and 'id="overview-table"' in html
    assert '<button type="submit"' in html
    # No oob fragment in the full page, and no inline script or style.
    assert "hx-swap-oob" not in html
    assert "style=" not in html and "onclick" not in html


def test_filters_survive_in_the_form_for_bookmarks(client, economy_chief, url, items, head):
    client.force_login(economy_chief)
    html = get(
        client,
        url,
        committee="AU",
        kind="raaderum",
        colour="red",
        cross="1",
        state="open",
        responsible=str(head.pk),
        q="fravær",
        as_of="2025-03",
        sort="title",
    ).content.decode()
    assert '<option value="AU" selected>' in html
    assert '<option value="raaderum" selected>' in html
    assert '<option value="red" selected>' in html
    assert 'name="cross" value="1" checked' in html
    assert '<option value="open" selected>' in html
    assert f'<option value="{head.pk}" selected>' in html
    assert 'name="q" value="fravær"' in html
    assert 'name="as_of" value="2025-03"' in html
    assert '<option value="title" selected>' in html


# --- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"committee": "XYZ"}, "Udvalget «XYZ» findes ikke."),
        ({"as_of": "2025-13"}, "«2025-13» er ikke en gyldig måned."),
        ({"as_of": "marts"}, "«marts» er ikke en måned på formen ÅÅÅÅ-MM."),
        ({"kind": "1 OR 1=1"}, "«1 OR 1=1» er ikke en gyldig type."),
        ({"colour": "purple"}, "«purple» er ikke en gyldig farve."),
        ({"state": "99"}, "er ikke et gyldigt valg af åbne/afsluttede."),
        ({"sort": "id; DROP TABLE plans_item"}, "er ikke en gyldig sortering."),
        ({"responsible": "9" * 30}, "er ikke en gyldig ansvarlig."),
        ({"q": "x" * 500}, "Søgeteksten er for lang (højst 200 tegn)."),
    ],
)
def test_invalid_filter_is_ignored_with_a_danish_message(
    client, economy_chief, url, items, params, message
):
    client.force_login(economy_chief)
    response = client.get(url, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Et eller flere filtre blev ignoreret" in html
    assert message.replace("«", "«") in html
    # The filter is ignored: every item is shown.
    assert len(numbers_in(response.content)) == 7


def test_invalid_filter_in_htmx_request_returns_the_fragment_with_the_message(
    client, economy_chief, url, items
):
    client.force_login(economy_chief)
    response = client.get(
        url, {"as_of": "2025-13", "committee": "AU"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "«2025-13» er ikke en gyldig måned." in html
    assert set(numbers_in(response.content)) == {"R307", "R001"}


def test_html_and_sql_in_search_are_escaped_and_harmless(client, economy_chief, url, items):
    client.force_login(economy_chief)
    response = get(client, url, q="<script>alert(1)</script>")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    response = get(client, url, q="' OR '1'='1' --")
    assert response.status_code == 200
    assert numbers_in(response.content) == []
    assert Item.objects.count() == 7


def test_user_text_in_items_is_escaped(client, economy_chief, url, make_item):
    make_item("Z1", title='<img src=x onerror="alert(1)">').record_status(
        colour=Colour.RED, comment="<b>fed</b>"
    )
    client.force_login(economy_chief)
    html = client.get(url).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert "<b>fed</b>" not in html and "&lt;b&gt;fed&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "query",
    [
        "committee=%00",
        "q=%00abc",
        "as_of=0000-00",
        "as_of=99999-01",
        "responsible=-1",
        "cross=maybe",
        "committee=AU&committee=BUU",
        "sort=",
        "%ZZ=1",
        "as_of=2025-1%0A",
    ],
)
def test_hostile_query_strings_never_fail(client, economy_chief, url, items, query):
    client.force_login(economy_chief)
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200


def test_excel_link_follows_the_filter_when_the_export_exists(client, economy_chief, url, items):
    from django.urls import NoReverseMatch

    client.force_login(economy_chief)
    html = get(client, url, committee="AU", colour="red").content.decode()
    try:
        xlsx_url = reverse("plans:export_xlsx", args=["2025-2028"])
    except NoReverseMatch:
        assert "Hent Excel" not in html
    else:
        assert f'href="{xlsx_url}?committee=AU&amp;colour=red"' in html


# --- the compiled query cache -----------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"committee": "AU"},
        {"committee": "BUU", "kind": "raaderum", "state": "open"},
        {"cross": "1", "state": "completed"},
        {"responsible": "Mette Holm", "q": "fravær"},
        {"q": "100%_\\"},
        {"q": "beregningen", "as_of": "2025-03"},
        {"committee": "AU", "q": "R3", "as_of": "2025-02", "kind": "raaderum"},
    ],
)
def test_compiled_rows_match_the_orm(plan, committees, items, head, params):
    from django.http import QueryDict

    from plans.overview import sql_cache
    from plans.overview.filters import parse_filters
    from plans.overview.query import RowQuery, orm_rows
    from plans.overview.sql_cache import fetch_rows

    if params.get("responsible") == "id":
        params["responsible"] = str(head.pk)
    filters, errors = parse_filters(QueryDict(mutable=True) | params, list(committees.values()))
    assert errors == []
    query = RowQuery.from_filters(plan, filters)
    expected = sorted(orm_rows(query), key=lambda row: row["pk"])
    for _ in range(2):  # the second run uses the cached SQL
        assert sorted(fetch_rows(query), key=lambda row: row["pk"]) == expected
    # Every query of the shape compiled: fetch_rows did not quietly fall back to the ORM.
    for name in ("rows", "also", "obs"):
        assert sql_cache.compiled_for(name, query) is not None, name


def test_the_item_query_never_joins_the_status_history(plan, committees):
    """A join on "id = (latest subquery)" makes PostgreSQL hash every plan's whole status
    history on each request; the latest reports are fetched by primary key instead."""
    from plans.overview.query import RowQuery, item_rows_queryset

    for query in (
        RowQuery(plan_id=plan.pk, as_of=date(2025, 3, 1)),
        RowQuery(plan_id=plan.pk, as_of=date(2025, 3, 1), committee_id=committees["AU"].pk, q="x"),
    ):
        assert 'JOIN "plans_statusreport"' not in str(item_rows_queryset(query).query)


def test_compiled_rows_fill_in_the_values_of_each_request(plan, committees, items, head):
    from plans.overview.query import RowQuery
    from plans.overview.sql_cache import fetch_rows

    au = RowQuery(plan_id=plan.pk, as_of=date(2025, 3, 1), committee_id=committees["AU"].pk)
    buu = RowQuery(plan_id=plan.pk, as_of=date(2025, 4, 1), committee_id=committees["BUU"].pk)
    assert {row["pk"] for row in fetch_rows(au)} == {
        items["r307_au"].pk,
        items["r307_buu"].pk,
        items["r001"].pk,
    }
    rows = {row["pk"]: row for row in fetch_rows(buu)}
    assert set(rows) == {items["r307_buu"].pk, items["r001"].pk, items["h2"].pk}
    assert rows[items["r307_buu"].pk]["latest__colour"] == "green"
    assert rows[items["r307_buu"].pk]["latest__period"] == date(2025, 4, 1)
    by_id = RowQuery(plan_id=plan.pk, as_of=date(2025, 3, 1), responsible_id=head.pk)
    assert [row["number"] for row in fetch_rows(by_id)] == ["R307"]


# --- pure helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (0, "0"), (-1234.5, "-1.234,5"), (1000000, "1.000.000"), (-0.01, "0")],
)
def test_amount_text_is_danish(value, text):
    from plans.overview.rows import amount_text

    assert amount_text(value) == text


def test_parse_amounts_gives_one_value_per_plan_year():
    from plans.overview.rows import parse_amounts

    assert parse_amounts("2026:-1500.0;2025:0", [2025, 2026, 2027]) == [0.0, -1500.0, None]
    assert parse_amounts(None, [2025]) == [None]


def test_amount_cells_are_memoized_per_amounts_and_years():
    """The process-wide memo is keyed by both: the same stored amounts in a plan with
    other years give other cells."""
    from plans.overview.rows import amount_cells

    pairs = "2025:-1234.5;2026:0"
    assert amount_cells(pairs, (2025, 2026)) == (
        (-1234.5, 0.0),
        '<td class="num">-1.234,5</td><td class="num">0</td>',
    )
    assert amount_cells(pairs, (2026, 2027)) == (
        (0.0, None),
        '<td class="num">0</td><td class="num"></td>',
    )
    assert amount_cells(pairs, (2025, 2026)) is amount_cells(pairs, (2025, 2026))


def test_back_querystring_keeps_only_overview_parameters():
    from plans.overview.filters import back_querystring

    assert back_querystring("committee=AU&next=//evil&q=a b") == "committee=AU&q=a+b"
    assert back_querystring("https://evil.example/") == ""


def test_the_obs_mark_follows_the_point_month_by_month(client, economy_chief, url, items):
    """The row's OBS mark is the item's open point in the month shown, whatever the
    latest report says: not before it was raised, and not after it was closed."""
    d01 = items["d01"]
    point = d01.open_obs(text="Tjek finansieringen", author=economy_chief, month=date(2025, 4, 1))
    point.close(reason="Løst", author=economy_chief, month=date(2025, 6, 1))
    client.force_login(economy_chief)

    def marked(as_of: str) -> bool:
        html = get(client, url, as_of=as_of).content.decode()
        row = re.search(r"<tr[^>]*>\s*<td>D01</td>.*?</tr>", html, re.S)
        assert row is not None
        return row.group(0).startswith('<tr class="row-obs">') and "Tjek finansieringen" in html

    assert [marked(month) for month in ("2025-03", "2025-04", "2025-05", "2025-06")] == [
        False,
        True,
        True,
        False,
    ]

"""The economy chief's red list: ages, changes since last month, filters, access."""

from datetime import date

import pytest
from django.urls import reverse

from plans.models import Colour, Kind, RedReason
from plans.review import (
    Change,
    History,
    ReportRow,
    build_histories,
    change_between,
    colour_as_of,
    streak,
)
from tests.markup import mentions

JAN, FEB, MAR, APR = (date(2025, month, 1) for month in (1, 2, 3, 4))


# --- pure computations ----------------------------------------------------------------


def history(*months_and_colours: tuple[date, str]) -> History:
    return build_histories(ReportRow(1, month, colour) for month, colour in months_and_colours)[1]


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        (None, None, None),
        (None, "green", Change.NEW),
        (None, "yellow", Change.NEW),
        (None, "red", Change.NEW_RED),
        ("green", "red", Change.NEW_RED),
        ("yellow", "red", Change.NEW_RED),
        ("red", "red", Change.UNCHANGED),
        ("green", "yellow", Change.WORSE),
        ("red", "yellow", Change.BETTER),
        ("yellow", "green", Change.BETTER),
        ("yellow", "yellow", Change.UNCHANGED),
    ],
)
def test_change_between(previous, current, expected):
    assert change_between(previous, current) == expected


def test_streak_counts_months_in_a_row_with_the_same_colour():
    item = history((JAN, "yellow"), (FEB, "red"), (MAR, "red"), (APR, "red"))
    assert streak(item, APR) == 3
    assert streak(item, FEB) == 1
    assert streak(item, JAN) == 1
    assert streak(None, APR) == 0
    assert streak(item, date(2024, 12, 1)) == 0


def test_a_month_without_a_report_keeps_the_previous_colour():
    item = history((JAN, "yellow"), (APR, "yellow"))
    assert streak(item, APR) == 4
    assert colour_as_of(item, MAR) == "yellow"
    assert change_between(colour_as_of(item, FEB), colour_as_of(item, MAR)) == Change.UNCHANGED


def test_last_report_of_a_month_wins():
    rows = [ReportRow(1, MAR, "green"), ReportRow(1, APR, "green"), ReportRow(1, APR, "red")]
    item = build_histories(rows)[1]
    assert item.as_of(APR).colour == "red"
    assert streak(item, APR) == 1
    assert change_between(colour_as_of(item, MAR), colour_as_of(item, APR)) == Change.NEW_RED


# --- the page -------------------------------------------------------------------------


@pytest.fixture
def history_items(make_item, director):
    """A made-up history from January to April 2025, one item per case."""

    def report(item, month, colour, **fields):
        if colour == Colour.RED:
            fields.setdefault("red_reason", RedReason.STALLED)
        item.record_status(colour=colour, period=month, author=director, **fields)

    items = {}
    items["long_red"] = make_item("R10", committee="ØK", cross_cutting=True, title="Lang rød")
    for month, colour in ((JAN, "yellow"), (FEB, "red"), (MAR, "red")):
        report(items["long_red"], month, colour)
    report(
        items["long_red"],
        APR,
        "red",
        comment="Mangler afklaring af finansiering",
        obs=True,
        obs_text="Direktionen skal beslutte finansiering",
    )
    items["new_red"] = make_item("R11", committee="BUU", kind=Kind.RAADERUM, title="Ny rød")
    report(items["new_red"], MAR, "yellow")
    report(items["new_red"], APR, "red", comment="Nu rød")
    items["long_yellow"] = make_item("Y10", committee="AU", cross_cutting=True, title="Lang gul")
    for month in (JAN, FEB, MAR, APR):
        report(items["long_yellow"], month, "yellow")
    items["better"] = make_item("Y11", committee="BUU", title="Bedre")
    report(items["better"], MAR, "red")
    report(items["better"], APR, "yellow")
    items["green_now"] = make_item("G10", committee="ØK", title="Grøn nu")
    report(items["green_now"], MAR, "yellow")
    report(items["green_now"], APR, "green")
    items["brand_new"] = make_item("Y12", committee="MTU", kind=Kind.ANLAEG, title="Helt ny")
    report(items["brand_new"], APR, "yellow")
    items["silent"] = make_item("Y13", committee="AU", cross_cutting=True, title="Tavs")
    report(items["silent"], FEB, "yellow")
    items["worse"] = make_item("Y14", committee="ØK", title="Værre")
    report(items["worse"], MAR, "green")
    report(items["worse"], APR, "yellow")
    items["never"] = make_item(
        "N10", committee="ØK", cross_cutting=True, title="Aldrig rapporteret"
    )
    items["done"] = make_item(
        "N11", committee="ØK", cross_cutting=True, completed=True, title="Færdig"
    )
    return items


def get_list(client, plan, **params):
    return client.get(reverse("plans:red_list", args=[plan.slug]), params)


def test_red_list_sorts_by_severity_then_age(client, plan, economy_chief, history_items):
    client.force_login(economy_chief)
    response = get_list(client, plan, month="2025-04")
    assert response.status_code == 200
    rows = response.context["rows"]
    summary = [(row.item.number, row.colour, row.months_in_a_row, row.change) for row in rows]
    assert summary == [
        ("R10", "red", 3, Change.UNCHANGED),
        ("R11", "red", 1, Change.NEW_RED),
        ("Y10", "yellow", 4, Change.UNCHANGED),
        ("Y13", "yellow", 3, Change.UNCHANGED),
        # Equal age: in plan order (operating changes before capital projects).
        ("Y11", "yellow", 1, Change.BETTER),
        ("Y14", "yellow", 1, Change.WORSE),
        ("Y12", "yellow", 1, Change.NEW),
    ]
    html = response.content.decode()
    for word in ("Ny rød", "Forbedret", "Forværret", "Uændret", "Ny", "Rød", "Gul"):
        assert word in html
    assert "Direktionen skal beslutte finansiering" in html
    assert "Mangler afklaring af finansiering" in html
    assert "Sagen er gået i stå" in html  # the reason for red, as its text
    assert reverse("plans:item_detail", args=[plan.slug, history_items["long_red"].pk]) in html
    assert "G10" not in [row.item.number for row in rows]


def test_red_list_earlier_month_gives_that_month_ages(client, plan, economy_chief, history_items):
    client.force_login(economy_chief)
    rows = get_list(client, plan, month="2025-03").context["rows"]
    summary = {row.item.number: (row.colour, row.months_in_a_row, row.change) for row in rows}
    assert summary["R10"] == ("red", 2, Change.UNCHANGED)
    assert summary["Y11"] == ("red", 1, Change.NEW_RED)
    assert summary["Y10"] == ("yellow", 3, Change.UNCHANGED)
    assert "Y12" not in summary  # first reported in April


def test_changes_since_last_report(client, plan, economy_chief, history_items):
    client.force_login(economy_chief)
    response = get_list(client, plan, month="2025-04")
    changes = {row.item.number: row.change for row in response.context["changes"]}
    assert changes == {
        "R11": Change.NEW_RED,
        "Y11": Change.BETTER,
        "G10": Change.BETTER,
        "Y14": Change.WORSE,
    }
    missing = [item.number for item in response.context["missing"]]
    # Cross-cutting items without an April report; the completed one is not asked for.
    assert missing == ["Y13", "N10"]
    assert "Ændringer siden sidste rapport" in response.content.decode()


def test_responsible_person_is_shown(client, plan, economy_chief, make_item, head, director):
    item = make_item("R20", committee="BUU", responsible=head)
    item.record_status(colour="red", period=APR, author=director, red_reason=RedReason.OBSTACLES)
    client.force_login(economy_chief)
    html = get_list(client, plan, month="2025-04").content.decode()
    assert "Mette Holm Sørensen" in html
    assert "Brug for støtte til at fjerne forhindringer" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"committee": "BUU"}, ["R11", "Y11"]),
        ({"colour": "red"}, ["R10", "R11"]),
        ({"colour": "yellow", "committee": "AU"}, ["Y10", "Y13"]),
        ({"kind": Kind.RAADERUM}, ["R11"]),
        ({"kind": Kind.ANLAEG, "colour": "yellow"}, ["Y12"]),
    ],
)
def test_filters(client, plan, economy_chief, history_items, params, expected):
    client.force_login(economy_chief)
    response = get_list(client, plan, month="2025-04", **params)
    assert [row.item.number for row in response.context["rows"]] == expected


def test_filters_also_narrow_the_changes(client, plan, economy_chief, history_items):
    client.force_login(economy_chief)
    response = get_list(client, plan, month="2025-04", committee="ØK")
    assert {row.item.number for row in response.context["changes"]} == {"G10", "Y14"}
    assert [item.number for item in response.context["missing"]] == ["N10"]


@pytest.mark.parametrize(
    "params",
    [
        {"colour": "purple"},
        {"committee": "XX"},
        {"kind": "other"},
        {"month": "2025-13"},
        {"month": "abc"},
    ],
)
def test_bad_filter_values_are_refused_without_error(
    client, plan, economy_chief, history_items, params
):
    client.force_login(economy_chief)
    response = get_list(client, plan, **{"month": "2025-04", **params})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'class="errorlist' in response.content.decode()


def test_htmx_gets_only_the_results(client, plan, economy_chief, history_items):
    client.force_login(economy_chief)
    response = client.get(
        reverse("plans:red_list", args=[plan.slug]),
        {"month": "2025-04", "colour": "red"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="review-results"' in html
    assert mentions(html, "R10") and not mentions(html, "Y10")


def test_page_has_filter_form_that_works_without_javascript(client, plan, economy_chief):
    client.force_login(economy_chief)
    html = get_list(client, plan).content.decode()
    url = reverse("plans:red_list", args=[plan.slug])
    assert f'method="get" action="{url}"' in html
    assert f'hx-get="{url}"' in html and 'hx-push-url="true"' in html
    assert "style=" not in html


@pytest.mark.parametrize("persona", ["director", "economy_chief", "admin_user"])
def test_reviewers_may_see_it(client, plan, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert get_list(client, plan).status_code == 200


@pytest.mark.parametrize("persona", ["secretary", "reader", "head"])
def test_others_may_not(client, plan, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert get_list(client, plan).status_code == 403


def test_anonymous_is_sent_to_login(client, plan):
    response = get_list(client, plan)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_post_is_not_allowed(client, plan, economy_chief):
    client.force_login(economy_chief)
    assert client.post(reverse("plans:red_list", args=[plan.slug])).status_code == 405


def test_unknown_plan_is_404(client, economy_chief):
    client.force_login(economy_chief)
    assert client.get(reverse("plans:red_list", args=["1999-2000"])).status_code == 404


def test_query_count_does_not_grow_with_items(
    client, plan, economy_chief, make_item, director, django_assert_max_num_queries
):
    for number in range(40):
        item = make_item(f"Q{number:02d}", cross_cutting=number % 2 == 0, responsible=director)
        for month in (JAN, FEB, MAR):
            item.record_status(
                colour="red" if number % 3 else "yellow", period=month, author=director
            )
    client.force_login(economy_chief)
    with django_assert_max_num_queries(12):
        response = get_list(client, plan, month="2025-03")
    assert len(response.context["rows"]) == 40

"""The dashboard: counts per colour per committee and the trend, as SVG and as tables."""

import re
from datetime import date

import pytest
from django.urls import reverse

from plans.charts import Category, Series, nice_ceiling, stacked_bars

JAN, FEB, MAR = (date(2025, month, 1) for month in (1, 2, 3))


@pytest.fixture
def history(make_item, director):
    def report(item, month, colour):
        item.record_status(colour=colour, period=month, author=director)

    a = make_item("A1", committee="ØK")
    report(a, JAN, "green")
    report(a, FEB, "yellow")
    report(a, MAR, "red")
    b = make_item("B1", committee="ØK")
    report(b, FEB, "green")
    make_item("C1", committee="ØK")  # never reported
    d = make_item("D1", committee="BUU")
    report(d, JAN, "red")
    report(d, MAR, "green")
    e = make_item("E1", committee="AU")
    report(e, MAR, "yellow")


def get_dashboard(client, plan, **params):
    return client.get(reverse("plans:dashboard", args=[plan.slug]), params)


def table_rows(html, table_id):
    """The rows of one table as lists of cell texts, from the HTML."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", cell).strip() for cell in cells])
    return rows


def test_counts_per_colour_per_committee(client, plan, economy_chief, history):
    client.force_login(economy_chief)
    html = get_dashboard(client, plan, month="2025-03").content.decode()
    assert table_rows(html, "table-committees") == [
        ["Udvalg", "Rød", "Gul", "Grøn", "Ingen status", "I alt"],
        ["ØK – Økonomiudvalget", "1", "0", "1", "1", "3"],
        ["AU – Arbejdsmarkedsudvalget", "0", "1", "0", "0", "1"],
        ["BUU – Børne- og Ungdomsudvalget", "0", "0", "1", "0", "1"],
        ["I alt", "1", "1", "2", "1", "5"],
    ]


def test_trend_per_month_up_to_the_chosen_month(client, plan, economy_chief, history):
    client.force_login(economy_chief)
    html = get_dashboard(client, plan, month="2025-03").content.decode()
    assert table_rows(html, "table-trend") == [
        ["Måned", "Rød", "Gul", "Grøn", "Ingen status", "I alt"],
        ["januar 2025", "1", "0", "1", "3", "5"],
        ["februar 2025", "1", "1", "1", "2", "5"],
        ["marts 2025", "1", "1", "2", "1", "5"],
    ]
    earlier = get_dashboard(client, plan, month="2025-02").content.decode()
    assert [row[0] for row in table_rows(earlier, "table-trend")[1:]] == [
        "januar 2025",
        "februar 2025",
    ]


def test_charts_are_accessible_inline_svg_without_style_attributes(
    client, plan, economy_chief, history
):
    client.force_login(economy_chief)
    html = get_dashboard(client, plan, month="2025-03").content.decode()
    for chart_id in ("chart-committees", "chart-trend"):
        svg = re.search(rf'<svg[^>]*id="{chart_id}".*?</svg>', html, re.S).group(0)
        assert 'role="img"' in svg
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in svg
        assert f'<title id="{chart_id}-title">' in svg
        assert f'<desc id="{chart_id}-desc">' in svg
        for word in ("Rød", "Gul", "Grøn", "Ingen status"):
            assert f">{word}</text>" in svg  # the legend says the word, not just the colour
    assert "<title>marts 2025: Rød 1</title>" in html
    assert "style=" not in html
    assert "<script" not in html.split("</head>", 1)[1]


def test_stacked_bars_heights_follow_the_numbers():
    chart = stacked_bars(
        chart_id="c",
        title="T <b>",
        description="D",
        categories=[Category("a"), Category("b")],
        series=[Series("x", "X", "#000000"), Series("y", "Y & Z", "#ffffff")],
        values=[[3, 1], [0, 4]],
    )
    heights = [
        float(h)
        for h in re.findall(r'<rect x="[^"]+" y="[^"]+" width="30" height="([^"]+)"', chart.svg)
    ]
    assert heights == [150.0, 50.0, 200.0]  # axis max 4 -> 200 units
    assert "T &lt;b&gt;" in chart.svg and "Y &amp; Z" in chart.svg
    assert [(row.label, row.values, row.total) for row in chart.rows] == [
        ("a", ["3", "1"], "4"),
        ("b", ["0", "4"], "4"),
    ]


@pytest.mark.parametrize(
    ("largest", "expected"),
    [(0, (1, 1)), (3, (3, 1)), (5, (6, 2)), (23, (30, 10)), (380, (400, 100))],
)
def test_nice_axis(largest, expected):
    assert nice_ceiling(largest) == expected


def test_bad_month_is_refused_without_error(client, plan, economy_chief, history):
    client.force_login(economy_chief)
    response = get_dashboard(client, plan, month="2031-01")
    assert response.status_code == 200
    assert response.context["form"].errors


def test_htmx_gets_only_the_charts(client, plan, economy_chief, history):
    client.force_login(economy_chief)
    response = client.get(
        reverse("plans:dashboard", args=[plan.slug]),
        {"month": "2025-03"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="dashboard-charts"' in html and "<svg" in html


@pytest.mark.parametrize("persona", ["director", "economy_chief", "admin_user"])
def test_reviewers_may_see_it(client, plan, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert get_dashboard(client, plan).status_code == 200


@pytest.mark.parametrize("persona", ["secretary", "reader", "head"])
def test_others_may_not(client, plan, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert get_dashboard(client, plan).status_code == 403


def test_post_is_not_allowed(client, plan, economy_chief):
    client.force_login(economy_chief)
    assert client.post(reverse("plans:dashboard", args=[plan.slug])).status_code == 405


def test_query_count_does_not_grow_with_items(
    client, plan, economy_chief, make_item, director, django_assert_max_num_queries
):
    for number in range(30):
        item = make_item(f"Q{number:02d}", committee=("ØK", "AU", "BUU")[number % 3])
        for month in (JAN, FEB, MAR):
            item.record_status(colour="red", period=month, author=director)
    client.force_login(economy_chief)
    with django_assert_max_num_queries(10):
        response = get_dashboard(client, plan, month="2025-03")
    assert table_rows(response.content.decode(), "table-trend")[-1] == [
        "marts 2025",
        "30",
        "0",
        "0",
        "0",
        "30",
    ]


@pytest.mark.parametrize("name", ["plans:dashboard", "plans:red_list", "plans:board_report"])
def test_a_plan_without_items_or_reports_still_answers(client, plan, economy_chief, name):
    client.force_login(economy_chief)
    response = client.get(reverse(name, args=[plan.slug]))
    assert response.status_code == 200

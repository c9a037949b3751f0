"""The strategic plan: themes, items linked to them, the view with colours and counts, its PDF."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from django.urls import reverse

from plans.models import Colour, Theme
from plans.strategy import build_strategy

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def themed(plan, make_item):
    economy = Theme.objects.create(
        plan=plan, name="Økonomi", description="Budget i balance", order=0
    )
    climate = Theme.objects.create(plan=plan, name="Klima", description="DK2020", order=1)
    Theme.objects.create(plan=plan, name="Samskabelse", order=2)
    d01 = make_item("D01", title="Effektiviseringsbidrag")
    h01 = make_item("H01", heading="Økonomisk Politik", title="Budgetoverholdelse")
    h11 = make_item("H11", committee="MTU", heading="Klima", title="DK2020 klimahandlingsplan")
    a04 = make_item("A04", committee="MTU", title="Klimatilpasning ved Grenaa Havn", completed=True)
    make_item("D13", committee="MTU", title="Vedligehold af grusveje")  # no theme
    economy.items.set([d01, h01])
    climate.items.set([h11, a04, d01])
    d01.record_status(colour=Colour.GREEN, comment="Følger planen", period=date(2025, 2, 1))
    d01.record_status(colour=Colour.RED, comment="Sagen er gået i stå", period=date(2025, 3, 1))
    h01.record_status(colour=Colour.YELLOW, comment="Udfordringer", period=date(2025, 3, 1))
    h11.record_status(
        colour=Colour.RED, comment="Behov for koordination", period=date(2025, 3, 1), obs=True
    )
    return {"economy": economy, "climate": climate, "d01": d01, "h01": h01, "h11": h11, "a04": a04}


def counts(section):
    return {count.colour: count.count for count in section.counts}


def test_each_theme_lists_its_items_with_the_colour_as_of_the_month(plan, themed):
    view = build_strategy(plan, date(2025, 3, 1))
    names = [section.theme.name for section in view.sections]
    assert names == ["Økonomi", "Klima", "Samskabelse"]
    economy, climate, co_creation = view.sections
    assert [item.number for item in economy.items] == ["D01", "H01"]
    assert {item.number: item.status_colour for item in economy.items} == {
        "D01": "red",
        "H01": "yellow",
    }
    assert counts(economy) == {"red": 1, "yellow": 1, "green": 0, "none": 0}
    assert counts(climate) == {"red": 2, "yellow": 0, "green": 0, "none": 1}
    assert climate.completed_count == 1
    assert co_creation.items == []
    assert counts(co_creation) == {"red": 0, "yellow": 0, "green": 0, "none": 0}


def test_an_earlier_month_shows_the_colours_of_then(plan, themed):
    view = build_strategy(plan, date(2025, 2, 1))
    economy = view.sections[0]
    assert {item.number: item.status_colour for item in economy.items} == {
        "D01": "green",
        "H01": None,
    }


def test_totals_count_an_item_in_two_themes_once(plan, themed):
    view = build_strategy(plan, date(2025, 3, 1))
    assert view.themed_count == 4
    assert view.unthemed_count == 1
    totals = {count.colour: count.count for count in view.counts}
    assert totals == {"red": 2, "yellow": 1, "green": 0, "none": 1}


def test_themes_of_another_plan_are_not_shown(plan, themed, make_item):
    from plans.models import BudgetPlan

    other = BudgetPlan.objects.create(slug="2026-2029", title="Ny", first_year=2026, last_year=2029)
    Theme.objects.create(plan=other, name="Andet tema")
    assert "Andet tema" not in [
        s.theme.name for s in build_strategy(plan, date(2025, 3, 1)).sections
    ]


def test_strategy_page_shows_themes_colour_words_and_counts(client, director, plan, themed):
    client.force_login(director)
    response = client.get(reverse("plans:strategy", args=[plan.slug]), {"as_of": "2025-03"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Økonomi" in html and "Budget i balance" in html
    assert "DK2020 klimahandlingsplan" in html
    # Colour never alone: the word is there with the badge.
    assert "badge-red" in html and "Rød" in html and "Gul" in html
    assert "Planen har endnu ingen strategiske temaer" not in html
    assert "1 punkt har intet tema" in html


def test_strategy_page_query_count_does_not_grow_with_items(
    client, director, plan, themed, make_item, django_assert_max_num_queries
):
    for number in range(30):
        item = make_item(f"Z{number:02d}")
        item.themes.add(themed["economy"])
        item.record_status(colour=Colour.GREEN, period=date(2025, 3, 1))
    client.force_login(director)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("plans:strategy", args=[plan.slug]), {"as_of": "2025-03"})
    assert response.status_code == 200


def test_strategy_page_bad_month_is_a_message_not_an_error(client, director, plan, themed):
    client.force_login(director)
    response = client.get(reverse("plans:strategy", args=[plan.slug]), {"as_of": "2025-13"})
    assert response.status_code == 200
    assert "ikke en gyldig måned" in response.content.decode()


def test_strategy_page_htmx_returns_the_fragment(client, director, plan, themed):
    client.force_login(director)
    response = client.get(reverse("plans:strategy", args=[plan.slug]), {"as_of": "2025-03"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="strategy-themes"' in html and "Økonomi" in html


def test_strategy_page_refuses_post(client, director, plan):
    client.force_login(director)
    assert client.post(reverse("plans:strategy", args=[plan.slug])).status_code == 405


def test_strategy_page_needs_a_role(client, make_user, plan):
    client.force_login(make_user("nobody", None))
    assert client.get(reverse("plans:strategy", args=[plan.slug])).status_code == 403


def test_strategy_page_needs_sign_in(client, plan):
    response = client.get(reverse("plans:strategy", args=[plan.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_strategy_pdf_has_themes_items_and_colour_words(client, director, plan, themed, tmp_path):
    client.force_login(director)
    response = client.get(reverse("plans:strategy_pdf", args=[plan.slug]), {"as_of": "2025-03"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "strategy.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Strategisk udmøntningsplan" in text
    assert "Økonomi" in text and "Klima" in text
    assert "H11" in text and "Rød" in text and "OBS" in text
    assert "marts 2025" in text


def test_strategy_pdf_needs_a_role(client, make_user, plan):
    client.force_login(make_user("nobody", None))
    assert client.get(reverse("plans:strategy_pdf", args=[plan.slug])).status_code == 403


def test_economy_chief_creates_a_theme_with_items(client, economy_chief, plan, make_item):
    d01 = make_item("D01")
    d02 = make_item("D02")
    client.force_login(economy_chief)
    response = client.post(
        reverse("plans:theme_create", args=[plan.slug]),
        {
            "name": " Rekruttering  og fastholdelse ",
            "description": "HR",
            "order": 1,
            "items": [d01.pk, d02.pk],
        },
    )
    assert response.status_code == 302
    theme = Theme.objects.get(plan=plan)
    assert theme.name == "Rekruttering og fastholdelse"
    assert set(theme.items.all()) == {d01, d02}


def test_theme_edit_changes_the_linked_items(client, economy_chief, plan, themed):
    client.force_login(economy_chief)
    economy = themed["economy"]
    response = client.post(
        reverse("plans:theme_edit", args=[plan.slug, economy.pk]),
        {"name": "Økonomi", "description": "Ny", "order": 0, "items": [themed["h11"].pk]},
    )
    assert response.status_code == 302
    economy.refresh_from_db()
    assert economy.description == "Ny"
    assert list(economy.items.all()) == [themed["h11"]]


def test_duplicate_theme_name_is_refused_with_a_message(client, economy_chief, plan, themed):
    client.force_login(economy_chief)
    response = client.post(
        reverse("plans:theme_create", args=[plan.slug]), {"name": "klima", "order": 0}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "allerede et tema med det navn" in html
    assert Theme.objects.filter(plan=plan).count() == 3


def test_theme_form_needs_permission(client, director, plan):
    client.force_login(director)
    url = reverse("plans:theme_create", args=[plan.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "X", "order": 0}).status_code == 403
    assert not Theme.objects.exists()


def test_theme_form_refuses_put(client, economy_chief, plan):
    client.force_login(economy_chief)
    assert client.put(reverse("plans:theme_create", args=[plan.slug])).status_code == 405


def test_demo_has_themes_linked_to_items_and_meetings_and_is_idempotent(db):
    from committees.models import CommitteeNote, Meeting
    from plans.demo import load_demo

    plan = load_demo().plan
    load_demo()
    themes = {theme.name: theme for theme in Theme.objects.filter(plan=plan)}
    assert list(themes) == [
        "Økonomi",
        "Rekruttering og fastholdelse",
        "Klima",
        "Samarbejder",
        "Samskabelse",
    ]
    assert all(theme.description for theme in themes.values())
    assert {"D01", "R001", "R004", "H01"} <= set(
        themes["Økonomi"].items.values_list("number", flat=True)
    )
    assert {"H07", "H08"} <= set(themes["Samarbejder"].items.values_list("number", flat=True))
    au = Meeting.objects.get(plan=plan, body__code="AU")
    assert (au.date, au.title, au.case_number) == (
        date(2025, 1, 23),
        "Udmøntningsplan 2025-2028",
        "24/7615",
    )
    assert Meeting.objects.filter(
        plan=plan,
        body__code="DIR",
        date=date(2025, 3, 26),
        title="Udmøntningsplan 2025-2028 - Strategiske og tværgående indsatser",
    ).exists()
    assert Meeting.objects.filter(plan=plan, body__code="DIR").count() >= 4
    assert Meeting.objects.filter(plan=plan).count() == 7
    # The monthly board meetings fall in months with demo statuses.
    from plans.months import add_months, current_month

    last_board = Meeting.objects.filter(plan=plan, body__code="DIR").order_by("-date").first()
    assert last_board.date.replace(day=1) == add_months(current_month(), -1)
    assert CommitteeNote.objects.filter(meeting=au).count() == 2


def test_economy_chief_publishes_the_strategic_view_for_a_board_meeting(
    client, economy_chief, director, plan, themed, tmp_path
):
    from plans.models import PublishedReport, PublishedReportKind

    client.force_login(economy_chief)
    response = client.post(
        reverse("plans:strategy_publish", args=[plan.slug]),
        {"as_of": "2025-03", "meeting_date": "2025-03-26", "case_number": "25/1234"},
    )
    assert response.status_code == 303
    published = PublishedReport.objects.get()
    assert published.kind == PublishedReportKind.STRATEGIC
    assert (published.period, published.meeting_date) == (date(2025, 3, 1), date(2025, 3, 26))
    pdf = tmp_path / "published.pdf"
    pdf.write_bytes(bytes(published.pdf))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "26. marts 2025" in text and "25/1234" in text and "Økonomi" in text

    # Anyone who may see the plan gets the kept bytes back, and the page lists it.
    client.force_login(director)
    page = client.get(reverse("plans:strategy", args=[plan.slug])).content.decode()
    url = reverse("plans:strategy_published_pdf", args=[plan.slug, published.pk])
    assert url in page and "Møde 26. marts 2025" in page
    download = client.get(url)
    assert download.status_code == 200 and download.content == bytes(published.pdf)


def test_publish_needs_a_meeting_date_and_saves_nothing_without(
    client, economy_chief, plan, themed
):
    from plans.models import PublishedReport

    client.force_login(economy_chief)
    response = client.post(
        reverse("plans:strategy_publish", args=[plan.slug]), {"as_of": "2025-13"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="strategy-publish-form"' in html
    assert "ikke en gyldig måned" in html and "påkrævet" in html
    assert not PublishedReport.objects.exists()


def test_publish_needs_permission_and_post(client, director, economy_chief, plan):
    url = reverse("plans:strategy_publish", args=[plan.slug])
    client.force_login(director)
    assert client.post(url, {"as_of": "2025-03", "meeting_date": "2025-03-26"}).status_code == 403
    client.force_login(economy_chief)
    assert client.get(url).status_code == 405


def test_published_board_report_is_not_served_as_a_strategic_one(client, economy_chief, plan):
    from plans.models import PublishedReport, PublishedReportKind

    board = PublishedReport.objects.create(
        plan=plan,
        kind=PublishedReportKind.BOARD,
        period=date(2025, 3, 1),
        meeting_date=date(2025, 3, 26),
        pdf=b"%PDF-1.7 board",
        published_by=economy_chief,
    )
    client.force_login(economy_chief)
    url = reverse("plans:strategy_published_pdf", args=[plan.slug, board.pk])
    assert client.get(url).status_code == 404


def test_strategic_report_publishes_once_and_asks_before_replacing(
    client, economy_chief, plan, themed, tmp_path
):
    import subprocess

    from plans.models import PublishedReport

    client.force_login(economy_chief)
    url = reverse("plans:strategy_publish", args=[plan.slug])
    data = {"as_of": "2025-03", "meeting_date": "2025-03-26", "token": "s" * 32}
    assert client.post(url, data).status_code == 303
    assert client.post(url, data).status_code == 303  # the double click
    first = PublishedReport.objects.get()
    response = client.post(url, {**data, "token": "t" * 32}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Der er allerede udgivet en strategisk udmøntningsplan til mødet 26. marts 2025" in html
    assert PublishedReport.objects.count() == 1
    response = client.post(url, {**data, "token": "t" * 32, "replaces": first.pk})
    assert response.status_code == 303
    second = PublishedReport.objects.exclude(pk=first.pk).get()
    assert second.replaces == first
    path = tmp_path / "second.pdf"
    path.write_bytes(bytes(second.pdf))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert f"Erstatter udgaven af {first.edition_label}." in " ".join(text.split())

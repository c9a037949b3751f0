"""Saving this month's status: htmx and no-JS, validation, history, conflicts."""

import pytest
from django.urls import reverse

from plans.models import Colour, RedReason, StatusReport
from plans.months import add_months, current_month

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def item(make_item, head):
    return make_item(
        "R307", committee="BUU", responsible=head, title="Fraværsindsatsen", cross_cutting=True
    )


def post_url(item):
    return reverse("plans:report_status", args=[item.plan.slug, item.pk])


def my_items_url(item):
    return reverse("plans:my_items", args=[item.plan.slug])


def test_htmx_save_returns_the_row_and_announces_the_change(client, head, item):
    client.force_login(head)
    response = client.post(
        post_url(item), {"colour": "yellow", "comment": "Leverandøren er forsinket"}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "statusChanged"
    body = response.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith(f'<article class="status-row" id="status-row-{item.pk}"')
    assert "Status for R307 er gemt: Gul." in body
    assert "Leverandøren er forsinket" in body
    report = StatusReport.objects.get(item=item)
    assert (report.colour, report.comment, report.period) == (
        Colour.YELLOW,
        "Leverandøren er forsinket",
        current_month(),
    )
    assert report.author == head
    assert report.author_name == "Mette Holm Sørensen"
    assert not report.carried_forward
    # The form now carries the new report's id, so a second save from it is no conflict.
    assert f'name="seen_report" value="{report.pk}"' in body


def test_no_js_save_redirects_back_with_a_message(client, head, item):
    client.force_login(head)
    response = client.post(post_url(item), {"colour": "green", "comment": ""})
    assert response.status_code == 302
    assert response["Location"] == f"{my_items_url(item)}#status-row-{item.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Status for R307 er gemt: Grøn." in page
    assert "1 af 1 afrapporteret" in page
    assert StatusReport.objects.get(item=item).colour == Colour.GREEN


def test_a_correction_in_the_same_month_is_a_new_record(client, head, item):
    client.force_login(head)
    client.post(post_url(item), {"colour": "green"}, **HTMX)
    first = StatusReport.objects.get(item=item)
    response = client.post(
        post_url(item), {"colour": "yellow", "comment": "Rettet", "seen_report": first.pk}, **HTMX
    )
    assert response.status_code == 200
    reports = list(item.reports.order_by("id").values_list("colour", "comment"))
    assert reports == [("green", ""), ("yellow", "Rettet")]
    first.refresh_from_db()
    assert first.colour == Colour.GREEN  # untouched
    detail = client.get(reverse("plans:item_detail", args=[item.plan.slug, item.pk]))
    assert "Rettet" in detail.content.decode()


def test_red_without_reason_and_comment_is_refused_inline(client, head, item):
    client.force_login(head)
    response = client.post(post_url(item), {"colour": "red", "comment": "  "}, **HTMX)
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    body = response.content.decode()
    assert "<html" not in body
    assert "Vælg en årsag, når status er rød." in body
    assert "Skriv en kommentar, når status er rød." in body
    assert 'role="alert"' in body
    assert "Status for R307 blev ikke gemt. Ret fejlene nedenfor." in body
    assert f'aria-describedby="status-{item.pk}-comment_error"' in body
    assert f'id="status-{item.pk}-comment_error"' in body
    assert 'aria-invalid="true"' in body
    assert "checked" in body  # the choice is kept
    assert not StatusReport.objects.exists()


def test_red_with_reason_and_comment_is_saved(client, head, item):
    client.force_login(head)
    response = client.post(
        post_url(item),
        {"colour": "red", "red_reason": "stalled", "comment": "Sagen står stille"},
        **HTMX,
    )
    assert response.status_code == 200
    report = StatusReport.objects.get(item=item)
    assert (report.colour, report.red_reason) == (Colour.RED, RedReason.STALLED)


def test_reason_is_dropped_when_not_red(client, head, item):
    client.force_login(head)
    client.post(post_url(item), {"colour": "green", "red_reason": "stalled"}, **HTMX)
    assert StatusReport.objects.get(item=item).red_reason == ""


def test_no_js_invalid_shows_the_whole_page_with_errors(client, head, item):
    client.force_login(head)
    response = client.post(post_url(item), {"colour": "red"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body
    assert "Skriv en kommentar, når status er rød." in body
    assert not StatusReport.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Vælg en farve: grøn, gul eller rød."),
        ({"colour": "purple"}, "Vælg en farve: grøn, gul eller rød."),
        ({"colour": "red", "red_reason": "boredom", "comment": "x"}, "Vælg en af årsagerne"),
        ({"colour": "green", "seen_report": "abc"}, "Genindlæs siden"),
        ({"colour": "green", "seen_report": "-1"}, "Genindlæs siden"),
        ({"colour": "green", "seen_report": "9" * 30}, "Genindlæs siden"),
        ({"colour": "green", "comment": "nul\x00tegn"}, "Null-tegn er ikke tilladt"),
        ({"colour": "green", "comment": "x" * 4001}, "højst være 4000 tegn"),
    ],
)
def test_bad_input_is_a_danish_message_not_an_error(client, head, item, data, message):
    client.force_login(head)
    response = client.post(post_url(item), data, **HTMX)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StatusReport.objects.exists()


def test_someone_elses_report_after_loading_is_not_overwritten(
    client, head, director, economy_chief, item
):
    last_month = add_months(current_month(), -1)
    seen = item.record_status(colour=Colour.GREEN, period=last_month, author=head)
    # Bettina reports after Mette opened the page.
    other = item.record_status(
        colour=Colour.RED,
        comment="Direktionen skal zoome ind",
        red_reason=RedReason.COORDINATION,
        author=economy_chief,
    )
    client.force_login(head)
    data = {"colour": "green", "comment": "Alt kører", "seen_report": seen.pk}
    response = client.post(post_url(item), data, **HTMX)
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    body = response.content.decode()
    assert "Status blev ikke gemt" in body
    assert "Bettina Andersen" in body
    assert "Direktionen skal zoome ind" in body
    assert "Der er behov for, at direktionen zoomer ind" in body
    assert 'role="alert"' in body
    assert list(item.reports.order_by("id")) == [seen, other]
    # The person's text is kept and the form now knows about the other report: saving
    # again is a deliberate choice and goes through.
    assert "Alt kører" in body
    assert f'name="seen_report" value="{other.pk}"' in body
    data["seen_report"] = other.pk
    response = client.post(post_url(item), data, **HTMX)
    assert response["HX-Trigger"] == "statusChanged"
    assert item.reports.count() == 3


def test_form_that_saw_no_report_conflicts_with_a_new_one(client, head, economy_chief, item):
    item.record_status(colour=Colour.YELLOW, author=economy_chief)
    client.force_login(head)
    response = client.post(post_url(item), {"colour": "green", "seen_report": ""}, **HTMX)
    assert "Status blev ikke gemt" in response.content.decode()
    assert item.reports.count() == 1


def test_no_js_conflict_shows_the_page_with_the_other_report(client, head, economy_chief, item):
    item.record_status(colour=Colour.YELLOW, comment="Nyere", author=economy_chief)
    client.force_login(head)
    response = client.post(post_url(item), {"colour": "green"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body and "Status blev ikke gemt" in body and "Nyere" in body
    assert item.reports.count() == 1


def test_new_status_keeps_the_open_obs_point(client, head, director, item):
    item.record_status(colour=Colour.RED, comment="x", red_reason="stalled", author=head)
    marked = item.record_status(
        colour=Colour.RED,
        comment="x",
        red_reason="stalled",
        author=director,
        obs=True,
        obs_text="Beslutning i direktionen",
    )
    client.force_login(head)
    client.post(
        post_url(item),
        {"colour": "yellow", "comment": "Bedre", "seen_report": marked.pk},
        **HTMX,
    )
    assert item.latest_report().colour == Colour.YELLOW
    assert item.open_obs_point().text == "Beslutning i direktionen"


def test_get_is_405(client, head, item):
    client.force_login(head)
    assert client.get(post_url(item)).status_code == 405


def test_requires_sign_in(client, item):
    response = client.post(post_url(item), {"colour": "green"})
    assert response.status_code == 302
    assert not StatusReport.objects.exists()


def test_item_of_another_plan_is_404(client, head, item, make_item):
    from plans.models import BudgetPlan

    other = BudgetPlan.objects.create(slug="2026-2029", title="Ny", first_year=2026, last_year=2029)
    url = reverse("plans:report_status", args=[other.slug, item.pk])
    client.force_login(head)
    assert client.post(url, {"colour": "green"}).status_code == 404

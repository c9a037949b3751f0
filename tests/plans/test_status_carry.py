"""'Uændret siden sidste måned': one click carries last month's status forward."""

import pytest
from django.urls import reverse

from plans.models import Colour, RedReason, StatusReport
from plans.months import add_months, current_month

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def item(make_item, head):
    return make_item("R307", committee="BUU", responsible=head)


@pytest.fixture
def last(item, director):
    return item.record_status(
        colour=Colour.RED,
        comment="Behov for koordination",
        red_reason=RedReason.COORDINATION,
        period=add_months(current_month(), -1),
        author=director,
    )


def url(item):
    return reverse("plans:carry_forward", args=[item.plan.slug, item.pk])


def test_htmx_carry_forward_records_a_new_report_for_this_month(client, head, item, last):
    client.force_login(head)
    response = client.post(url(item), {"seen_report": last.pk}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "statusChanged"
    body = response.content.decode()
    assert "<html" not in body
    assert "Status for R307 er gemt som uændret siden sidste måned: Rød." in body
    report = item.reports.order_by("-id").first()
    assert report.pk != last.pk
    assert (report.period, report.colour, report.comment, report.red_reason) == (
        current_month(),
        Colour.RED,
        "Behov for koordination",
        RedReason.COORDINATION,
    )
    assert report.carried_forward
    assert report.author == head
    assert "uændret siden sidste måned" in body
    # Reported now: the button is gone from the row.
    assert "Uændret siden sidste måned</button>" not in body


def test_no_js_carry_forward_redirects_with_a_message(client, head, item, last):
    client.force_login(head)
    response = client.post(url(item), {"seen_report": last.pk})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "er gemt som uændret siden sidste måned" in page
    assert item.reports.count() == 2


def test_carry_forward_without_earlier_report_says_so(client, head, item):
    client.force_login(head)
    response = client.post(url(item), {"seen_report": ""}, **HTMX)
    assert response.status_code == 200
    assert "Der er ingen tidligere status at videreføre." in response.content.decode()
    assert "HX-Trigger" not in response
    assert not StatusReport.objects.exists()


def test_carry_forward_after_someone_reported_is_refused(client, head, economy_chief, item, last):
    item.record_status(colour=Colour.GREEN, comment="Løst", author=economy_chief)
    client.force_login(head)
    response = client.post(url(item), {"seen_report": last.pk}, **HTMX)
    body = response.content.decode()
    assert "Status blev ikke gemt" in body and "Løst" in body
    assert item.reports.count() == 2


def test_carry_forward_with_a_broken_form_is_a_message(client, head, item, last):
    client.force_login(head)
    response = client.post(url(item), {"seen_report": "x"}, **HTMX)
    assert response.status_code == 200
    assert "Genindlæs siden" in response.content.decode()
    assert item.reports.count() == 1

"""The seam between an item being completed (X) and a "Mine punkter" page opened before:
a completed item has left the round, so none of the page's forms may give it a new
status (plain POST or htmx), and it stays "X Afsluttet" everywhere after. An open OBS
point survives "Bekræft alle uændrede"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import Colour, StatusReport
from plans.months import add_months, current_month

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def round_item(make_item, head, director):
    item = make_item(
        "T1", committee="BUU", responsible=head, cross_cutting=True, title="Fraværsindsatsen"
    )
    last = item.record_status(
        colour=Colour.YELLOW, comment="Sidste måned", period=add_months(current_month(), -1)
    )
    return item, last


def complete(item):
    # What the administrator does in /admin/ while the page is open elsewhere.
    item.completed = True
    item.save()


def opened_page(client, item):
    page = client.get(reverse("plans:my_items", args=[item.plan.slug])).content.decode()
    assert f'id="status-row-{item.pk}"' in page


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("action", ["report", "carry", "bulk"])
def test_a_page_opened_before_the_item_was_completed_saves_no_status(
    client, head, round_item, action, htmx
):
    item, last = round_item
    client.force_login(head)
    opened_page(client, item)
    complete(item)
    slug = item.plan.slug
    extra = HTMX if htmx else {}
    if action == "report":
        url = reverse("plans:report_status", args=[slug, item.pk])
        data = {"colour": Colour.GREEN, "comment": "Færdig", "seen_report": last.pk}
    elif action == "carry":
        url = reverse("plans:carry_forward", args=[slug, item.pk])
        data = {"seen_report": last.pk}
    else:
        url = reverse("plans:bulk_carry_forward", args=[slug])
        data = {"items": item.pk, f"seen_{item.pk}": last.pk, "confirmed": "1"}
    response = client.post(url, data, **extra)
    assert response.status_code in (200, 302, 403)
    assert list(StatusReport.objects.filter(item=item)) == [last]
    if action == "bulk" and htmx:
        assert "Punktet er afsluttet (X)" in response.content.decode()


def test_an_open_obs_point_survives_confirm_all_unchanged(client, head, director, round_item):
    item, last = round_item
    item.open_obs(text="Direktionen følger op", author=director, month=last.period)
    client.force_login(head)
    response = client.post(
        reverse("plans:bulk_carry_forward", args=[item.plan.slug]),
        {"items": item.pk, f"seen_{item.pk}": last.pk, "confirmed": "1"},
    )
    assert response.status_code == 302
    carried = StatusReport.objects.filter(item=item).latest("id")
    assert carried.carried_forward and carried.period == current_month()
    assert item.obs_points.open_at(current_month()).get().text == "Direktionen følger op"
    # The red list the economy chief reviews shows the point on the carried status.
    client.force_login(director)
    html = client.get(reverse("plans:red_list", args=[item.plan.slug])).content.decode()
    assert "Fraværsindsatsen" in html and "Direktionen følger op" in html

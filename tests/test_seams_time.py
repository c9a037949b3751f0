"""The seams of the month, through the pages: a status saved just before or after midnight
in Copenhagen (UTC is an hour or two behind, and the offset changes with daylight saving),
and the reporting deadline day itself. The clock is set with Django's `timezone.now`,
which `timezone.localdate()` reads."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import Colour, StatusReport

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def item(make_item):
    return make_item("D01", committee="ØK", cross_cutting=True, title="Effektiviseringsbidrag")


def at(monkeypatch, *utc):
    instant = datetime(*utc, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: instant)


@pytest.mark.parametrize(
    ("utc", "month"),
    [
        # 31 January 23:30 UTC is 1 February 00:30 in Copenhagen (CET, +1).
        ((2025, 1, 31, 23, 30), date(2025, 2, 1)),
        ((2025, 1, 31, 22, 30), date(2025, 1, 1)),
        # After the change to summer time (30 March): +2.
        ((2025, 3, 31, 22, 30), date(2025, 4, 1)),
        ((2025, 3, 31, 21, 30), date(2025, 3, 1)),
        # The night summer time ends (26 October) is in the middle of the month; the
        # month after: 31 October 23:30 UTC is 1 November 00:30 (CET again).
        ((2025, 10, 31, 23, 30), date(2025, 11, 1)),
        ((2025, 10, 31, 22, 59), date(2025, 10, 1)),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_status_belongs_to_the_month_in_copenhagen(
    client, director, item, monkeypatch, utc, month, htmx
):
    at(monkeypatch, *utc)
    client.force_login(director)
    response = client.post(
        reverse("plans:report_status", args=[item.plan.slug, item.pk]),
        {"colour": Colour.GREEN, "comment": "Følger planen"},
        **(HTMX if htmx else {}),
    )
    assert response.status_code == (200 if htmx else 302)
    report = StatusReport.objects.get(item=item)
    assert report.period == month


def test_carried_forward_just_after_midnight_is_the_new_month(client, director, item, monkeypatch):
    item.record_status(colour=Colour.YELLOW, comment="Januar", period=date(2025, 1, 1))
    at(monkeypatch, 2025, 1, 31, 23, 5)  # 1 February 00:05 in Copenhagen
    client.force_login(director)
    page = client.get(reverse("plans:my_items", args=[item.plan.slug])).content.decode()
    assert "februar" in page
    seen = StatusReport.objects.get(item=item).pk
    response = client.post(
        reverse("plans:carry_forward", args=[item.plan.slug, item.pk]), {"seen_report": seen}
    )
    assert response.status_code == 302
    carried = StatusReport.objects.filter(item=item).latest("id")
    assert carried.period == date(2025, 2, 1) and carried.carried_forward


@pytest.mark.parametrize(
    ("utc", "state"),
    [
        # The deadline day (the 20th) itself still counts, to its last minute in Copenhagen.
        ((2025, 3, 20, 22, 59), "Afventer"),
        # 20 March 23:30 UTC is 21 March 00:30 in Copenhagen: past the deadline.
        ((2025, 3, 20, 23, 30), "Mangler"),
    ],
)
def test_the_deadline_day_is_the_day_in_copenhagen(client, director, item, monkeypatch, utc, state):
    at(monkeypatch, *utc)
    client.force_login(director)
    page = client.get(reverse("plans:my_items", args=[item.plan.slug])).content.decode()
    other = {"Afventer": "Mangler", "Mangler": "Afventer"}[state]
    row = page.split(f'id="status-row-{item.pk}"', 1)[1].split("</article>", 1)[0]
    assert state in row and other not in row

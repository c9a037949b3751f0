"""Published reports carry dates within the plan's years ± 2 (2025-2028: 2023-2030); a
date outside is refused with a Danish message and nothing is published."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import PublishedReport
from plans.months import plan_date_error

MESSAGE = "Datoen skal ligge mellem 1. januar 2023 og 31. december 2030"


def test_the_range_is_the_plans_years_two_either_side():
    from datetime import date

    assert plan_date_error(2025, 2028, date(2023, 1, 1)) is None
    assert plan_date_error(2025, 2028, date(2030, 12, 31)) is None
    for day in (date(2022, 12, 31), date(2031, 1, 1), date(1, 1, 1), date(9999, 12, 31)):
        assert MESSAGE in (plan_date_error(2025, 2028, day) or "")


@pytest.mark.parametrize("meeting_date", ["9999-12-31", "0001-01-01", "2022-12-31", "2031-01-01"])
def test_board_report_meeting_date_outside_the_plans_reach(
    client, plan, economy_chief, meeting_date
):
    client.force_login(economy_chief)
    response = client.post(
        reverse("plans:board_report", args=[plan.slug]),
        {"month": "2025-03", "meeting_date": meeting_date, "case_number": "24/7615"},
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not PublishedReport.objects.exists()


@pytest.mark.parametrize(
    ("as_of", "meeting_date"),
    [
        ("2025-03", "9999-12-31"),
        ("2025-03", "0001-01-01"),
        ("2025-03", "2031-01-01"),
        ("2022-12", "2025-03-26"),
        ("2031-01", "2025-03-26"),
    ],
)
def test_strategy_publish_dates_outside_the_plans_reach(
    client, plan, economy_chief, as_of, meeting_date
):
    client.force_login(economy_chief)
    response = client.post(
        reverse("plans:strategy_publish", args=[plan.slug]),
        {"as_of": as_of, "meeting_date": meeting_date},
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not PublishedReport.objects.exists()


def test_strategy_publish_at_the_edge_of_the_range(client, plan, economy_chief):
    client.force_login(economy_chief)
    response = client.post(
        reverse("plans:strategy_publish", args=[plan.slug]),
        {"as_of": "2030-12", "meeting_date": "2023-01-01"},
    )
    assert response.status_code == 303
    assert PublishedReport.objects.count() == 1

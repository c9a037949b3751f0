"""A forged `seen_report` (2^63-1, or another item's report) cannot skip the "someone
reported first" check: it must be one of the item's own reports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import Colour, RedReason, StatusReport
from plans.months import add_months, current_month

HTMX = {"HTTP_HX_REQUEST": "true"}
BIGINT_MAX = 2**63 - 1


@pytest.fixture
def item(make_item, head):
    return make_item("R307", committee="BUU", responsible=head)


@pytest.fixture
def newest(item, economy_chief):
    """Someone else's report, made after the person opened the page."""
    last_month = add_months(current_month(), -1)
    item.record_status(colour=Colour.GREEN, period=last_month, author=economy_chief)
    return item.record_status(
        colour=Colour.RED,
        comment="Zoom ind",
        red_reason=RedReason.COORDINATION,
        author=economy_chief,
    )


@pytest.fixture
def other_items_report(make_item, economy_chief):
    return make_item("D99", committee="ØK").record_status(colour=Colour.GREEN, author=economy_chief)


@pytest.mark.parametrize("forged", ["big", "other"])
@pytest.mark.parametrize(
    ("action", "data", "who"),
    [
        ("report_status", {"colour": "green", "comment": "Alt kører"}, "head"),
        ("carry_forward", {}, "head"),
        ("mark_obs", {"action": "mark", "obs_text": "Følg op"}, "director"),
    ],
)
def test_a_forged_seen_report_is_refused(
    client, request, item, newest, other_items_report, action, data, who, forged
):
    before = StatusReport.objects.count()
    client.force_login(request.getfixturevalue(who))
    seen = BIGINT_MAX if forged == "big" else other_items_report.pk
    response = client.post(
        reverse(f"plans:{action}", args=[item.plan.slug, item.pk]),
        {**data, "seen_report": str(seen)},
        **HTMX,
    )
    assert response.status_code == 200
    assert "Genindlæs siden" in response.content.decode()
    assert "HX-Trigger" not in response
    assert StatusReport.objects.count() == before


def test_the_real_newest_report_still_saves(client, head, item, newest):
    client.force_login(head)
    response = client.post(
        reverse("plans:report_status", args=[item.plan.slug, item.pk]),
        {"colour": "green", "comment": "Alt kører", "seen_report": newest.pk},
        **HTMX,
    )
    assert response["HX-Trigger"] == "statusChanged"

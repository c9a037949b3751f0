"""The red list's and the board report's history, read for a month without reading every
month a plan ever had (plans.review.load_recent_histories)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from plans.models import Colour, StatusReport
from plans.months import add_months
from plans.review import (
    RECENT_MONTHS,
    load_histories,
    load_recent_histories,
    streak,
)

pytestmark = pytest.mark.django_db

UNTIL = date(2026, 11, 1)


def report(item, period, colour, hours=0, comment=""):
    created = datetime(period.year, period.month, 15, 9, tzinfo=UTC) + timedelta(hours=hours)
    StatusReport.objects.create(
        item=item,
        period=period,
        colour=colour,
        comment=comment or f"{period:%Y-%m}",
        created_at=created,
    )


def monthly(item, colours, last=UNTIL):
    """One report a month, the last colour in `last`."""
    for back, colour in enumerate(reversed(colours)):
        report(item, add_months(last, -back), colour)


@pytest.fixture
def items(make_item):
    made = {}
    # Green for 30 months: the streak reaches far past the window.
    made["long_green"] = make_item("L1")
    monthly(made["long_green"], [Colour.RED] * 5 + [Colour.GREEN] * 30)
    # Green for 30 and 45 months: the streak ends within the older reports read first,
    # or only past them.
    made["breaks_in_older"] = make_item("L8")
    monthly(made["breaks_in_older"], [Colour.RED] + [Colour.GREEN] * 30)
    made["breaks_past_older"] = make_item("L9")
    monthly(made["breaks_past_older"], [Colour.RED] * 2 + [Colour.GREEN] * 45)
    # Green for 200 months: the streak stops at the ten-year cap.
    made["capped"] = make_item("L2")
    monthly(made["capped"], [Colour.GREEN] * 200)
    # Changes often: nothing older than the window matters.
    made["changing"] = make_item("L3")
    monthly(made["changing"], [Colour.RED, Colour.YELLOW, Colour.GREEN] * 20)
    # Reported long ago only: its colour is carried into the window.
    made["old_only"] = make_item("L4")
    monthly(made["old_only"], [Colour.YELLOW] * 3, last=add_months(UNTIL, -40))
    # A correction in the month before the window: the last report of a month counts.
    made["corrected"] = make_item("L5")
    edge = add_months(UNTIL, -RECENT_MONTHS)
    monthly(made["corrected"], [Colour.RED] * 4, last=add_months(edge, -1))
    report(made["corrected"], edge, Colour.RED)
    report(made["corrected"], edge, Colour.GREEN, hours=2)
    monthly(made["corrected"], [Colour.GREEN] * RECENT_MONTHS)
    # Reported this month only, and not at all.
    made["new"] = make_item("L6")
    report(made["new"], UNTIL, Colour.RED, comment="Ny")
    made["never"] = make_item("L7")
    return made


def test_recent_histories_answer_as_the_whole_history_does(items):
    ids = [item.pk for item in items.values()]
    whole = load_histories(ids, UNTIL)
    recent = load_recent_histories(ids, UNTIL)
    for name, item in items.items():
        full, part = whole.get(item.pk), recent.get(item.pk)
        assert (part is None) == (full is None), name
        if full is None:
            continue
        for back in range(RECENT_MONTHS):
            month = add_months(UNTIL, -back)
            assert part.as_of(month) == full.as_of(month), (name, month)
            assert part.reported_in(month) == full.reported_in(month), (name, month)
            assert streak(part, month) == streak(full, month), (name, month)
    assert streak(recent[items["long_green"].pk], UNTIL) == 30
    assert streak(recent[items["capped"].pk], UNTIL) == 120
    assert streak(recent[items["corrected"].pk], UNTIL) == RECENT_MONTHS + 1
    assert streak(recent[items["breaks_in_older"].pk], UNTIL) == 30
    assert streak(recent[items["breaks_past_older"].pk], UNTIL) == 45


def test_recent_histories_leave_out_the_months_no_answer_needs(items):
    recent = load_recent_histories([items["changing"].pk, items["new"].pk], UNTIL)
    # The window and the one report carried into it; 60 months were stored.
    assert len(recent[items["changing"].pk].reports) == RECENT_MONTHS + 1
    assert len(recent[items["new"].pk].reports) == 1


def test_recent_histories_take_four_queries_at_most(items, django_assert_max_num_queries):
    ids = [item.pk for item in items.values()]
    with django_assert_max_num_queries(4):
        load_recent_histories(ids, UNTIL)
    with django_assert_max_num_queries(2):
        # No streak reaches past the window: no third query.
        load_recent_histories([items["changing"].pk, items["new"].pk], UNTIL)
    assert load_recent_histories([], UNTIL) == {}

"""The round's rules with explicit dates: deadline, missing list, progress, conflicts."""

import threading
from datetime import date

import pytest
from django.db import connection

from plans.models import Colour, StatusReport
from plans.status_round import (
    NothingToCopy,
    RoundState,
    StatusConflict,
    carry_forward_status,
    deadline_for,
    is_past_deadline,
    missing_items,
    progress,
    round_state,
    save_status,
    set_obs,
)

NOV = date(2026, 11, 1)
OCT = date(2026, 10, 1)


@pytest.fixture(autouse=True)
def deadline_day(settings):
    settings.STATUS_DEADLINE_DAY = 20


def test_deadline_is_the_configured_day_of_the_month():
    assert deadline_for(NOV) == date(2026, 11, 20)


def test_deadline_in_a_short_month_is_its_last_day(settings):
    settings.STATUS_DEADLINE_DAY = 31
    assert deadline_for(date(2026, 2, 1)) == date(2026, 2, 28)
    assert deadline_for(date(2028, 2, 1)) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 1), RoundState.PENDING),
        (date(2026, 11, 20), RoundState.PENDING),  # the deadline day itself still counts
        (date(2026, 11, 21), RoundState.MISSING),
        (date(2026, 11, 30), RoundState.MISSING),
        (date(2026, 12, 1), RoundState.PENDING),  # a new round
    ],
)
def test_unreported_items_are_pending_then_missing(today, expected):
    assert round_state(False, today) == expected
    assert is_past_deadline(today) is (expected == RoundState.MISSING)


def test_reported_items_are_reported_whatever_the_date():
    assert round_state(True, date(2026, 11, 30)) == RoundState.REPORTED
    assert RoundState.MISSING.label == "Mangler"
    assert RoundState.PENDING.label == "Afventer"


def test_missing_list_and_progress_for_a_month(make_item, plan, head):
    reported = make_item("A1", cross_cutting=True)
    only_last_month = make_item("A2", cross_cutting=True)
    never = make_item("A3", cross_cutting=True)
    make_item("A4", completed=True, cross_cutting=True)  # completed: not in the round
    reported.record_status(colour=Colour.GREEN, period=NOV)
    only_last_month.record_status(colour=Colour.RED, period=OCT, red_reason="stalled")
    items = plan.items.all()
    assert sorted(item.number for item in missing_items(items, NOV)) == ["A2", "A3"]
    assert sorted(item.number for item in missing_items(items, OCT)) == ["A1", "A3"]
    result = progress(items, NOV)
    assert (result.reported, result.total) == (1, 3)
    assert result.label == "1 af 3 afrapporteret for november"
    assert not result.complete
    never.record_status(colour=Colour.GREEN, period=NOV)
    only_last_month.record_status(colour=Colour.GREEN, period=NOV)
    assert progress(items, NOV).complete
    assert not missing_items(items, NOV).exists()


def test_progress_counts_an_item_with_corrections_once(make_item, plan, director):
    # Kim is both responsible and director of the area: the joins must not count twice.
    item = make_item("A1", committee="ØK", responsible=director, cross_cutting=True)
    make_item("A2", committee="ØK", cross_cutting=True)
    item.record_status(colour=Colour.GREEN, period=NOV)
    item.record_status(colour=Colour.YELLOW, period=NOV)
    result = progress(plan.items.answered_by(director), NOV)
    assert (result.reported, result.total) == (1, 2)


def test_save_refuses_when_a_newer_report_exists(make_item, head, economy_chief):
    item = make_item("A1", cross_cutting=True)
    seen = item.record_status(colour=Colour.GREEN, period=OCT, author=head)
    newer = item.record_status(colour=Colour.RED, period=NOV, author=economy_chief)
    with pytest.raises(StatusConflict) as conflict:
        save_status(
            item, author=head, seen_report_id=seen.pk, month=NOV, colour="green", comment=""
        )
    assert conflict.value.report == newer
    assert StatusReport.objects.count() == 2
    saved = save_status(
        item, author=head, seen_report_id=newer.pk, month=NOV, colour="green", comment="ok"
    )
    assert (saved.period, saved.colour, saved.author) == (NOV, "green", head)


def test_carry_forward_copies_the_last_earlier_report(make_item, head, director):
    item = make_item("A1", cross_cutting=True)
    item.record_status(colour=Colour.GREEN, period=date(2026, 8, 1), author=director)
    last = item.record_status(
        colour=Colour.RED, comment="Står stille", red_reason="stalled", period=OCT, author=director
    )
    report = carry_forward_status(item, author=head, seen_report_id=last.pk, month=NOV)
    assert (report.period, report.colour, report.comment, report.red_reason) == (
        NOV,
        "red",
        "Står stille",
        "stalled",
    )
    assert report.carried_forward and report.author == head


def test_carry_forward_without_an_earlier_report_is_refused(make_item, head):
    item = make_item("A1", cross_cutting=True)
    with pytest.raises(NothingToCopy):
        carry_forward_status(item, author=head, seen_report_id=None, month=NOV)
    assert not StatusReport.objects.exists()


def test_obs_opens_and_closes_a_point_without_touching_the_reports(make_item, head, director):
    item = make_item("D01", committee="ØK")
    current = item.record_status(colour="yellow", comment="Status", author=head)
    point = set_obs(item, author=director, seen_report_id=current.pk, obs=True, obs_text="Følg")
    assert (point.text, point.opened_by, item.reports.count()) == ("Følg", director, 1)
    closing = set_obs(item, author=director, seen_report_id=current.pk, obs=False, obs_text="Løst")
    assert (closing.kind, closing.text, closing.point) == ("closed", "Løst", point)
    assert item.open_obs_point() is None and item.reports.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_cannot_both_pass(make_item, head, director):
    """Two people submit forms that saw the same report at the same moment: the item
    row lock makes one wait for the other, and the second is refused."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers by itself")
    item = make_item("A1", cross_cutting=True)
    seen = item.record_status(colour=Colour.GREEN, period=OCT, author=head)
    barrier = threading.Barrier(2)
    outcomes = []

    def save(user, colour):
        try:
            barrier.wait()
            save_status(
                item, author=user, seen_report_id=seen.pk, month=NOV, colour=colour, comment=""
            )
            outcomes.append("saved")
        except StatusConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(head, "green")),
        threading.Thread(target=save, args=(director, "yellow")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert item.reports.filter(period=NOV).count() == 1

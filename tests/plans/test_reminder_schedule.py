"""send_status_reminders from a daily cron: only on the reminder days before the
deadline, at most once per person per such day, remembered in the database."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from plans.models import Colour, PlanState, ReminderSent
from plans.status_round import reminder_day


@pytest.fixture(autouse=True)
def schedule(settings, db):
    settings.STATUS_DEADLINE_DAY = 20
    settings.STATUS_REMINDER_DAYS = [5, 0]
    settings.SITE_URL = "https://udmoentning.example.dk/"


def remind(day: date, *args: str) -> None:
    call_command("send_status_reminders", "--today", day.isoformat(), *args)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 3, 15), 5),  # five days before the 20th
        (date(2025, 3, 20), 0),  # the deadline day itself
        (date(2025, 3, 14), None),
        (date(2025, 3, 16), None),
        (date(2025, 3, 21), None),  # after the deadline
        (date(2025, 3, 31), None),  # the end of a month is no reminder day for the next
        (date(2025, 4, 1), None),
    ],
)
def test_reminder_days_before_the_deadline(today, expected):
    assert reminder_day(today) == expected


def test_a_deadline_in_a_short_month_moves_its_reminders(settings):
    settings.STATUS_DEADLINE_DAY = 31  # February's deadline is the 28th
    assert reminder_day(date(2025, 2, 23)) == 5
    assert reminder_day(date(2025, 2, 28)) == 0
    assert reminder_day(date(2025, 3, 26)) == 5
    assert reminder_day(date(2025, 3, 31)) == 0


def test_a_reminder_before_the_month_starts_comes_on_the_first(settings):
    settings.STATUS_DEADLINE_DAY = 3  # five days before the 3rd is last month
    assert reminder_day(date(2025, 2, 26)) is None  # February's round is closed
    assert reminder_day(date(2025, 3, 1)) == 5
    assert reminder_day(date(2025, 3, 2)) is None
    assert reminder_day(date(2025, 3, 3)) == 0


@pytest.fixture
def missing(make_item, head):
    return make_item("B1", committee="BUU", responsible=head, cross_cutting=True)


def test_a_second_run_the_same_day_sends_nothing(mailoutbox, missing, head, capsys):
    remind(date(2025, 3, 15))
    assert [mail.to for mail in mailoutbox] == [[head.email]]
    remind(date(2025, 3, 15))
    assert len(mailoutbox) == 1
    assert "0 påmindelse(r) sendt." in capsys.readouterr().out
    sent = ReminderSent.objects.get()
    assert (sent.user, sent.period, sent.day) == (head, date(2025, 3, 1), 5)


def test_each_reminder_day_sends_once(mailoutbox, missing, head):
    for day in range(1, 32):
        remind(date(2025, 3, day))
        remind(date(2025, 3, day))
    # The 15th and the 20th of March, once each.
    assert len(mailoutbox) == 2
    assert set(ReminderSent.objects.values_list("period", "day")) == {
        (date(2025, 3, 1), 5),
        (date(2025, 3, 1), 0),
    }


def test_across_a_month_boundary_the_new_month_reminds_again(mailoutbox, missing, head):
    missing.record_status(colour=Colour.GREEN, period=date(2025, 3, 1), author=head)
    remind(date(2025, 3, 20))  # March is reported: nothing
    assert mailoutbox == []
    remind(date(2025, 4, 15))  # April is not
    assert len(mailoutbox) == 1
    assert "april 2025" in mailoutbox[0].subject
    assert "20. april 2025" in mailoutbox[0].body


def test_a_non_reminder_day_sends_nothing_and_says_so(mailoutbox, missing, capsys):
    remind(date(2025, 3, 16))
    assert mailoutbox == []
    assert ReminderSent.objects.count() == 0
    assert "16-03-2025 er ingen påmindelsesdag" in capsys.readouterr().out


def test_dry_run_remembers_nothing(mailoutbox, missing, capsys):
    remind(date(2025, 3, 15), "--dry-run")
    assert mailoutbox == []
    assert ReminderSent.objects.count() == 0
    assert "1 påmindelse(r) ville blive sendt" in capsys.readouterr().out
    remind(date(2025, 3, 15))
    assert len(mailoutbox) == 1


def test_a_failed_send_is_not_remembered(settings, missing, mailoutbox):
    # A real SMTP backend on a port where nothing listens: the connection is refused.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    with pytest.raises(CommandError, match="kunne ikke sendes"):
        remind(date(2025, 3, 15))
    assert ReminderSent.objects.count() == 0


def test_the_database_refuses_a_second_record_of_the_same_day(missing, head, plan):
    ReminderSent.objects.create(user=head, plan=plan, period=date(2025, 3, 1), day=5)
    with pytest.raises(IntegrityError):
        ReminderSent.objects.create(user=head, plan=plan, period=date(2025, 3, 1), day=5)


def test_a_bad_date_is_a_danish_error(db):
    with pytest.raises(CommandError, match="ikke en dato"):
        call_command("send_status_reminders", "--today", "15-03-2025")


@pytest.mark.parametrize("state", [PlanState.DRAFT, PlanState.ARCHIVED])
def test_draft_and_archived_plans_get_no_reminders(mailoutbox, missing, plan, state):
    plan.state = state
    plan.save()
    remind(date(2025, 3, 15))
    assert mailoutbox == []
    with pytest.raises(CommandError):
        remind(date(2025, 3, 15), "--plan", plan.slug)


def test_items_outside_the_round_are_not_reminded(mailoutbox, make_item, head, plan):
    make_item("B1", committee="BUU", responsible=head)  # not cross-cutting
    make_item("B2", committee="BUU", responsible=head, cross_cutting=True, completed=True)
    remind(date(2025, 3, 15))
    assert mailoutbox == []
    plan.round_scope = "all"
    plan.save()
    remind(date(2025, 3, 20))
    assert len(mailoutbox) == 1
    assert "B1" in mailoutbox[0].body and "B2" not in mailoutbox[0].body

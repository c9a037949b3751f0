"""send_status_reminders: who gets an e-mail, what it says, and user mistakes."""

import pytest
from django.core.management import CommandError, call_command

from committees.models import MembershipRole
from plans.management.commands.send_status_reminders import Command as SendStatusReminders
from plans.models import BudgetPlan, Colour, PlanState
from plans.months import MONTH_NAMES, add_months, current_month
from plans.permissions import Role


@pytest.fixture(autouse=True)
def database_before_outbox(db):
    # Setting up the test database replaces django.core.mail.outbox; when pytest-django's
    # `mailoutbox` ran first it would hold the old, detached list.
    return db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://udmoentning.example.dk/"
    settings.STATUS_DEADLINE_DAY = 20


def deadline_today() -> str:
    """The deadline day of this month: a reminder day (0 days before) by default."""
    return current_month().replace(day=20).isoformat()


def remind(*args: str) -> None:
    call_command("send_status_reminders", "--today", deadline_today(), *args)


@pytest.fixture
def round_items(make_item, head, director):
    """Mette answers for two BUU items, one already reported; Kim directs ØK's area."""
    missing = make_item(
        "B1", committee="BUU", responsible=head, title="Skolestruktur", cross_cutting=True
    )
    reported = make_item(
        "B2", committee="BUU", responsible=head, title="Dagtilbud", cross_cutting=True
    )
    reported.record_status(colour=Colour.GREEN, author=head)
    oek = make_item("D1", committee="ØK", title="Budgetoverholdelse", cross_cutting=True)
    done = make_item("D2", committee="ØK", title="Færdigt", completed=True, cross_cutting=True)
    # A report from last month does not count for this month.
    oek.record_status(colour=Colour.GREEN, period=add_months(current_month(), -1))
    return {"missing": missing, "reported": reported, "oek": oek, "done": done}


def test_each_person_gets_their_missing_items(mailoutbox, round_items, head, director, capsys):
    remind()
    by_recipient = {mail.to[0]: mail for mail in mailoutbox}
    assert set(by_recipient) == {head.email, director.email}
    mette = by_recipient[head.email]
    assert "B1 Skolestruktur (BUU)" in mette.body
    assert "Dagtilbud" not in mette.body  # reported this month
    assert "Kære Mette Holm Sørensen" in mette.body
    assert "https://udmoentning.example.dk/plans/2025-2028/mine/" in mette.body
    month = MONTH_NAMES[current_month().month - 1]
    assert f"Påmindelse: 1 punkt mangler status for {month}" in mette.subject
    assert f"Fristen er 20. {month}" in mette.body
    kim = by_recipient[director.email]
    assert "D1 Budgetoverholdelse (ØK)" in kim.body
    assert "Færdigt" not in kim.body  # completed items are not in the round
    assert "2 påmindelse(r) sendt." in capsys.readouterr().out


def test_director_of_the_area_is_reminded_of_items_with_a_responsible(
    mailoutbox, make_user, make_item, head
):
    anne = make_user("anne", Role.DIRECTOR, (("BUU", MembershipRole.DIRECTOR),), "Anne", "Lund")
    make_item("B1", committee="BUU", responsible=head, cross_cutting=True)
    remind()
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([anne.email, head.email])


def test_nobody_missing_nobody_mailed(mailoutbox, make_item, head, capsys):
    make_item("B1", committee="BUU", responsible=head, cross_cutting=True).record_status(
        colour=Colour.YELLOW, author=head
    )
    remind()
    assert mailoutbox == []
    assert "0 påmindelse(r) sendt." in capsys.readouterr().out


def test_people_without_email_or_inactive_get_nothing(mailoutbox, make_item, make_user):
    no_mail = make_user("nomail", Role.HEAD)
    no_mail.email = ""
    no_mail.save()
    inactive = make_user("gone", Role.HEAD, is_active=False)
    make_item("B1", committee="BUU", responsible=no_mail, cross_cutting=True)
    make_item("B2", committee="BUU", responsible=inactive, cross_cutting=True)
    make_item("B3", committee="BUU", responsible_name="Uden konto", cross_cutting=True)
    remind()
    assert mailoutbox == []


def test_one_mail_lists_every_missing_item(mailoutbox, make_item, head):
    for number in ("B1", "B2", "B3"):
        make_item(number, committee="BUU", responsible=head, cross_cutting=True)
    remind()
    assert len(mailoutbox) == 1
    assert "3 punkter mangler status" in mailoutbox[0].subject
    assert all(number in mailoutbox[0].body for number in ("B1", "B2", "B3"))


def test_archived_plans_are_skipped(mailoutbox, make_item, head, plan):
    make_item("B1", committee="BUU", responsible=head, cross_cutting=True)
    plan.state = PlanState.ARCHIVED
    plan.save()
    remind()
    assert mailoutbox == []


def test_plan_option_limits_to_one_plan(mailoutbox, make_item, head, plan):
    other = BudgetPlan.objects.create(
        slug="2026-2029",
        title="Udmøntningsplan 2026-2029",
        first_year=2026,
        last_year=2029,
        state=PlanState.APPROVED,
    )
    make_item("B1", committee="BUU", responsible=head, cross_cutting=True)
    make_item("N1", committee="BUU", responsible=head, item_plan=other, cross_cutting=True)
    remind("--plan", "2026-2029")
    assert len(mailoutbox) == 1
    assert "N1" in mailoutbox[0].body and "B1" not in mailoutbox[0].body
    assert "/plans/2026-2029/mine/" in mailoutbox[0].body


def test_dry_run_sends_nothing(mailoutbox, make_item, head, capsys):
    make_item("B1", committee="BUU", responsible=head, cross_cutting=True)
    remind("--dry-run")
    assert mailoutbox == []
    out = capsys.readouterr().out
    assert "mette <mette@example.dk>: 1 punkt(er)" in out
    assert "1 påmindelse(r) ville blive sendt" in out


def test_unknown_plan_is_a_danish_error(mailoutbox, plan):
    with pytest.raises(CommandError, match="Planen «2099-2100» findes ikke."):
        call_command("send_status_reminders", "--plan", "2099-2100")


def test_archived_plan_option_is_a_danish_error(mailoutbox, plan):
    plan.state = PlanState.ARCHIVED
    plan.save()
    with pytest.raises(CommandError, match="arkiveret"):
        call_command("send_status_reminders", "--plan", plan.slug)


def test_unknown_plan_exits_non_zero_with_the_message_on_stderr(db, plan, capsys):
    command = SendStatusReminders()
    with pytest.raises(SystemExit) as exit_info:
        command.run_from_argv(["manage.py", "send_status_reminders", "--plan", "nope"])
    assert exit_info.value.code != 0
    err = capsys.readouterr().err
    assert "Planen «nope» findes ikke." in err
    assert "Traceback" not in err

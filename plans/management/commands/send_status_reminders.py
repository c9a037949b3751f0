import smtplib
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.management.base import CommandError, CommandParser
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from plans.management.base import PlanCommand
from plans.models import BudgetPlan, PlanState, ReminderSent
from plans.months import danish_date, first_of_month, month_label
from plans.status_round import deadline_for, reminder_day, reminders_for


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"«{value}» er ikke en dato som 2025-03-15.") from error


class Command(PlanCommand):
    help = (
        "Sender en e-mail til hver ansvarlig og hver direktør for området med de punkter i "
        'månedens runde, der mangler status, og et link til "Mine punkter". Den, der intet '
        "mangler, får intet. Sender kun på påmindelsesdagene (STATUS_REMINDER_DAYS dage før "
        "fristen STATUS_DEADLINE_DAY) og højst én gang pr. person pr. dag, så den kan køre "
        "dagligt fra cron. Kun godkendte planer har en runde."
    )
    # Run from cron; the system checks belong to deployment and CI.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--plan", help="Kun denne plans budgetperiode, fx 2025-2028 (standard: alle aktive)."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vis hvem der ville få en påmindelse, men send intet.",
        )
        # Read in handle(), not by argparse: a CommandError raised while the options are
        # parsed escapes run_from_argv as a traceback.
        parser.add_argument(
            "--today",
            help="Kør som om det var denne dato, fx 2025-03-15 (standard: i dag).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            today = parse_day(options["today"]) if options["today"] else timezone.localdate()
            self.send(options["plan"], options["dry_run"], today)

    def plans(self, slug: str | None) -> list[BudgetPlan]:
        if not slug:
            return list(BudgetPlan.objects.filter(state=PlanState.APPROVED))
        plan = BudgetPlan.objects.filter(slug=slug.strip()).first()
        if plan is None:
            raise CommandError(f"Planen «{slug}» findes ikke.")
        if plan.is_archived:
            raise CommandError(f"Planen «{slug}» er arkiveret; der sendes ingen påmindelser.")
        if not plan.has_round:
            raise CommandError(
                f"Planen «{slug}» er ikke godkendt og har ingen statusrunde; "
                "der sendes ingen påmindelser."
            )
        return [plan]

    def send(self, slug: str | None, dry_run: bool, today: date) -> None:
        plans = self.plans(slug)
        month = first_of_month(today)
        day = reminder_day(today)
        if day is None:
            days = ", ".join(str(days) for days in settings.STATUS_REMINDER_DAYS)
            self.stdout.write(
                f"{today:%d-%m-%Y} er ingen påmindelsesdag (fristen er "
                f"{deadline_for(month):%d-%m-%Y}; påmindelser {days} dage før): intet sendt."
            )
            return
        try:
            with transaction.atomic():
                sent = self.send_day(plans, month, day, dry_run)
        except (OSError, smtplib.SMTPException) as error:
            # Nothing is remembered as sent, so the next run tries again.
            raise CommandError(f"Påmindelserne kunne ikke sendes: {error}") from error
        if dry_run:
            self.stdout.write(f"Prøvekørsel: {sent} påmindelse(r) ville blive sendt.")
        else:
            self.stdout.write(f"{sent} påmindelse(r) sendt.")

    def send_day(self, plans: list[BudgetPlan], month: date, day: int, dry_run: bool) -> int:
        """Remember and build each person's e-mail, then send them all; an error rolls the
        memory back with the caller's transaction."""
        messages = []
        for plan in plans:
            url = settings.SITE_URL.rstrip("/") + reverse("plans:my_items", args=[plan.slug])
            already = set(
                ReminderSent.objects.filter(plan=plan, period=month, day=day).values_list(
                    "user_id", flat=True
                )
            )
            for reminder in reminders_for(plan, month):
                user = reminder.user
                if user.pk in already or not (dry_run or self.remember(user, plan, month, day)):
                    continue
                count = len(reminder.items)
                subject = (
                    f"Påmindelse: {count} punkt{'er' if count != 1 else ''} mangler status "
                    f"for {month_label(month)}"
                )
                body = render_to_string(
                    "emails/status_reminder.txt",
                    {
                        "name": user.get_full_name() or user.get_username(),
                        "items": reminder.items,
                        "plan": plan,
                        "month_label": month_label(month),
                        "deadline": danish_date(deadline_for(month)),
                        "url": url,
                        "municipality": settings.MUNICIPALITY_NAME,
                    },
                )
                messages.append(EmailMessage(subject, body, to=[user.email]))
                self.stdout.write(
                    f"{plan.slug}: {user.get_username()} <{user.email}>: {count} punkt(er)"
                )
        if dry_run or not messages:
            return len(messages)
        return mailers.default.send_messages(messages) or 0

    def remember(self, user: Any, plan: BudgetPlan, month: date, day: int) -> bool:
        """False when this person's reminder for the day is already recorded (a run
        elsewhere got there first: the unique constraint decides)."""
        try:
            with transaction.atomic():
                ReminderSent.objects.create(user=user, plan=plan, period=month, day=day)
        except IntegrityError:
            return False
        return True

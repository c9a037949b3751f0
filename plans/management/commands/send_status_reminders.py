import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from plans.models import BudgetPlan, PlanState
from plans.months import danish_date, first_of_month, month_label
from plans.status_round import deadline_for, reminders_for


class Command(BaseCommand):
    help = (
        "Sender en e-mail til hver ansvarlig og hver direktør for området med de punkter, "
        'der mangler denne måneds status, og et link til "Mine punkter". Den, der intet '
        "mangler, får intet. Hver kørsel sender på ny: kør den højst én gang om dagen fra "
        "cron (fx kl. 8 på hverdage). Arkiverede planer springes over."
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

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            self.send(options["plan"], options["dry_run"])

    def send(self, slug: str | None, dry_run: bool) -> None:
        if slug:
            plan = BudgetPlan.objects.filter(slug=slug).first()
            if plan is None:
                raise CommandError(f"Planen «{slug}» findes ikke.")
            if plan.is_archived:
                raise CommandError(f"Planen «{slug}» er arkiveret; der sendes ingen påmindelser.")
            plans = [plan]
        else:
            plans = list(BudgetPlan.objects.exclude(state=PlanState.ARCHIVED))
        today = timezone.localdate()
        month = first_of_month(today)
        messages = []
        for plan in plans:
            url = settings.SITE_URL.rstrip("/") + reverse("plans:my_items", args=[plan.slug])
            for reminder in reminders_for(plan, month):
                user = reminder.user
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
        if dry_run:
            self.stdout.write(f"Prøvekørsel: {len(messages)} påmindelse(r) ville blive sendt.")
            return
        try:
            sent = mailers.default.send_messages(messages) if messages else 0
        except (OSError, smtplib.SMTPException) as error:
            raise CommandError(f"Påmindelserne kunne ikke sendes: {error}") from error
        self.stdout.write(f"{sent or 0} påmindelse(r) sendt.")

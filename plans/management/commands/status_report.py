from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from plans.board_report import build_board_report, render_board_report_pdf
from plans.formatting import danish_number
from plans.management.base import PlanCommand, check_output, write_output
from plans.models import BudgetPlan
from plans.months import current_month, month_label, parse_month


class Command(PlanCommand):
    help = "Skriver direktionens månedlige statusrapport over de tværgående indsatser som PDF."
    # Run from cron; the system checks belong to deployment and CI, not to every report.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="Planens budgetperiode, fx 2025-2028.")
        parser.add_argument(
            "--as-of", dest="as_of", help="Måned på formen ÅÅÅÅ-MM (standard: denne måned)."
        )
        parser.add_argument("-o", "--output", required=True, help="Stien til PDF-filen.")

    def handle(self, *args: Any, **options: Any) -> None:
        # Check what the user typed before touching the database.
        try:
            period = parse_month(options["as_of"]) if options["as_of"] else current_month()
        except ValueError as error:
            raise CommandError(str(error)) from error
        output = Path(options["output"])
        check_output(output, "rapport.pdf")
        plan = BudgetPlan.objects.filter(slug=options["plan"].strip()).first()
        if plan is None:
            raise CommandError(f"Planen «{options['plan']}» findes ikke.")
        pdf = render_board_report_pdf(build_board_report(plan, period))
        write_output(output, pdf)
        size = danish_number(len(pdf))
        self.stdout.write(
            f"Statusrapport for {month_label(period)} skrevet til {output} ({size} byte)."
        )

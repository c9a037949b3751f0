from typing import Any

from django.core.management.base import CommandError, CommandParser

from plans.management.base import PlanCommand
from plans.models import BudgetPlan
from plans.roll_over import RollOverError, preview_roll_over, roll_over_plan


class Command(PlanCommand):
    help = (
        "Viderefører en plans åbne punkter til en ny plan (fx 2025-2028 til 2026-2029). "
        "Udskriver først en forhåndsvisning."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="Den plan der videreføres, fx 2025-2028.")
        parser.add_argument(
            "--to", required=True, dest="to", help="Den nye plans periode, fx 2026-2029."
        )
        parser.add_argument("--title", default="", help='Fx "Udmøntningsplan 2026-2029".')
        parser.add_argument(
            "--archive", action="store_true", help="Arkivér den gamle plan bagefter."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Vis kun forhåndsvisningen; gem intet."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = BudgetPlan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Ukendt plan: {options['plan']}")
        preview = preview_roll_over(plan, options["to"], options["title"])
        for line in preview.lines():
            self.stdout.write(line)
        if not preview.ok:
            raise CommandError(" ".join(preview.errors))
        if options["dry_run"]:
            self.stdout.write("Tørkørsel: intet er gemt.")
            return
        try:
            new_plan = roll_over_plan(
                plan, preview.new_slug, preview.title, archive_old=options["archive"]
            )
        except RollOverError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Oprettet {new_plan.slug} med {new_plan.items.count()} punkter."
            + (f" {plan.slug} er arkiveret." if options["archive"] else "")
        )

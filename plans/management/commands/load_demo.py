from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from plans.demo import DEMO_USERS, load_demo
from plans.management.base import PlanCommand


class Command(PlanCommand):
    help = "Opretter demo-data: udvalg, roller, demobrugere og Udmøntningsplan 2025-2028."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--passwords",
            action="store_true",
            help=(
                "Giv demobrugerne nye adgangskoder og skriv dem ud (ellers kan de ikke logge ind)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo is the first thing run on a new database: create its tables first.
        call_command("migrate", interactive=False, verbosity=0)
        result = load_demo(set_passwords=options["passwords"])
        self.stdout.write(
            f"Plan {result.plan.slug}: {result.created_items} nye punkter, "
            f"{result.created_reports} nye statusrapporter."
        )
        if result.passwords:
            self.stdout.write("\nDemobrugere (brugernavn / adgangskode / rolle):")
            for demo in DEMO_USERS:
                password = result.passwords[demo.username]
                self.stdout.write(f"  {demo.username:<14} {password:<14} {demo.description}")
        else:
            self.stdout.write("Kør med --passwords for at få adgangskoder til demobrugerne.")

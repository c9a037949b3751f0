"""python manage.py export_plan --plan SLUG [--committee CODE] [--as-of YYYY-MM]
--format json|xlsx|pdf -o PATH"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from committees.models import Committee
from plans.exports.json import export_json
from plans.exports.xlsx import export_xlsx
from plans.extracts import build_extract, render_extract_pdf
from plans.management.base import PlanCommand, check_output, write_output
from plans.models import BudgetPlan
from plans.months import current_month, parse_month


class Command(PlanCommand):
    help = (
        "Skriver planen, eller ét udvalgs udsnit, pr. en måned som JSON, Excel (.xlsx) eller PDF."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="Planens budgetperiode, fx 2025-2028")
        parser.add_argument("--committee", default="", help="Udvalgets kode for et udsnit, fx AU")
        parser.add_argument("--as-of", default="", help="Status pr. måned ÅÅÅÅ-MM (standard: nu)")
        parser.add_argument("--format", required=True, choices=["json", "xlsx", "pdf"])
        parser.add_argument("-o", "--output", required=True, help="Filen der skrives")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = BudgetPlan.objects.filter(slug=options["plan"].strip()).first()
        if plan is None:
            raise CommandError(f"Planen «{options['plan']}» findes ikke.")
        committee = None
        if options["committee"]:
            committee = Committee.objects.all().by_code(options["committee"])
            if committee is None:
                raise CommandError(f"Ukendt udvalg «{options['committee']}».")
        try:
            as_of = parse_month(options["as_of"]) if options["as_of"] else current_month()
        except ValueError as error:
            raise CommandError(str(error)) from error

        output = Path(options["output"])
        check_output(output, f"plan.{options['format']}")
        if options["format"] == "json":
            content = json.dumps(
                export_json(plan, committee, as_of), ensure_ascii=False, indent=2
            ).encode()
        elif options["format"] == "xlsx":
            content = export_xlsx(plan, committee, as_of)
        else:
            content = render_extract_pdf(build_extract(plan, committee, as_of))
        write_output(output, content)
        self.stdout.write(f"Skrev {output} ({len(content) // 1024} KB).")

"""python manage.py import_plan FILE.xlsx --plan SLUG [--create --title ...] [--dry-run]"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from plans.importer.safety import UnsafeWorkbook, check_workbook_bytes
from plans.importer.writer import ImportRefused, PlanTarget, apply_import, preview_import
from plans.management.base import PlanCommand
from plans.models import BudgetPlan


class Command(PlanCommand):
    help = (
        "Importerer en udmøntningsplan fra kommunens Excel-projektmappe (se "
        "docs/excel-format.md). Viser først en forhåndsvisning; --dry-run gemmer intet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Projektmappen (.xlsx)")
        parser.add_argument("--plan", required=True, help="Planens budgetperiode, fx 2025-2028")
        parser.add_argument(
            "--create",
            action="store_true",
            help="Opret planen ud fra budgetperioden, hvis den mangler",
        )
        parser.add_argument("--title", default="", help="Titel på en ny plan (med --create)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Vis forhåndsvisningen uden at gemme noget"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Filen {path} findes ikke.")
        size = path.stat().st_size
        if size > settings.MAX_UPLOAD_BYTES:
            raise CommandError(
                f"Filen er for stor ({size // 1024} KB); grænsen er "
                f"{settings.MAX_UPLOAD_BYTES // 1024} KB."
            )
        content = path.read_bytes()
        try:
            check_workbook_bytes(content)
        except UnsafeWorkbook as error:
            raise CommandError(str(error)) from None
        slug = options["plan"].strip()
        plan = BudgetPlan.objects.filter(slug=slug).first()
        if plan is not None:
            target = PlanTarget.existing(plan)
        elif options["create"]:
            try:
                target = PlanTarget.new(slug, options["title"])
            except ValueError as error:
                raise CommandError(str(error)) from error
        else:
            raise CommandError(
                f"Planen «{slug}» findes ikke. Brug --create (og evt. --title) for at oprette den."
            )

        if options["dry_run"]:
            preview = preview_import(content, target)
            self.stdout.write(preview.as_text())
            if not preview.ok:
                raise CommandError("Projektmappen kan ikke importeres; se problemerne ovenfor.")
            self.stdout.write("\nTørkørsel: intet er gemt.")
            return
        try:
            preview = apply_import(content, target)
        except ImportRefused as refused:
            self.stdout.write(refused.preview.as_text())
            raise CommandError(
                "Importen er stoppet, og intet er gemt; se problemerne ovenfor."
            ) from None
        self.stdout.write(preview.as_text())
        totals = preview.totals
        self.stdout.write(
            self.style.SUCCESS(
                f"\nImporteret: {totals.created} nye, {totals.updated} ændrede, "
                f"{totals.unchanged} uændrede punkter; {preview.statuses} nye statusser."
            )
        )

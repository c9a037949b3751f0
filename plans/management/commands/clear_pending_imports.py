"""python manage.py clear_pending_imports: removes uploaded workbooks nobody confirmed
within a day (the upload page does the same on every visit); for cron."""

from typing import Any

from plans.management.base import PlanCommand
from plans.models import PendingImport


class Command(PlanCommand):
    help = "Sletter uploadede projektmapper, der ikke er importeret inden for et døgn."

    def handle(self, *args: Any, **options: Any) -> None:
        count = PendingImport.objects.clear_expired()
        self.stdout.write(f"{count} forældede uploads slettet.")

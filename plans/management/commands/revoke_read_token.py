"""python manage.py revoke_read_token NAME [--id ID]: a read token stops working at once."""

from typing import Any

from django.core.management.base import CommandError, CommandParser

from plans.management.base import PlanCommand
from plans.models import ReadToken


class Command(PlanCommand):
    help = "Tilbagekalder en læsenøgle: den virker ikke længere i JSON-eksporten og iCal-feedet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="Nøglens navn, fx «Power BI»")
        parser.add_argument("--id", type=int, help="Nøglens id, når flere har samme navn")

    def handle(self, *args: Any, **options: Any) -> None:
        tokens = ReadToken.objects.filter(revoked=False)
        if options.get("id") is not None:
            tokens = tokens.filter(pk=options["id"])
        elif options.get("name"):
            tokens = tokens.filter(name=options["name"].strip())
        else:
            raise CommandError("Angiv nøglens navn eller --id.")
        found = list(tokens)
        if not found:
            raise CommandError("Ingen gyldig læsenøgle med det navn eller id.")
        if len(found) > 1:
            ids = ", ".join(str(token.pk) for token in found)
            raise CommandError(f"Flere nøgler har det navn (id {ids}): angiv --id.")
        token = found[0]
        ReadToken.objects.filter(pk=token.pk).update(revoked=True)
        self.stdout.write(f"Læsenøglen «{token.name}» (id {token.pk}) er tilbagekaldt.")

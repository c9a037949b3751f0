"""python manage.py create_read_token NAME --user USERNAME [--expires YYYY-MM-DD]: a
read-only key for the JSON API and the iCal feed."""

from datetime import date, datetime, time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from plans.management.base import PlanCommand
from plans.models import ReadToken
from plans.tokens import hash_key, new_key


def expiry(value: str | None) -> datetime | None:
    """`2026-12-31` -> the end of that day, local time; in the past is refused."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ugyldig udløbsdato «{value[:20]}»: skriv ÅÅÅÅ-MM-DD.") from None
    moment = timezone.make_aware(datetime.combine(day, time.max))
    if moment <= timezone.now():
        raise CommandError("Udløbsdatoen er passeret.")
    return moment


class Command(PlanCommand):
    help = (
        "Opretter en læsenøgle til JSON-eksporten og iCal-feedet og viser nøglen én gang; "
        "kun dens SHA-256 gemmes. Tilbagekald den med revoke_read_token eller i "
        "administrationen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Hvad nøglen bruges til, fx «Power BI»")
        parser.add_argument("--user", required=True, help="Administratoren der opretter nøglen")
        parser.add_argument(
            "--expires", help="Sidste dag nøglen virker (ÅÅÅÅ-MM-DD); uden: ingen udløb"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Brugeren «{options['user']}» findes ikke.")
        if not user.has_perm("plans.manage_plan"):
            raise CommandError(f"Brugeren «{user.get_username()}» er ikke administrator.")
        name = options["name"].strip()
        if not name:
            raise CommandError("Giv nøglen et navn.")
        expires_at = expiry(options.get("expires"))
        key = new_key()
        ReadToken.objects.create(
            name=name[:100], key_hash=hash_key(key), created_by=user, expires_at=expires_at
        )
        self.stdout.write(f"Læsenøgle «{name}» oprettet. Nøglen vises kun denne ene gang:")
        self.stdout.write(key)

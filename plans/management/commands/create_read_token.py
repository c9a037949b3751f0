"""python manage.py create_read_token NAME --user USERNAME: a read-only key for the JSON API."""

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from plans.models import ReadToken
from plans.views.api import hash_key


class Command(BaseCommand):
    help = (
        "Opretter en læsenøgle til JSON-eksporten (/api/plans/SLUG/items.json) og viser "
        "nøglen én gang; kun dens SHA-256 gemmes. Tilbagekald den i administrationen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Hvad nøglen bruges til, fx «Power BI»")
        parser.add_argument("--user", required=True, help="Administratoren der opretter nøglen")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Brugeren «{options['user']}» findes ikke.")
        if not user.has_perm("plans.manage_plan"):
            raise CommandError(f"Brugeren «{user.get_username()}» er ikke administrator.")
        name = options["name"].strip()
        if not name:
            raise CommandError("Giv nøglen et navn.")
        key = secrets.token_urlsafe(32)
        ReadToken.objects.create(name=name[:100], key_hash=hash_key(key), created_by=user)
        self.stdout.write(f"Læsenøgle «{name}» oprettet. Nøglen vises kun denne ene gang:")
        self.stdout.write(key)

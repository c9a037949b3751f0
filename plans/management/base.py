"""What every command of the stable interface (docs/interfaces.md) shares."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor


def database_problem(error: DatabaseError) -> str:
    """A Danish sentence for a database error: not set up, unreachable, or other."""
    try:
        executor = MigrationExecutor(connection)
        missing = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return f"Databasen kan ikke nås: {error}".strip()
    if missing:
        return (
            f"Databasen er ikke sat op ({len(missing)} migreringer mangler). "
            "Kør «python manage.py migrate» først."
        )
    return f"Databasefejl: {error}".strip()


class PlanCommand(BaseCommand):
    """A command whose failures end with a message on stderr and a non-zero status,
    never a traceback (`--traceback` shows it): a database that is not migrated or
    cannot be reached is said in words."""

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except DatabaseError as error:
            raise CommandError(database_problem(error)) from error

"""What every command of the stable interface (docs/interfaces.md) shares."""

from __future__ import annotations

import argparse
import errno
import secrets
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
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


# What the operating system says, in the words of the other messages.
WRITE_PROBLEMS = {
    errno.EACCES: "ingen skriveadgang",
    errno.EPERM: "ingen skriveadgang",
    errno.EROFS: "filsystemet er skrivebeskyttet",
    errno.ENOSPC: "disken er fuld",
    errno.EDQUOT: "diskkvoten er brugt op",
    errno.EFBIG: "filen er for stor til filsystemet",
    errno.ENOENT: "mappen findes ikke",
    errno.EISDIR: "det er en mappe",
}


def check_output(path: Path, example: str) -> None:
    """Refuse an output path that can never be written, before the work of building it."""
    if path.is_dir():
        raise CommandError(f"«{path}» er en mappe; angiv et filnavn som {example}.")
    if not path.parent.is_dir():
        raise CommandError(f"Mappen «{path.parent}» findes ikke.")


def write_output(path: Path, content: bytes) -> None:
    """Write the whole file or nothing: into a new file beside it, renamed over it when
    complete, so a failed write (a full disk) leaves neither half a file nor half of the
    one it replaces. A device or pipe (`/dev/stdout`) is written as it is."""
    if path.is_symlink():
        path = path.resolve()
    partial = None
    try:
        if path.exists() and not path.is_file():
            path.write_bytes(content)
            return
        partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        with partial.open("xb") as file:
            file.write(content)
        if path.is_file():
            # Whoever could read the old file (a web server's group) can read the new one.
            partial.chmod(path.stat().st_mode & 0o7777)
        partial.replace(path)
    except OSError as error:
        problem = WRITE_PROBLEMS.get(error.errno or 0, error.strerror or str(error))
        raise CommandError(f"Filen «{path}» kunne ikke skrives: {problem}.") from error
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)


class PlanCommand(BaseCommand):
    """A command whose failures end with a message on stderr and a non-zero status,
    never a traceback (`--traceback` shows it): a database that is not migrated or
    cannot be reached is said in words.

    It runs without Django's system checks: they import every view (WeasyPrint among
    them) and took two of a command's three and a half seconds. They belong to the
    set-up and deployment (`manage.py check --deploy`, `migrate`, `runserver`), not to a
    command that cron or a script runs for one job."""

    requires_system_checks: list[str] = []  # noqa: RUF012 (Django's own attribute)

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Still accepted, as Django's commands accept it, so no script that passes it breaks.
        parser.add_argument("--skip-checks", action="store_true", help=argparse.SUPPRESS)
        return parser

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except DatabaseError as error:
            raise CommandError(database_problem(error)) from error

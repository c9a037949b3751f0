"""The commands of docs/interfaces.md on a database that is not set up or not there:
a Danish sentence on stderr and a non-zero status, never a traceback."""

from __future__ import annotations

import pytest

from tests.processes import manage

# Each test brings its own database: the same on every DATABASE_URL.
pytestmark = pytest.mark.own_database

COMMANDS = [
    ["export_plan", "--plan", "2025-2028", "--format", "json", "-o", "-"],
    ["send_status_reminders"],
    ["status_report", "--plan", "2025-2028", "-o", "rapport.pdf"],
    ["clear_pending_imports"],
]


@pytest.mark.parametrize("arguments", COMMANDS, ids=lambda arguments: arguments[0])
def test_a_database_that_is_not_migrated_is_said_in_words(tmp_path, arguments):
    result = manage(f"sqlite:///{tmp_path / 'tom.sqlite3'}", *arguments, cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert "Databasen er ikke sat op" in result.stderr
    assert "manage.py migrate" in result.stderr


def test_a_database_that_cannot_be_reached_is_said_in_words(tmp_path):
    # Nothing listens on port 9 (discard): the connection is refused at once.
    result = manage("postgres://postgres@127.0.0.1:9/ingen", "send_status_reminders", cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert "Databasen kan ikke nås" in result.stderr

"""Backup and restore as docs/backup.md describes it: dump, restore into a fresh
database, and find every plan, item and report there (Danish text intact).

On PostgreSQL: `pg_dump -Fc` and `pg_restore` into a new database. On SQLite: the online
backup API (what `sqlite3 db.sqlite3 ".backup FILE"` uses) into a file, then restored
into a second file. Whichever database the suite runs on is tested; nothing is skipped.
"""

from __future__ import annotations

import secrets
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from plans.models import BudgetPlan, Colour, Item, StatusReport

pytestmark = pytest.mark.django_db(transaction=True)

COUNT_SQL = {
    "plans": "SELECT slug, title FROM plans_budgetplan ORDER BY slug",
    "items": "SELECT id, number, title FROM plans_item ORDER BY id",
    "reports": "SELECT id, item_id, colour, comment FROM plans_statusreport ORDER BY id",
}


@pytest.fixture
def content(plan, make_item, director) -> dict[str, list[tuple[Any, ...]]]:
    second = BudgetPlan.objects.create(
        slug="2026-2029", title="Udmøntningsplan 2026-2029", first_year=2026, last_year=2029
    )
    items = [
        make_item("R307", committee="AU", title="Fraværsindsatsen – besparelse på forsørgelse"),
        make_item("A12", committee="MTU", title="Cykelsti langs Østervej (æøå)"),
        make_item("H1", item_plan=second, heading="Økonomisk Politik", title="Råderum"),
    ]
    for number, item in enumerate(items):
        item.record_status(colour=Colour.YELLOW, comment=f"Udfordringer nr. {number} – «ø»")
        item.record_status(colour=Colour.GREEN, comment="Følger planen", author=director)
    expected = {
        "plans": list(BudgetPlan.objects.order_by("slug").values_list("slug", "title")),
        "items": list(Item.objects.order_by("id").values_list("id", "number", "title")),
        "reports": list(
            StatusReport.objects.order_by("id").values_list("id", "item_id", "colour", "comment")
        ),
    }
    assert len(expected["plans"]) == 2 and len(expected["items"]) == 3
    assert len(expected["reports"]) == 6
    return expected


def read_all(cursor: Any) -> dict[str, list[tuple[Any, ...]]]:
    result = {}
    for name, sql in COUNT_SQL.items():
        cursor.execute(sql)
        result[name] = [tuple(row) for row in cursor.fetchall()]
    return result


def pg_args(settings_dict: dict[str, Any]) -> list[str]:
    args = ["-h", settings_dict.get("HOST") or "127.0.0.1", "-U", settings_dict.get("USER") or ""]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    return args


def test_dump_and_restore_into_a_fresh_database(content, tmp_path: Path):
    if connection.vendor == "postgresql":
        restored = postgres_round_trip(tmp_path)
    elif connection.vendor == "sqlite":
        restored = sqlite_round_trip(tmp_path)
    else:  # pragma: no cover - only the two supported databases
        pytest.fail(f"no backup procedure documented for {connection.vendor}")
    assert restored == content


def postgres_round_trip(tmp_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    import psycopg

    settings_dict = connection.settings_dict
    dump = tmp_path / "udmoentning.dump"
    env = {"PGPASSWORD": settings_dict.get("PASSWORD") or ""}
    subprocess.run(
        ["pg_dump", "-Fc", *pg_args(settings_dict), "-f", str(dump), settings_dict["NAME"]],
        check=True,
        env={**env, "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert dump.stat().st_size > 0
    fresh = f"udm_restore_{secrets.token_hex(4)}"
    subprocess.run(
        ["createdb", *pg_args(settings_dict), fresh],
        check=True,
        env={**env, "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", *pg_args(settings_dict), "-d", fresh, str(dump)],
            check=True,
            env={**env, "PATH": "/usr/bin:/bin"},
            timeout=120,
        )
        with (
            psycopg.connect(
                host=settings_dict.get("HOST") or "127.0.0.1",
                port=settings_dict.get("PORT") or 5432,
                user=settings_dict.get("USER"),
                password=settings_dict.get("PASSWORD") or None,
                dbname=fresh,
            ) as restored,
            restored.cursor() as cursor,
        ):
            result = read_all(cursor)
            # The restored database still refuses to change the status history.
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND "
                "tgrelid = 'plans_statusreport'::regclass"
            )
            assert cursor.fetchone()[0] >= 1
        return result
    finally:
        subprocess.run(
            ["dropdb", "--if-exists", *pg_args(settings_dict), fresh],
            check=False,
            env={**env, "PATH": "/usr/bin:/bin"},
            timeout=60,
        )


def sqlite_round_trip(tmp_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    connection.ensure_connection()
    live = connection.connection  # the running database (a file in production)
    backup_file = tmp_path / "backup.sqlite3"
    with sqlite3.connect(backup_file) as target:
        live.backup(target)
    target.close()
    # Restore: copy the backup into a fresh database file the same way, then read it.
    restored_file = tmp_path / "restored.sqlite3"
    with sqlite3.connect(backup_file) as source, sqlite3.connect(restored_file) as fresh:
        source.backup(fresh)
    source.close()
    fresh.close()
    with sqlite3.connect(restored_file) as restored:
        # (CHECK constraints use Django's SQL functions, which plain sqlite3 lacks.)
        restored.execute("PRAGMA ignore_check_constraints = ON")
        assert restored.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        result = read_all(restored.cursor())
    restored.close()
    return result


def test_sqlite_command_line_backup_of_a_file_database(tmp_path: Path):
    """The documented SQLite command, on a file database as production would have."""
    source = tmp_path / "db.sqlite3"
    with sqlite3.connect(source) as db:
        db.execute("CREATE TABLE t (x TEXT)")
        db.execute("INSERT INTO t VALUES ('Udmøntning æøå')")
    db.close()
    backup = tmp_path / "backup.sqlite3"
    subprocess.run(["sqlite3", str(source), f".backup {backup}"], check=True, timeout=30)
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT x FROM t").fetchall() == [("Udmøntning æøå",)]
    copy.close()

"""Defence in depth for the insert-only records: the database itself refuses to change them.

The models already refuse every ORM path (plans.models.InsertOnlyModel); these triggers
also stop raw SQL and other programs sharing the database. They are (re)installed after
every `migrate` (post_migrate), so a migration that rebuilds the table on SQLite cannot
drop them silently.

SQLite refuses UPDATE only: Django's test flush empties tables with DELETE there. On
PostgreSQL both UPDATE and DELETE are refused; TRUNCATE (the test flush, or an
administrator restoring a backup) is not a row change and still works.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

INSERT_ONLY_TABLES = (
    "plans_statusreport",
    "plans_publishedreport",
    "plans_obspoint",
    "plans_obsevent",
)

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION udm_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Denne historik kan ikke ændres eller slettes (%).', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql
"""


def install_insert_only_triggers(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    tables = [table for table in INSERT_ONLY_TABLES if table in existing]
    if not tables:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTION)
            for table in tables:
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {table}_insert_only "
                    f"BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION udm_refuse_change()"
                )
        elif connection.vendor == "sqlite":
            for table in tables:
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'Denne historik kan ikke ændres.'); END"
                )

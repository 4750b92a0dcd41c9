"""Indexes for the staff list's name search and Swedish name order.

PostgreSQL: pg_trgm with a GIN trigram index on ``search_text`` (substring and
fuzzy search) and a B-tree on ``name`` in the ICU Swedish collation (list order).
SQLite: a B-tree on ``search_text`` that the substring scan reads instead of the
wide table, and one on an expression that sorts names in Swedish order without a
Python collation, so every connection (also sqlite3 on the command line) can write.
The expression must stay identical to ``brygga.register.ordering.SQLITE_NAME_KEY``.
"""

from typing import Any

from django.db import migrations

SQLITE_NAME_KEY = (
    "replace(replace(replace(replace(replace(replace(replace(replace(replace(replace("
    "lower(name),"
    "'å','{'),'Å','{'),'ä','|'),'Ä','|'),'ö','}'),'Ö','}'),'æ','|'),'ø','}'),'é','e'),'ü','y')"
)

FORWARD = {
    "postgresql": [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX IF NOT EXISTS register_company_search_trgm "
        "ON register_company USING gin (search_text gin_trgm_ops)",
        "CREATE INDEX IF NOT EXISTS register_company_name_sv_idx "
        'ON register_company ((name COLLATE "sv-x-icu"), id)',
    ],
    "sqlite": [
        "CREATE INDEX IF NOT EXISTS register_company_search_text_idx "
        "ON register_company (search_text)",
        f"CREATE INDEX IF NOT EXISTS register_company_name_sv_idx "
        f"ON register_company ({SQLITE_NAME_KEY}, id)",
    ],
}
BACKWARD = {
    "postgresql": [
        "DROP INDEX IF EXISTS register_company_name_sv_idx",
        "DROP INDEX IF EXISTS register_company_search_trgm",
    ],
    "sqlite": [
        "DROP INDEX IF EXISTS register_company_name_sv_idx",
        "DROP INDEX IF EXISTS register_company_search_text_idx",
    ],
}


def _run(statements: dict[str, list[str]], schema_editor: Any) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def forwards(apps: Any, schema_editor: Any) -> None:
    _run(FORWARD, schema_editor)


def backwards(apps: Any, schema_editor: Any) -> None:
    _run(BACKWARD, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

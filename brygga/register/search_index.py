"""The SQLite full-text index behind the company name search.

On SQLite the name search reads an FTS5 table with the ``trigram`` tokenizer: an
external-content index over ``register_company.search_text`` (the table holds only
the index, the text stays in ``register_company``). A trigram index finds any
substring of three or more characters, case-insensitively, and keeps å, ä and ö
apart from a, a and o. Triggers keep it in step with single-row writes.

A bulk import writes hundreds of thousands of rows in one transaction, and the
triggers would cost it about 30 µs a row; rebuilding the index once at the end is
several times cheaper. :func:`search_index_bulk_writes` does that: it drops the
triggers at the start of the import's transaction and, at its end, rebuilds the
index (when rows were written) and creates the triggers again. SQLite DDL is
transactional, so a rolled-back import also brings the triggers back.

PostgreSQL needs none of this (its GIN trigram index is an ordinary index), so
every function here does nothing there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

# The statements spell the table name out: they are constants, and SQL built from
# strings is kept out of this code base on principle.
CREATE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS register_company_fts USING fts5("
    "search_text, content='register_company', content_rowid='id', tokenize='trigram')"
)
# An update rewrites the index entry only when the text changed: saving a company's
# phone number should not touch its names.
TRIGGERS = {
    "register_company_fts_ai": (
        "CREATE TRIGGER IF NOT EXISTS register_company_fts_ai AFTER INSERT ON register_company "
        "BEGIN INSERT INTO register_company_fts(rowid, search_text) "
        "VALUES (new.id, new.search_text); END"
    ),
    "register_company_fts_ad": (
        "CREATE TRIGGER IF NOT EXISTS register_company_fts_ad AFTER DELETE ON register_company "
        "BEGIN INSERT INTO register_company_fts(register_company_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    ),
    "register_company_fts_au": (
        "CREATE TRIGGER IF NOT EXISTS register_company_fts_au AFTER UPDATE OF search_text "
        "ON register_company WHEN old.search_text IS NOT new.search_text BEGIN "
        "INSERT INTO register_company_fts(register_company_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        "INSERT INTO register_company_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
}
DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS register_company_fts_ai",
    "DROP TRIGGER IF EXISTS register_company_fts_ad",
    "DROP TRIGGER IF EXISTS register_company_fts_au",
]
DROP_TABLE = "DROP TABLE IF EXISTS register_company_fts"
REBUILD = "INSERT INTO register_company_fts(register_company_fts) VALUES ('rebuild')"
MATCH_ROWIDS = "SELECT rowid FROM register_company_fts WHERE register_company_fts MATCH %s"


def _is_sqlite(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "sqlite"


def search_index_install(cursor: Any) -> None:
    """Create the index and its triggers and fill it (a migration's forward step).

    Call it again from any later migration that rebuilds ``register_company`` on
    SQLite (Django's table remake drops the triggers with the old table).
    """
    cursor.execute(CREATE_TABLE)
    for sql in TRIGGERS.values():
        cursor.execute(sql)
    cursor.execute(REBUILD)


def search_index_uninstall(cursor: Any) -> None:
    for sql in DROP_TRIGGERS:
        cursor.execute(sql)
    cursor.execute(DROP_TABLE)


def search_index_suspend(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Stop keeping the index in step, inside the caller's transaction (SQLite only).

    Must be paired with :func:`search_index_resume` in the same transaction.
    """
    connection = connections[using]
    if not _is_sqlite(connection):
        return
    if not connection.in_atomic_block:
        # Outside a transaction the dropped triggers would stay dropped on a crash.
        raise RuntimeError("search_index_suspend() must run inside transaction.atomic()")
    with connection.cursor() as cursor:
        for sql in DROP_TRIGGERS:
            cursor.execute(sql)


def search_index_resume(*, rebuild: bool, using: str = DEFAULT_DB_ALIAS) -> None:
    """Rebuild the index if rows were written while suspended; recreate the triggers."""
    connection = connections[using]
    if not _is_sqlite(connection):
        return
    with connection.cursor() as cursor:
        if rebuild:
            cursor.execute(REBUILD)
        for sql in TRIGGERS.values():
            cursor.execute(sql)


@dataclass
class BulkWrites:
    """Tell the index whether the bulk writes changed anything worth a rebuild."""

    rows_written: int = 0


@contextmanager
def search_index_bulk_writes(*, using: str = DEFAULT_DB_ALIAS) -> Iterator[BulkWrites]:
    """Suspend the index for a bulk write inside one transaction; rebuild it after.

    ::

        with transaction.atomic(), search_index_bulk_writes() as writes:
            ...  # insert and update companies
            writes.rows_written += created + updated

    If the block raises, nothing is rebuilt: the transaction's rollback restores
    the triggers and the index as they were.
    """
    search_index_suspend(using=using)
    writes = BulkWrites()
    yield writes
    search_index_resume(rebuild=writes.rows_written > 0, using=using)

"""The PostgreSQL import: COPY into a staging table, then set-based statements.

Every parsed line (and every rejection, with its reason) is streamed with COPY into
a temporary table while the file is read. Then, in order: duplicate keys are
marked, rejections stored, audit entries for changed companies written with old
and new values, one ``INSERT … ON CONFLICT … DO UPDATE … WHERE digest IS DISTINCT
FROM`` upserts everything, and other names / SNI codes of the touched companies
are replaced. Python memory stays flat; the work is the database's. The COPY
lines themselves are built in ``import_stage.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from functools import partial
from typing import Any

from django.db import connection
from django.utils import timezone

from brygga.register.importers.records import COLUMNS, Parser, Record, Rejection
from brygga.register.models import ImportRun
from brygga.register.services.import_rows import Counts, Filter, WriterBase
from brygga.register.services.import_stage import (
    STAGE_COLUMNS,
    StagedChunk,
    stage_chunk,
    stage_line,
)

STAGE = "brygga_import_stage"
# The trigram and Swedish-order indexes of migration register/0002 and the town
# and size index of 0006, which an import that adds at least BULK_MIN_ROWS
# companies, more than twice the register's size, drops and builds again.
BULK_MIN_ROWS = 100_000
BULK_INDEXES_DROP = (
    "DROP INDEX register_company_search_trgm",
    "DROP INDEX register_company_name_sv_idx",
    "DROP INDEX register_company_town_size_idx",
)
BULK_INDEXES_CREATE = (
    "CREATE INDEX register_company_search_trgm "
    "ON register_company USING gin (search_text gin_trgm_ops)",
    'CREATE INDEX register_company_name_sv_idx ON register_company ((name COLLATE "sv-x-icu"), id)',
    "CREATE INDEX register_company_town_size_idx ON register_company "
    "(postal_town, size_class, employees DESC NULLS LAST, id)",
)
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
CHANGED = "brygga_import_changed"
COLUMN_TYPES = {
    "deregistered_on": "date",
    "registered_on": "date",
    "employees": "integer",
    "advertising_block": "boolean",
}


def sql(template: str, /, **parts: str) -> str:
    """Fill column names and fragments built from them into a statement.

    Values always travel as parameters. The names come from the models and this
    module, never from the file, and :func:`check_identifiers` has vetted them.
    """
    return template.format(**parts)


def check_identifiers(*names: str) -> None:
    for name in names:
        if not _IDENTIFIER.match(name):
            raise ValueError(f"not an identifier: {name!r}")


class PostgresWriter(WriterBase):
    def __init__(self, *, run: ImportRun, parser: Parser, filter: Filter) -> None:
        super().__init__(run=run, parser=parser, filter=filter)
        self.pg = connection.connection  # the psycopg 3 connection, inside our transaction
        check_identifiers(*COLUMNS, *self.spec.owned_fields, self.spec.digest_field)
        columns = ", ".join(f"{name} {COLUMN_TYPES.get(name, 'text')}" for name in COLUMNS)
        with self.pg.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS brygga_import_stage")
            cursor.execute(
                sql(
                    "CREATE TEMP TABLE brygga_import_stage (line_no integer, reason text, "
                    "raw text, identity text, identity_kind text, name_protection_no integer, "
                    "{columns}, search_text text, digest text, other_names jsonb, "
                    "sni_codes text[]) ON COMMIT DROP",
                    columns=columns,
                )
            )
        self.cursor = self.pg.cursor()
        self.copy_cm = self.cursor.copy(
            sql("COPY brygga_import_stage ({columns}) FROM STDIN", columns=", ".join(STAGE_COLUMNS))
        )
        self.copy = self.copy_cm.__enter__()
        self.copy_open = True

    def write_lines(self, lines: list[tuple[int, str]]) -> None:
        self.write_prepared(stage_chunk(self.parser, self.filter, lines))

    def prepare_function(self) -> Callable[[list[tuple[int, str]]], StagedChunk]:
        """The pure step of :meth:`write_lines`, for worker processes."""
        return partial(stage_chunk, self.parser, self.filter)

    def write_prepared(self, staged: StagedChunk) -> None:
        if staged.text:
            self.copy.write(staged.text)
        self.rows_read += staged.rows_read
        self.filtered_out += staged.filtered_out

    def write_items(self, parsed: list[Record | Rejection]) -> None:
        parts: list[str] = []
        for item in parsed:
            record = self.keep(item)
            if record is not None:
                parts.append(stage_line(record))
        if parts:
            self.copy.write("".join(parts))

    def reject(self, rejection: Rejection) -> None:
        self.copy.write(stage_line(rejection))

    def abort(self, exc: BaseException) -> None:
        """End a COPY still in progress, so the rollback can reach the server."""
        if self.copy_open:
            self.copy_open = False
            # The server answers the aborted COPY with an error; the rollback follows.
            with suppress(Exception):
                self.copy_cm.__exit__(type(exc), exc, exc.__traceback__)

    def finish(self) -> Counts:
        self.copy_open = False
        self.copy_cm.__exit__(None, None, None)
        spec = self.spec
        digest = spec.digest_field
        run_id = self.run.pk
        now = timezone.now()
        cur = self.cursor
        cur.execute("ANALYZE brygga_import_stage")
        # Duplicate keys: the first line wins, later ones are rejected.
        cur.execute(
            """UPDATE brygga_import_stage s
            SET reason = 'dubblett: samma identitet och namnskyddslöpnummer som rad '
                         || d.first_line, raw = s.identity
            FROM (SELECT identity, name_protection_no, min(line_no) AS first_line
                  FROM brygga_import_stage WHERE reason IS NULL
                  GROUP BY 1, 2 HAVING count(*) > 1) d
            WHERE s.reason IS NULL AND s.identity = d.identity
              AND s.name_protection_no = d.name_protection_no AND s.line_no > d.first_line"""
        )
        cur.execute(
            """INSERT INTO register_importrejection (run_id, line_no, reason, raw)
            SELECT %s, line_no, reason, coalesce(raw, '')
            FROM brygga_import_stage WHERE reason IS NOT NULL""",
            [run_id],
        )
        rejected = cur.rowcount
        cur.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'deregistered') "
            "FROM brygga_import_stage WHERE reason IS NULL"
        )
        accepted, deregistered = cur.fetchone()
        if "status" not in spec.owned_fields:
            deregistered = 0
        self._audit(cur, now)

        owned = list(spec.owned_fields)
        insert_columns = [
            "identity",
            "identity_kind",
            "name_protection_no",
            *COLUMNS,
            "search_text",
        ]
        sets = [f"{name} = EXCLUDED.{name}" for name in owned]
        if spec.owns_other_names:
            sets.append("search_text = EXCLUDED.search_text")
        sets += [f"{digest} = EXCLUDED.{digest}", "updated_at = EXCLUDED.updated_at"]
        other_digest = "scb_digest" if digest == "bolagsverket_digest" else "bolagsverket_digest"
        # A load that mostly adds companies (the first national import) builds the
        # search indexes once afterwards instead of row by row: several times
        # cheaper. The dropped indexes are part of the transaction; until it
        # commits, other sessions wait for the company table.
        cur.execute("SELECT count(*) FROM register_company")
        existing = cur.fetchone()[0]
        rebuild_indexes = accepted >= BULK_MIN_ROWS and accepted > 2 * existing
        if rebuild_indexes:
            for statement in BULK_INDEXES_DROP:
                cur.execute(statement)
        cur.execute("DROP TABLE IF EXISTS brygga_import_changed")
        cur.execute(
            "CREATE TEMP TABLE brygga_import_changed (id bigint, inserted boolean, identity text, "
            "name_protection_no integer) ON COMMIT DROP"
        )
        cur.execute(
            sql(
                """WITH up AS (
                INSERT INTO register_company ({columns}, {digest}, {other_digest},
                                              created_at, updated_at, created_by_import_id)
                SELECT {columns}, digest, '', %(now)s, %(now)s, %(run)s
                FROM brygga_import_stage WHERE reason IS NULL
                ON CONFLICT (identity, name_protection_no) DO UPDATE SET {sets}
                WHERE register_company.{digest} IS DISTINCT FROM EXCLUDED.{digest}
                RETURNING id, (xmax = 0) AS inserted, identity, name_protection_no
                )
                INSERT INTO brygga_import_changed SELECT * FROM up""",
                columns=", ".join(insert_columns),
                digest=digest,
                other_digest=other_digest,
                sets=", ".join(sets),
            ),
            {"now": now, "run": run_id},
        )
        cur.execute(
            "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
            "FROM brygga_import_changed"
        )
        created, updated = cur.fetchone()
        if rebuild_indexes:
            # CREATE INDEX waits for no deferred check: run the pending FK checks
            # now (they would run at commit), then defer again as Django expects.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for statement in BULK_INDEXES_CREATE:
                cur.execute(statement)
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
        if spec.owns_other_names or spec.owns_sni:
            cur.execute("ANALYZE brygga_import_changed")
        if spec.owns_other_names:
            cur.execute(
                "DELETE FROM register_companyname WHERE company_id IN "
                "(SELECT id FROM brygga_import_changed WHERE NOT inserted)"
            )
            cur.execute(
                """INSERT INTO register_companyname (company_id, name, kind, registered_on)
                SELECT c.id, e->>0, e->>1, (e->>2)::date
                FROM brygga_import_changed c
                JOIN brygga_import_stage s USING (identity, name_protection_no)
                CROSS JOIN LATERAL jsonb_array_elements(s.other_names) e
                WHERE s.reason IS NULL AND s.other_names <> '[]'::jsonb"""
            )
        if spec.owns_sni:
            cur.execute(
                "DELETE FROM register_snicode WHERE system = %s AND company_id IN "
                "(SELECT id FROM brygga_import_changed WHERE NOT inserted)",
                [spec.sni_system],
            )
            cur.execute(
                """INSERT INTO register_snicode (company_id, system, code, position)
                SELECT c.id, %s, u.code, u.ord - 1
                FROM brygga_import_changed c
                JOIN brygga_import_stage s USING (identity, name_protection_no)
                CROSS JOIN LATERAL unnest(s.sni_codes) WITH ORDINALITY AS u(code, ord)
                WHERE s.reason IS NULL""",
                [spec.sni_system],
            )
        cur.close()
        self.counts = Counts(
            created=created,
            updated=updated,
            unchanged=accepted - created - updated,
            deregistered=deregistered,
            rejected=rejected,
        )
        return self.counts

    def _audit(self, cur: Any, now: Any) -> None:
        """Old and new values of every changed company, before the upsert overwrites them."""
        spec = self.spec
        pairs = [
            f"'{name}', CASE WHEN c.{name} IS DISTINCT FROM s.{name} "
            f"THEN jsonb_build_array(c.{name}, s.{name}) END"
            for name in spec.owned_fields
        ]
        if spec.owns_other_names:
            pairs.append(
                "'other_names', (SELECT CASE WHEN o.old IS DISTINCT FROM o.new "
                "THEN jsonb_build_array(o.old, o.new) END FROM (SELECT "
                "(SELECT coalesce(jsonb_agg(n.name ORDER BY n.name), '[]'::jsonb) "
                " FROM register_companyname n WHERE n.company_id = c.id) AS old, "
                "(SELECT coalesce(jsonb_agg(e->>0 ORDER BY e->>0), '[]'::jsonb) "
                " FROM jsonb_array_elements(s.other_names) e) AS new) o)"
            )
        if spec.owns_sni:
            pairs.append(
                "'sni_codes', (SELECT CASE WHEN o.old IS DISTINCT FROM o.new "
                "THEN jsonb_build_array(o.old, o.new) END FROM (SELECT "
                "(SELECT coalesce(jsonb_agg(x.code ORDER BY x.position), '[]'::jsonb) "
                " FROM register_snicode x WHERE x.company_id = c.id AND x.system = %(system)s) "
                " AS old, to_jsonb(coalesce(s.sni_codes, '{}'::text[])) AS new) o)"
            )
        # jsonb_build_object takes at most 100 arguments; owned fields stay far below.
        cur.execute(
            sql(
                """INSERT INTO core_auditentry
                (at, actor_id, via, action, subject_type, subject_id, subject_repr,
                 parent_type, parent_id, changes)
            SELECT %(now)s, NULL, %(via)s, 'update', 'register.company', c.id::text,
                   left(c.name, 200), '', '', ch.changes
            FROM brygga_import_stage s
            JOIN register_company c
              ON c.identity = s.identity AND c.name_protection_no = s.name_protection_no
            CROSS JOIN LATERAL (SELECT jsonb_strip_nulls(jsonb_build_object({pairs}))
                                AS changes) ch
            WHERE s.reason IS NULL AND c.{digest} IS DISTINCT FROM s.digest
              AND ch.changes <> '{{}}'::jsonb""",
                pairs=", ".join(pairs),
                digest=spec.digest_field,
            ),
            {"now": now, "via": self.via, "system": spec.sni_system},
        )

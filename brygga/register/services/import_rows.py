"""Writing parsed records in chunks: the import path for SQLite (and any non-PostgreSQL).

Per chunk of a few thousand records: one query finds which keys exist and their
digest, new companies go in with one ``executemany``, unchanged ones are only
counted, and the few that changed are loaded, compared, updated and audited.
Nothing is kept per row across chunks except a temporary table of keys seen,
which catches duplicates within the file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import connection
from django.utils import timezone

from brygga.core.audit import diff, snapshot
from brygga.core.models import AuditEntry
from brygga.register.importers.records import (
    COLUMN_DEFAULTS,
    COLUMNS,
    Parser,
    Record,
    Rejection,
    int_key,
    parse_or_reject,
)
from brygga.register.models import Company, CompanyName, ImportRejection, ImportRun, SniCode
from brygga.register.search_text import company_search_text


def found_key(key: tuple[str, int] | None) -> tuple[str, int]:
    assert key is not None  # only called for keys found in the database
    return key


CHUNK_SIZE = 2000
REJECTION_BATCH = 500
SEEN_TABLE = "brygga_import_seen"
SQLITE_CACHE_KB = 64 * 1024


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deregistered: int = 0
    rejected: int = 0


def duplicate_reason(first_line: int) -> str:
    return f"dubblett: samma identitet och namnskyddslöpnummer som rad {first_line}"


def other_names_display(names: list[tuple[str, str, dt.date | None]]) -> list[str]:
    return sorted(name for name, _kind, _date in names)


@dataclass(frozen=True)
class Filter:
    """Keep only the municipality's companies: a postal code OR a town must match."""

    postal_codes: frozenset[str] = frozenset()
    towns: frozenset[str] = frozenset()  # case-folded

    @property
    def active(self) -> bool:
        return bool(self.postal_codes or self.towns)

    def keeps(self, record: Record) -> bool:
        return (
            record.values.get("postal_code") in self.postal_codes
            or str(record.values.get("postal_town", "")).casefold() in self.towns
        )


# A company to insert: line number, key, deregistered?, the column values from
# ``identity`` to ``scb_digest`` (the insert adds id and the run's columns), other
# names as (name, kind, ISO date), SNI codes, and the raw line for a duplicate.
NewRow = tuple[int, tuple[str, int], bool, list[Any], list[tuple[Any, ...]], list[str], str]


def new_row(record: Record, digest_field: str) -> NewRow:
    """What inserting ``record`` as a new company writes; pure (runs in workers)."""
    values = record.values
    row: list[Any] = [record.identity, record.identity_kind, record.name_protection_no]
    for name, default in COLUMN_DEFAULTS.items():
        value = values.get(name, default)
        row.append(value.isoformat() if isinstance(value, dt.date) else value)
    row.append(company_search_text(values["name"], [n[0] for n in record.other_names]))
    bolagsverket = digest_field == "bolagsverket_digest"
    row.append(record.digest if bolagsverket else "")
    row.append("" if bolagsverket else record.digest)
    names = [(n, k, d.isoformat() if d else None) for n, k, d in record.other_names]
    return (
        record.line_no,
        record.key,
        record.deregistered,
        row,
        names,
        record.sni_codes,
        record.raw,
    )


@dataclass
class NewRowsChunk:
    rows: list[NewRow]
    rejections: list[Rejection]
    filtered_out: int


def new_rows_chunk(
    parser: Parser, filter: Filter, digest_field: str, lines: list[tuple[int, str]]
) -> NewRowsChunk:
    """Parse lines bound for an empty register into rows to insert (pure)."""
    chunk = NewRowsChunk([], [], 0)
    for line_no, line in lines:
        item = parse_or_reject(parser, line_no, line)
        if isinstance(item, Rejection):
            chunk.rejections.append(item)
        elif filter.active and not filter.keeps(item):
            chunk.filtered_out += 1
        else:
            chunk.rows.append(new_row(item, digest_field))
    return chunk


class WriterBase:
    """Counting and filtering shared by both writers."""

    def __init__(self, *, run: ImportRun, parser: Parser, filter: Filter) -> None:
        self.run = run
        self.parser = parser
        self.spec = parser.spec
        self.filter = filter
        self.via = f"import #{run.pk}"
        self.counts = Counts()
        self.rows_read = 0
        self.filtered_out = 0

    def parse(self, line_no: int, line: str) -> Record | Rejection:
        return parse_or_reject(self.parser, line_no, line)

    def keep(self, item: Record | Rejection) -> Record | None:
        """The record to write, or None for a rejection (recorded) or a filtered row."""
        if isinstance(item, Rejection):
            self.rows_read += 1
            self.reject(item)
            return None
        if self.filter.active and not self.filter.keeps(item):
            self.filtered_out += 1
            return None
        self.rows_read += 1
        return item

    def reject(self, rejection: Rejection) -> None:
        raise NotImplementedError

    def abort(self, exc: BaseException) -> None:
        """Called when the run fails midway, before the transaction rolls back."""


class ChunkedWriter(WriterBase):
    def __init__(self, *, run: ImportRun, parser: Parser, filter: Filter) -> None:
        super().__init__(run=run, parser=parser, filter=filter)
        self.rejections: list[ImportRejection] = []
        self.cursor = connection.cursor()
        quote = connection.ops.quote_name
        if connection.vendor == "sqlite":
            # The default 2 MB page cache makes every index insert a disk read once
            # the register outgrows it; 64 MB holds a national-size index's hot pages.
            self.cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
        self.cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {SEEN_TABLE} "
            "(key INTEGER PRIMARY KEY, line_no INTEGER NOT NULL)"
        )
        self.cursor.execute(f"DELETE FROM {SEEN_TABLE}")  # noqa: S608  (a constant)
        # On SQLite the import assigns company ids itself, after the highest ever
        # used (AUTOINCREMENT's sqlite_sequence): the transaction holds the only
        # write lock, and knowing the ids saves reading them back for other names.
        self.next_id: int | None = None
        if connection.vendor == "sqlite":
            self.cursor.execute(
                "SELECT max(coalesce((SELECT max(id) FROM register_company), 0), "
                "coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'register_company'), 0))"
            )
            self.next_id = int(self.cursor.fetchone()[0]) + 1
        # An empty register (the first import) needs no lookups of existing keys:
        # every key is new, and repeats within the file are caught by SEEN_TABLE.
        self.cursor.execute("SELECT EXISTS (SELECT 1 FROM register_company)")
        self.register_was_empty = not self.cursor.fetchone()[0]
        insert_columns = [
            *(["id"] if self.next_id is not None else []),
            "identity",
            "identity_kind",
            "name_protection_no",
            *COLUMNS,
            "search_text",
            "bolagsverket_digest",
            "scb_digest",
            "created_at",
            "updated_at",
            "created_by_import_id",
        ]
        self.insert_sql = (
            f"INSERT INTO {quote(Company._meta.db_table)} "  # noqa: S608  (model names only)
            f"({', '.join(quote(c) for c in insert_columns)}) "
            f"VALUES ({', '.join(['%s'] * len(insert_columns))})"
        )
        self.tracks_status = "status" in self.spec.owned_fields

    # -- input ---------------------------------------------------------------

    def write_lines(self, lines: list[tuple[int, str]]) -> None:
        """A chunk of raw data lines. Lines whose digest equals the stored one are
        counted unchanged without being parsed: the same line was valid before."""
        if not lines:
            return
        parser = self.parser
        existing: dict[tuple[str, int], tuple[int, str, str]] = {}
        quick: list[tuple[str, int] | None] = [None] * len(lines)
        if not self.filter.active and not self.register_was_empty:
            quick = [parser.quick_key(line) for _no, line in lines]
            existing = self._existing({k[0] for k in quick if k is not None})
        items: list[tuple[int, tuple[str, int], Record | None, bool]] = []
        for (line_no, line), key in zip(lines, quick, strict=True):
            found = existing.get(key) if key is not None else None
            if found is not None and found[1] == parser.digest(line):
                self.rows_read += 1
                dereg = self.tracks_status and found[2] == Company.Status.DEREGISTERED
                items.append((line_no, found_key(key), None, dereg))
                continue
            record = self.keep(self.parse(line_no, line))
            if record is not None:
                items.append((line_no, record.key, record, record.deregistered))
        self._write(items, existing)

    def write_items(self, parsed: list[Record | Rejection]) -> None:
        """A chunk of records parsed elsewhere (spreadsheet rows)."""
        items: list[tuple[int, tuple[str, int], Record | None, bool]] = []
        for item in parsed:
            record = self.keep(item)
            if record is not None:
                items.append((record.line_no, record.key, record, record.deregistered))
        self._write(items, {})

    def prepare_function(self) -> Callable[[list[tuple[int, str]]], NewRowsChunk] | None:
        """For an empty register, the pure parsing step (to run in workers); else None,
        since then each chunk is first compared with the database."""
        if not self.register_was_empty:
            return None
        return partial(new_rows_chunk, self.parser, self.filter, self.spec.digest_field)

    def write_prepared(self, chunk: NewRowsChunk) -> None:
        self.rows_read += len(chunk.rows) + len(chunk.rejections)
        self.filtered_out += chunk.filtered_out
        for rejection in chunk.rejections:
            self.reject(rejection)
        first_lines = self._first_lines([(line_no, key) for line_no, key, *_ in chunk.rows])
        rows = chunk.rows
        if first_lines:
            rows = self._drop_repeats(rows, first_lines)
        self.counts.deregistered += sum(1 for row in rows if row[2]) if self.tracks_status else 0
        self._insert(rows)

    def reject(self, rejection: Rejection) -> None:
        self.counts.rejected += 1
        self.rejections.append(
            ImportRejection(
                run=self.run,
                line_no=rejection.line_no,
                reason=rejection.reason[:300],
                raw=rejection.raw,
            )
        )
        if len(self.rejections) >= REJECTION_BATCH:
            ImportRejection.objects.bulk_create(self.rejections)
            self.rejections = []

    def finish(self) -> Counts:
        if self.rejections:
            ImportRejection.objects.bulk_create(self.rejections)
            self.rejections = []
        self.cursor.execute(f"DROP TABLE IF EXISTS {SEEN_TABLE}")
        return self.counts

    # -- one chunk -------------------------------------------------------------

    def _write(
        self,
        items: list[tuple[int, tuple[str, int], Record | None, bool]],
        existing: dict[tuple[str, int], tuple[int, str, str]],
    ) -> None:
        items = self._without_duplicates(items)
        missing = {key[0] for _no, key, record, _d in items if record and key not in existing}
        if missing and not self.register_was_empty:
            existing.update(self._existing(missing))
        new: list[Record] = []
        changed: dict[int, Record] = {}
        for _line_no, key, record, deregistered in items:
            if deregistered:
                self.counts.deregistered += 1
            if record is None:
                self.counts.unchanged += 1
                continue
            found = existing.get(key)
            if found is None:
                new.append(record)
            elif found[1] == record.digest:
                self.counts.unchanged += 1
            else:
                changed[found[0]] = record
        if new:
            self._create(new)
        if changed:
            self._update(changed)

    def _without_duplicates(
        self, items: list[tuple[int, tuple[str, int], Record | None, bool]]
    ) -> list[tuple[int, tuple[str, int], Record | None, bool]]:
        """Drop (and reject) lines whose key came earlier in the file; the first one wins."""
        first_lines = self._first_lines([(line_no, key) for line_no, key, _r, _d in items])
        if not first_lines:
            return items
        kept = []
        for item in items:
            line_no, key, record, _d = item
            first_line = first_lines[int_key(*key)]
            if first_line != line_no:
                raw = record.raw if record is not None else ""
                self.reject(Rejection(line_no, duplicate_reason(first_line), raw))
                continue
            kept.append(item)
        return kept

    def _drop_repeats(self, rows: list[NewRow], first_lines: dict[int, int]) -> list[NewRow]:
        kept = []
        for row in rows:
            first_line = first_lines[int_key(*row[1])]
            if first_line != row[0]:
                self.reject(Rejection(row[0], duplicate_reason(first_line), row[6]))
                continue
            kept.append(row)
        return kept

    def _first_lines(self, keyed: list[tuple[int, tuple[str, int]]]) -> dict[int, int]:
        """Record keys in SEEN_TABLE; ``{int key: first line}`` when any came before, else {}.

        Every key goes into the table with its line number, ignoring keys already
        there; only when fewer rows went in than were offered (rare) is the table
        read back to find which lines were the repeats.
        """
        if not keyed:
            return {}
        numbered = [(int_key(*key), line_no) for line_no, key in keyed]
        raw_connection = connection.connection
        before = getattr(raw_connection, "total_changes", None)
        self.cursor.executemany(
            f"INSERT INTO {SEEN_TABLE} (key, line_no) VALUES (%s, %s) "  # noqa: S608
            "ON CONFLICT (key) DO NOTHING",
            numbered,
        )
        if before is not None and raw_connection.total_changes - before == len(numbered):
            return {}
        keys = list({number for number, _line in numbered})
        self.cursor.execute(
            f"SELECT key, line_no FROM {SEEN_TABLE} "  # noqa: S608
            f"WHERE key IN ({', '.join(['%s'] * len(keys))})",
            keys,
        )
        first_lines: dict[int, int] = dict(self.cursor.fetchall())
        return first_lines

    def _existing(self, identities: set[str]) -> dict[tuple[str, int], tuple[int, str, str]]:
        """``{key: (id, digest, status)}`` of the companies with these identities."""
        if not identities:
            return {}
        # Raw SQL: the ORM's per-parameter preparation costs more than the lookup here.
        self.cursor.execute(
            f"SELECT id, identity, name_protection_no, {self.spec.digest_field}, status "  # noqa: S608
            f"FROM {Company._meta.db_table} "
            f"WHERE identity IN ({', '.join(['%s'] * len(identities))})",
            list(identities),
        )
        return {
            (identity, no): (pk, digest, status)
            for pk, identity, no, digest, status in self.cursor.fetchall()
        }

    def _create(self, records: list[Record]) -> None:
        digest_field = self.spec.digest_field
        self._insert([new_row(record, digest_field) for record in records])

    def _insert(self, rows: list[NewRow]) -> None:
        """Insert new companies with their other names and SNI codes."""
        if not rows:
            return
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        tail = (now, now, self.run.pk)
        next_id = self.next_id
        ids: dict[tuple[str, int], int] = {}
        values: list[list[Any]] = []
        for _line_no, key, _dereg, row, names, codes, _raw in rows:
            if next_id is None:
                values.append([*row, *tail])
                continue
            values.append([next_id, *row, *tail])
            if names or codes:
                ids[key] = next_id
            next_id += 1
        self.cursor.executemany(self.insert_sql, values)
        self.next_id = next_id
        self.counts.created += len(rows)
        extras = [row for row in rows if row[4] or row[5]]
        if not extras:
            return
        if next_id is None:
            found = self._existing({row[1][0] for row in extras})
            ids = {key: value[0] for key, value in found.items()}
        name_rows: list[tuple[Any, ...]] = []
        code_rows: list[tuple[Any, ...]] = []
        system = self.spec.sni_system
        for _line_no, key, _dereg, _row, names, codes, _raw in extras:
            pk = ids.get(key)
            if pk is None:
                continue
            name_rows.extend((pk, *name) for name in names)
            code_rows.extend((pk, system, code, i) for i, code in enumerate(codes))
        if name_rows:
            self.cursor.executemany(
                f"INSERT INTO {CompanyName._meta.db_table} "  # noqa: S608
                "(company_id, name, kind, registered_on) VALUES (%s, %s, %s, %s)",
                name_rows,
            )
        if code_rows:
            self.cursor.executemany(
                f"INSERT INTO {SniCode._meta.db_table} "  # noqa: S608
                "(company_id, system, code, position) VALUES (%s, %s, %s, %s)",
                code_rows,
            )

    def _update(self, changed: dict[int, Record]) -> None:
        spec = self.spec
        fields = list(spec.owned_fields)
        companies = Company.objects.in_bulk(list(changed))
        old_names: dict[int, list[tuple[str, str, dt.date | None]]] = defaultdict(list)
        old_codes: dict[int, list[str]] = defaultdict(list)
        if spec.owns_other_names:
            for company_id, n, k, d in CompanyName.objects.filter(
                company_id__in=list(changed)
            ).values_list("company_id", "name", "kind", "registered_on"):
                old_names[company_id].append((n, k, d))
        if spec.owns_sni:
            for company_id, code in (
                SniCode.objects.filter(company_id__in=list(changed), system=spec.sni_system)
                .order_by("position")
                .values_list("company_id", "code")
            ):
                old_codes[company_id].append(code)
        audits: list[AuditEntry] = []
        now = timezone.now()
        for pk, record in changed.items():
            company = companies[pk]
            new_values = {f: record.values.get(f, COLUMN_DEFAULTS[f]) for f in fields}
            changes = diff(snapshot(company, fields), new_values)
            for name, value in new_values.items():
                setattr(company, name, value)
            if spec.owns_other_names:
                before = other_names_display(old_names[pk])
                after = other_names_display(record.other_names)
                if before != after:
                    changes["other_names"] = [before, after]
                company.search_text = company_search_text(
                    company.name, [n[0] for n in record.other_names]
                )
            if spec.owns_sni and old_codes[pk] != record.sni_codes:
                changes["sni_codes"] = [old_codes[pk], record.sni_codes]
            setattr(company, spec.digest_field, record.digest)
            company.updated_at = now
            if changes:
                audits.append(
                    AuditEntry(
                        action=AuditEntry.Action.UPDATE,
                        via=self.via,
                        subject_type="register.company",
                        subject_id=str(pk),
                        subject_repr=str(company)[:200],
                        changes=changes,
                    )
                )
        update_fields = [*fields, spec.digest_field, "search_text", "updated_at"]
        Company.objects.bulk_update(companies.values(), update_fields, batch_size=500)
        if spec.owns_other_names:
            CompanyName.objects.filter(company_id__in=list(changed)).delete()
            CompanyName.objects.bulk_create(
                [
                    CompanyName(company_id=pk, name=n, kind=k, registered_on=d)
                    for pk, record in changed.items()
                    for n, k, d in record.other_names
                ]
            )
        if spec.owns_sni:
            SniCode.objects.filter(company_id__in=list(changed), system=spec.sni_system).delete()
            SniCode.objects.bulk_create(
                [
                    SniCode(company_id=pk, system=spec.sni_system, code=code, position=i)
                    for pk, record in changed.items()
                    for i, code in enumerate(record.sni_codes)
                ]
            )
        AuditEntry.objects.bulk_create(audits)
        self.counts.updated += len(changed)

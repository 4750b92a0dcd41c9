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
from dataclasses import dataclass
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
    RowError,
    int_key,
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
        try:
            return self.parser.parse_line(line_no, line)
        except RowError as exc:
            return Rejection(line_no, str(exc), line[:2000])

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
        insert_columns = [
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
        self.date_columns = {
            name
            for name in COLUMNS
            if getattr(Company._meta.get_field(name), "get_internal_type", str)() == "DateField"
        }
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
        if not self.filter.active:
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
        if missing:
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
        """Drop (and reject) lines whose key came earlier in the file; the first one wins.

        Every key goes into the table with its line number, ignoring keys already
        there; only when fewer rows went in than were offered (rare) is the table
        read back to find which lines were the repeats.
        """
        if not items:
            return items
        numbered = [(int_key(*key), line_no) for line_no, key, _r, _d in items]
        raw_connection = connection.connection
        before = getattr(raw_connection, "total_changes", None)
        self.cursor.executemany(
            f"INSERT INTO {SEEN_TABLE} (key, line_no) VALUES (%s, %s) "  # noqa: S608
            "ON CONFLICT (key) DO NOTHING",
            numbered,
        )
        if before is not None and raw_connection.total_changes - before == len(numbered):
            return items
        keys = list({number for number, _line in numbered})
        self.cursor.execute(
            f"SELECT key, line_no FROM {SEEN_TABLE} "  # noqa: S608
            f"WHERE key IN ({', '.join(['%s'] * len(keys))})",
            keys,
        )
        first_lines: dict[int, int] = dict(self.cursor.fetchall())
        kept = []
        for item, (number, line_no) in zip(items, numbered, strict=True):
            first_line = first_lines[number]
            if first_line != line_no:
                record = item[2]
                raw = record.raw if record is not None else ""
                self.reject(Rejection(line_no, duplicate_reason(first_line), raw))
                continue
            kept.append(item)
        return kept

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
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        adapt_date = connection.ops.adapt_datefield_value
        defaults = list(COLUMN_DEFAULTS.items())
        date_positions = [3 + i for i, name in enumerate(COLUMNS) if name in self.date_columns]
        bolagsverket = self.spec.digest_field == "bolagsverket_digest"
        tail = (now, now, self.run.pk)
        rows: list[list[Any]] = []
        for record in records:
            values = record.values
            row: list[Any] = [record.identity, record.identity_kind, record.name_protection_no]
            row.extend([values.get(name, default) for name, default in defaults])
            for i in date_positions:
                if row[i] is not None:
                    row[i] = adapt_date(row[i])
            others = [n[0] for n in record.other_names]
            row.append(company_search_text(values["name"], others))
            row.append(record.digest if bolagsverket else "")
            row.append("" if bolagsverket else record.digest)
            row.extend(tail)
            rows.append(row)
        self.cursor.executemany(self.insert_sql, rows)
        self.counts.created += len(records)
        extras = [r for r in records if r.other_names or r.sni_codes]
        if not extras:
            return
        ids = self._existing({r.identity for r in extras})
        names: list[tuple[Any, ...]] = []
        codes: list[tuple[Any, ...]] = []
        system = self.spec.sni_system
        for record in extras:
            found = ids.get(record.key)
            if found is None:
                continue
            pk = found[0]
            names.extend((pk, n, k, adapt_date(d) if d else None) for n, k, d in record.other_names)
            codes.extend((pk, system, code, i) for i, code in enumerate(record.sni_codes))
        if names:
            self.cursor.executemany(
                f"INSERT INTO {CompanyName._meta.db_table} "  # noqa: S608
                "(company_id, name, kind, registered_on) VALUES (%s, %s, %s, %s)",
                names,
            )
        if codes:
            self.cursor.executemany(
                f"INSERT INTO {SniCode._meta.db_table} "  # noqa: S608
                "(company_id, system, code, position) VALUES (%s, %s, %s, %s)",
                codes,
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

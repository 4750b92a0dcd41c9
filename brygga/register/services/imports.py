"""Importing the official bulk files and mapped extracts: one service for command and task.

A run reads its file as a stream, parses each line into a record or a rejection,
drops companies outside the municipality when a filter is set, and hands the rest
to a writer: set-based through a staging table on PostgreSQL, in chunks
elsewhere. The whole run is one transaction: it lands completely or not at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from django.core.cache import cache
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone

from brygga.register.importers.bolagsverket import BolagsverketParser
from brygga.register.importers.mapped import MappedParser, xlsx_rows
from brygga.register.importers.parallel import map_chunks, worker_count
from brygga.register.importers.reading import ImportFileError, LineReader, open_source
from brygga.register.importers.records import Parser, Record, Rejection
from brygga.register.models import ImportRun, SniCode
from brygga.register.search_index import search_index_bulk_writes
from brygga.register.services.import_rows import ChunkedWriter, Counts, Filter
from brygga.register.services.search_words import search_words_refresh_later
from brygga.register.versions import REGISTER_VERSION

ProgressCallback = Callable[[int, int], None]
BATCH_LINES = 2000
PROGRESS_CACHE_SECONDS = 0.5
SNI_SYSTEM_KEY = "sni_system"


class Writer(Protocol):
    rows_read: int
    filtered_out: int

    def write_lines(self, lines: list[tuple[int, str]]) -> None: ...

    def prepare_function(self) -> Callable[[list[tuple[int, str]]], Any] | None:
        """The pure part of write_lines (parsing), to run in worker processes; None
        when the writer must consult the database before it parses."""

    def write_prepared(self, prepared: Any) -> None: ...

    def write_items(self, parsed: list[Record | Rejection]) -> None: ...

    def finish(self) -> Counts: ...

    def abort(self, exc: BaseException) -> None: ...


def progress_cache_key(run_id: int) -> str:
    # The cache may be shared by several databases on one machine (tests, benchmarks).
    database = connection.settings_dict.get("NAME") or ""
    return f"register:import-progress:{database}:{run_id}"


def import_progress(run: ImportRun) -> dict[str, Any]:
    """The live progress of a running import (the transaction hides it from the database)."""
    data = cache.get(progress_cache_key(run.pk)) or {}
    return {
        "bytes_done": int(data.get("bytes_done", run.bytes_done)),
        "bytes_total": int(data.get("bytes_total", run.bytes_total)),
        "rows": int(data.get("rows", run.rows_read)),
        "phase": str(data.get("phase", "")),
    }


def normalise_postal_codes(codes: Iterable[str]) -> list[str]:
    return [c.replace(" ", "") for c in codes if c.strip()]


def normalise_towns(towns: Iterable[str]) -> list[str]:
    return [" ".join(t.split()) for t in towns if t.strip()]


def import_run_create(
    *,
    format: str,
    original_name: str,
    file: File[Any] | None = None,
    mapping: dict[str, str] | None = None,
    postal_codes: Iterable[str] = (),
    towns: Iterable[str] = (),
    sni_system: str = SniCode.System.SNI2007,
    created_by: Any = None,
) -> ImportRun:
    """Record a run (and store its uploaded file); running it is a separate step."""
    stored_mapping: dict[str, str] = dict(mapping or {})
    stored_mapping[SNI_SYSTEM_KEY] = str(sni_system)
    run = ImportRun(
        format=format,
        original_name=original_name[:255],
        mapping=stored_mapping,
        filter_postal_codes=normalise_postal_codes(postal_codes),
        filter_towns=normalise_towns(towns),
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )
    run.full_clean(exclude=["file"])
    if sni_system not in SniCode.System.values:
        raise ImportFileError(f"Okänt SNI-kodverk {sni_system!r}.")
    with transaction.atomic():
        run.save()
        if file is not None:
            run.file.save(Path(original_name).name, file, save=False)
            run.save(update_fields=["file"])
    return run


def import_run_claim(*, run_id: int) -> ImportRun | None:
    """Take a queued run for this worker; None when another worker took it already."""
    claimed = ImportRun.objects.filter(pk=run_id, state=ImportRun.State.QUEUED).update(
        state=ImportRun.State.RUNNING, started_at=timezone.now()
    )
    return ImportRun.objects.get(pk=run_id) if claimed else None


def build_parser(run: ImportRun) -> Parser:
    mapping = dict(run.mapping or {})
    sni_system = mapping.pop(SNI_SYSTEM_KEY, SniCode.System.SNI2007)
    if run.format == ImportRun.Format.BOLAGSVERKET:
        return BolagsverketParser()
    if run.format == ImportRun.Format.SCB:
        from brygga.register.importers.scb import ScbParser

        return ScbParser(sni_system=sni_system)
    if run.format == ImportRun.Format.CSV:
        return MappedParser(mapping=mapping, sni_system=sni_system)
    raise ImportFileError(f"Okänt format {run.format!r}.")


def make_writer(run: ImportRun, parser: Parser, filter: Filter) -> Writer:
    if connection.vendor == "postgresql":
        from brygga.register.services.import_postgres import PostgresWriter

        return PostgresWriter(run=run, parser=parser, filter=filter)
    return ChunkedWriter(run=run, parser=parser, filter=filter)


def import_run_execute(
    *, run: ImportRun, path: Path | str | None = None, on_progress: ProgressCallback | None = None
) -> ImportRun:
    """Run an import to the end. The run row records the outcome, also on failure.

    Raises :class:`ImportFileError` when the file as a whole cannot be imported;
    nothing of the run's rows is written then.
    """
    source_path = Path(path) if path is not None else Path(run.file.path)
    run.state = ImportRun.State.RUNNING
    run.started_at = timezone.now()
    run.error = ""
    run.save(update_fields=["state", "started_at", "error"])
    tracker = _Progress(run, on_progress)
    try:
        with transaction.atomic(), search_index_bulk_writes() as index_writes:
            try:
                counts, rows_read, filtered_out = _run(run, source_path, tracker)
            except BaseException as exc:
                if tracker.writer is not None:
                    tracker.writer.abort(exc)
                raise
            index_writes.rows_written = counts.created + counts.updated
            run.created = counts.created
            run.updated = counts.updated
            run.unchanged = counts.unchanged
            run.deregistered = counts.deregistered
            run.rejected = counts.rejected
            run.rows_read = rows_read
            run.filtered_out = filtered_out
            run.bytes_done = run.bytes_total
            run.state = ImportRun.State.DONE
            run.finished_at = timezone.now()
            run.save()
            if index_writes.rows_written:
                search_words_refresh_later()
            if counts.created or counts.updated or counts.deregistered:
                REGISTER_VERSION.changed()
    except Exception as exc:
        run.state = ImportRun.State.FAILED
        run.finished_at = timezone.now()
        run.error = (
            str(exc)
            if isinstance(exc, ImportFileError)
            else f"Oväntat fel, inget importerades: {type(exc).__name__}: {exc}"
        )[:2000]
        run.save(update_fields=["state", "finished_at", "error"])
        raise
    finally:
        cache.delete(progress_cache_key(run.pk))
    return run


def _run(run: ImportRun, path: Path, tracker: _Progress) -> tuple[Counts, int, int]:
    parser = build_parser(run)
    filter = Filter(
        postal_codes=frozenset(run.filter_postal_codes or []),
        towns=frozenset(t.casefold() for t in run.filter_towns or []),
    )
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        if not isinstance(parser, MappedParser):
            raise ImportFileError("XLSX-filer kan bara importeras med kolumnmappning (csv).")
        run.bytes_total = tracker.total = path.stat().st_size
        writer = tracker.writer = make_writer(run, parser, filter)
        batch: list[Record | Rejection] = []
        for item in parser.parse_rows(xlsx_rows(path)):
            batch.append(item)
            if len(batch) >= BATCH_LINES:
                writer.write_items(batch)
                batch = []
                tracker.update(writer.rows_read + writer.filtered_out)
        writer.write_items(batch)
        return _finish(writer, tracker)
    with open_source(path) as source:
        run.bytes_total = tracker.total = source.total_bytes
        run.save(update_fields=["bytes_total"])
        reader = LineReader(source.stream)
        tracker.reader = reader
        lines = iter(reader)
        for _line_no, line in lines:
            if line.strip():
                parser.read_header(line)
                break
        else:
            raise ImportFileError("Filen är tom.")
        writer = tracker.writer = make_writer(run, parser, filter)
        prepare = writer.prepare_function()
        if prepare is None:
            for chunk in _chunks(lines):
                writer.write_lines(chunk)
                tracker.update(writer.rows_read + writer.filtered_out)
        else:
            workers = worker_count(source.total_bytes)
            for prepared in map_chunks(prepare, _chunks(lines), workers=workers):
                writer.write_prepared(prepared)
                tracker.update(writer.rows_read + writer.filtered_out)
        return _finish(writer, tracker)


def _chunks(lines: Iterator[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    """Non-blank data lines in chunks of BATCH_LINES."""
    chunk: list[tuple[int, str]] = []
    for line_no, line in lines:
        if not line or line.isspace():
            continue
        chunk.append((line_no, line))
        if len(chunk) >= BATCH_LINES:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _finish(writer: Writer, tracker: _Progress) -> tuple[Counts, int, int]:
    tracker.update(writer.rows_read + writer.filtered_out, phase="writing")
    counts = writer.finish()
    tracker.done()
    return counts, writer.rows_read, writer.filtered_out


class _Progress:
    """Feeds the terminal's progress bar and the shared cache the staff page reads."""

    def __init__(self, run: ImportRun, callback: ProgressCallback | None) -> None:
        self.run = run
        self.callback = callback
        self.reader: LineReader | None = None
        self.writer: Writer | None = None
        self.total = 0
        self.last_cache = 0.0

    def update(self, rows: int, phase: str = "reading") -> None:
        done = self.reader.bytes_done if self.reader is not None else 0
        if self.callback is not None:
            self.callback(done, self.total)
        now = time.monotonic()
        if phase != "reading" or now - self.last_cache >= PROGRESS_CACHE_SECONDS:
            self.last_cache = now
            cache.set(
                progress_cache_key(self.run.pk),
                {"bytes_done": done, "bytes_total": self.total, "rows": rows, "phase": phase},
                timeout=24 * 3600,
            )

    def done(self) -> None:
        if self.callback is not None:
            self.callback(self.total, self.total)

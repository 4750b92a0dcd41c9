"""Reading a historic visit log (CSV or XLSX) into rows of raw cells.

What kind of file it is comes from its content, not its name: a zip (``PK``) is
read as XLSX with openpyxl in read-only mode, an old binary Excel file is refused
with a clear message, and anything else is read as CSV. CSV may be UTF-8 with or
without a BOM, UTF-16 with a BOM ("Unicode-text" from Excel), or Windows-1252 /
ISO-8859-1 (Swedish Excel's "CSV (semikolonavgränsad)"); the delimiter is whichever
of ``;``, ``,`` and tab the header line holds most of.

A quoted cell may hold line breaks (Alt+Enter in Excel), so a row may span several
lines; its line number is the line it starts on. A quote that is never closed
costs that one line (reported as unreadable) and reading goes on with the next
line, so a stray quote never swallows the rest of the file.

Nothing here touches the database: :mod:`brygga.visits.services.imports` turns the
rows into visits.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from brygga.register.importers.reading import SAMPLE_SIZE, detect_encoding

COLUMNS: tuple[str, ...] = ("org_number", "date", "kind", "staff", "notes", "topics")
REQUIRED: tuple[str, ...] = ("org_number", "date", "kind")
DELIMITERS = (";", ",", "\t")
# A quoted cell may span this many lines before its quote counts as broken.
MAX_ROW_LINES = 200

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class VisitImportError(ValueError):
    """The file as a whole cannot be imported; nothing is written."""


@dataclass(frozen=True)
class RawRow:
    """One data row: its first line in the file, its cells by column (``None`` for a
    column the file does not have), or why it could not be read at all."""

    line_no: int
    cells: tuple[Any, ...] = ()
    error: str = ""

    def cell(self, column: str) -> Any:
        return self.cells[COLUMNS.index(column)] if self.cells else None


@dataclass
class Table:
    format: str  # "csv" or "xlsx"
    rows: Iterator[RawRow]
    ignored_columns: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""


def sniff_format(head: bytes) -> str:
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE2_MAGIC):
        raise VisitImportError(
            "Filen är en äldre Excel-fil (.xls), som inte kan läsas. "
            "Spara den som .xlsx eller CSV och försök igen."
        )
    return "csv"


def open_table(stream: BinaryIO, name: str = "") -> Table:
    """The rows of ``stream`` (seekable, binary), read lazily.

    Raises :class:`VisitImportError` for a file that cannot be read at all: at once
    for a missing or wrong header, and while iterating for a damaged XLSX.
    """
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    fmt = sniff_format(head)
    if fmt == "csv" and name.lower().endswith(".xlsx"):
        raise VisitImportError("Filen heter .xlsx men är ingen XLSX-fil; den kan vara skadad.")
    if fmt == "xlsx":
        return _xlsx_table(stream)
    return _csv_table(stream)


def _header_indexes(names: list[str]) -> tuple[list[int | None], list[str], int]:
    """For each of :data:`COLUMNS`, its index in the header (or None); the columns
    the header has that are not ours; the header's width."""
    normalised = [_column_name(name) for name in names]
    indexes: list[int | None] = []
    for column in COLUMNS:
        found = [i for i, name in enumerate(normalised) if name == column]
        if len(found) > 1:
            raise VisitImportError(f"Kolumnen {column} finns flera gånger i rubrikraden.")
        indexes.append(found[0] if found else None)
    missing = [c for c, i in zip(COLUMNS, indexes, strict=True) if i is None and c in REQUIRED]
    if missing:
        raise VisitImportError(
            f"Rubrikraden saknar kolumnen/kolumnerna {', '.join(missing)}. "
            f"Första raden ska vara rubrikerna {','.join(COLUMNS)} (i valfri ordning; "
            "staff, notes och topics får saknas)."
        )
    ignored = [n.strip() for n in names if n.strip() and _column_name(n) not in COLUMNS]
    width = max((i for i, n in enumerate(names) if n.strip()), default=-1) + 1
    return indexes, ignored, width


def _column_name(name: str) -> str:
    return "_".join(name.replace("\ufeff", "").strip().casefold().replace("-", " ").split())


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _row(
    line_no: int, cells: list[Any] | tuple[Any, ...], indexes: list[int | None], width: int
) -> RawRow | None:
    """The row of ``cells``, or None for a blank one (not counted)."""
    if all(_blank(c) for c in cells):
        return None
    extra = [c for c in cells[width:] if not _blank(c)]
    if extra:
        return RawRow(
            line_no,
            error=f"raden har {width + len(extra)} fält eller fler, rubrikraden har {width}",
        )
    values = tuple(cells[i] if i is not None and i < len(cells) else None for i in indexes)
    return RawRow(line_no, values)


# --- CSV --------------------------------------------------------------------------


def _csv_table(stream: BinaryIO) -> Table:
    sample = stream.read(SAMPLE_SIZE)
    stream.seek(0)
    encoding = "utf-16" if sample.startswith(UTF16_BOMS) else detect_encoding(sample)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    lines = _numbered_lines(text)
    first = next((item for item in lines if item[1].strip()), None)
    if first is None:
        text.detach()
        raise VisitImportError("Filen är tom: den saknar rubrikrad och rader.")
    line_no, line = first
    header_text = _strip_newline(line).lstrip("\ufeff")
    delimiter = max(DELIMITERS, key=header_text.count)
    try:
        names = next(csv.reader([header_text], delimiter=delimiter))
    except (csv.Error, StopIteration):
        text.detach()
        raise VisitImportError(f"Rubrikraden (rad {line_no}) kunde inte läsas.") from None
    try:
        indexes, ignored, width = _header_indexes(names)
    except VisitImportError:
        text.detach()
        raise
    return Table(
        format="csv",
        rows=_csv_rows(text, lines, delimiter, indexes, width),
        ignored_columns=ignored,
        encoding=encoding,
        delimiter=delimiter,
    )


def _numbered_lines(text: io.TextIOWrapper) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text, start=1):
        yield number, line.replace("\x00", "")


def _strip_newline(line: str) -> str:
    return line.rstrip("\r\n")


def _still_quoted(line: str, delimiter: str, in_quotes: bool) -> bool:
    """Whether a quoted cell is still open at the end of ``line``, read the way the
    csv module reads it: a quote opens a cell only at the cell's start, ``""``
    inside a quoted cell is a literal quote."""
    field_start = not in_quotes
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if in_quotes:
            if ch == '"':
                if i + 1 < n and line[i + 1] == '"':
                    i += 2
                    continue
                in_quotes = False
        elif ch == '"' and field_start:
            in_quotes = True
            field_start = False
        else:
            field_start = ch == delimiter
        i += 1
    return in_quotes


def _records(lines: Iterator[tuple[int, str]], delimiter: str) -> Iterator[tuple[int, str | None]]:
    """(first line, text of one row) — or (line, None) for a line whose quote never
    closes; the lines after it are read again as rows of their own."""
    pushed_back: list[tuple[int, str]] = []

    def next_line() -> tuple[int, str] | None:
        if pushed_back:
            return pushed_back.pop()
        return next(lines, None)

    while (item := next_line()) is not None:
        line_no, line = item
        if '"' not in line or not _still_quoted(line, delimiter, False):
            yield line_no, _strip_newline(line)
            continue
        parts = [line]
        taken: list[tuple[int, str]] = []
        closed = False
        while len(parts) < MAX_ROW_LINES:
            following = next_line()
            if following is None:
                break
            taken.append(following)
            parts.append(following[1])
            if not _still_quoted(following[1], delimiter, True):
                closed = True
                break
        if closed:
            yield line_no, _strip_newline("".join(parts))
        else:
            yield line_no, None
            pushed_back.extend(reversed(taken))


def _csv_rows(
    text: io.TextIOWrapper,
    lines: Iterator[tuple[int, str]],
    delimiter: str,
    indexes: list[int | None],
    width: int,
) -> Iterator[RawRow]:
    try:
        for line_no, record in _records(lines, delimiter):
            if record is None:
                yield RawRow(line_no, error="ett citattecken stängs aldrig; raden kunde inte läsas")
                continue
            try:
                cells = next(csv.reader([record], delimiter=delimiter))
            except (csv.Error, StopIteration) as exc:
                if not record.strip():
                    continue
                yield RawRow(line_no, error=f"raden kunde inte läsas ({exc})")
                continue
            row = _row(line_no, cells, indexes, width)
            if row is not None:
                yield row
    finally:
        text.detach()


# --- XLSX -------------------------------------------------------------------------


def _xlsx_table(stream: BinaryIO) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        header = next((item for item in rows if not all(_blank(c) for c in item[1])), None)
        if header is None:
            workbook.close()
            raise VisitImportError("Kalkylbladet är tomt: det saknar rubrikrad och rader.")
        row_no, cells = header
    except VisitImportError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a file that is not XLSX
        raise VisitImportError(f"Filen kunde inte läsas som XLSX ({exc}).") from None
    names = ["" if c is None else str(c) for c in cells]
    try:
        indexes, ignored, width = _header_indexes(names)
    except VisitImportError as exc:
        workbook.close()
        raise VisitImportError(f"{exc} (rubrikraden är rad {row_no})") from None
    return Table(
        format="xlsx",
        rows=_xlsx_rows(workbook, rows, indexes, width),
        ignored_columns=ignored,
    )


def _xlsx_rows(
    workbook: Any,
    rows: Iterator[tuple[int, tuple[Any, ...]]],
    indexes: list[int | None],
    width: int,
) -> Iterator[RawRow]:
    try:
        while True:
            try:
                item = next(rows, None)
            except Exception as exc:  # a damaged sheet part
                raise VisitImportError(
                    f"Kalkylbladet är skadat ({exc}); inget importerades."
                ) from None
            if item is None:
                return
            row = _row(item[0], item[1], indexes, width)
            if row is not None:
                yield row
    finally:
        workbook.close()

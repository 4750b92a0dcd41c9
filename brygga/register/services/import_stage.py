"""COPY input for the PostgreSQL import's staging table, built from parsed lines.

Pure functions of the parsed records, so :func:`stage_chunk` also runs in the
parser worker processes (``importers/parallel.py``); the writer in
``import_postgres.py`` only streams the text into COPY.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from brygga.register.importers.records import (
    COLUMN_DEFAULTS,
    COLUMNS,
    Parser,
    Record,
    Rejection,
    parse_or_reject,
)
from brygga.register.search_text import company_search_text
from brygga.register.services.import_rows import Filter

STAGE_COLUMNS = (
    "line_no",
    "reason",
    "raw",
    "identity",
    "identity_kind",
    "name_protection_no",
    *COLUMNS,
    "search_text",
    "digest",
    "other_names",
    "sni_codes",
)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_DEFAULTS = tuple(COLUMN_DEFAULTS.items())
_PADDING = "\t\\N" * (len(STAGE_COLUMNS) - 3)


def _copy_value(value: Any) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _other_value(value: Any) -> str:
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def stage_line(item: Record | Rejection) -> str:
    """One line of the staging table's COPY input (STAGE_COLUMNS, text format)."""
    if isinstance(item, Rejection):
        return (
            f"{item.line_no}\t{_copy_value(item.reason[:300])}\t{_copy_value(item.raw)}{_PADDING}\n"
        )
    values = item.values
    other_names = item.other_names
    row = [values.get(name, default) for name, default in _DEFAULTS]
    row.append(company_search_text(values["name"], [n[0] for n in other_names]))
    if other_names:
        row.append(
            json.dumps(
                [[n, k, d.isoformat() if d else None] for n, k, d in other_names],
                ensure_ascii=False,
            )
        )
    else:
        row.append("[]")
    texts = "".join([v for v in row if type(v) is str])
    if "\\" in texts or "\t" in texts or "\n" in texts or "\r" in texts:
        fields = [_copy_value(v) for v in row]
    else:
        # The common case, nothing to escape: no function call per value.
        fields = [v if type(v) is str else "\\N" if v is None else _other_value(v) for v in row]
    # The digest is hex; SNI codes are validated digits (an array literal unquoted).
    return (
        f"{item.line_no}\t\\N\t\\N\t{item.identity}\t{item.identity_kind}\t"
        f"{item.name_protection_no}\t"
        + "\t".join(fields[:-1])
        + f"\t{item.digest}\t{fields[-1]}\t{{{','.join(item.sni_codes)}}}\n"
    )


@dataclass(frozen=True)
class StagedChunk:
    text: str
    rows_read: int
    filtered_out: int


def stage_chunk(parser: Parser, filter: Filter, lines: list[tuple[int, str]]) -> StagedChunk:
    """Parse lines into COPY input; pure, so it runs in worker processes too."""
    parts: list[str] = []
    rows_read = filtered_out = 0
    for line_no, line in lines:
        item = parse_or_reject(parser, line_no, line)
        if isinstance(item, Record) and filter.active and not filter.keeps(item):
            filtered_out += 1
            continue
        rows_read += 1
        parts.append(stage_line(item))
    return StagedChunk("".join(parts), rows_read, filtered_out)

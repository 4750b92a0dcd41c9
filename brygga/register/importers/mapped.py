"""Municipal extracts as CSV or XLSX, with the column names given by a mapping.

A mapping is ``field=Column`` pairs: ``org_number=Orgnr,name=Företagsnamn,sni=SNI1+SNI2``.
Such extracts come from SCB, so on an existing company they write only what SCB
owns (SNI codes, advertising block, size and contact details) and the SCB digest.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from brygga.register import identity as ident
from brygga.register.importers.reading import ImportFileError
from brygga.register.importers.records import (
    Record,
    Rejection,
    RowError,
    SourceSpec,
    check_lengths,
    fast_identity,
    line_digest,
    parse_date,
    sni_list,
    town_case,
)
from brygga.register.models import Company

MAPPABLE = (
    "org_number",
    "name_protection_no",
    "name",
    "legal_form",
    "street_address",
    "co_address",
    "postal_code",
    "postal_town",
    "registered_on",
    "sni",
    "advertising_block",
    "size_class",
    "employees",
    "phone",
    "email",
    "website",
)
REQUIRED_MAPPING = ("org_number", "name")
# Written on companies that exist already; the rest only when creating one.
SUPPLEMENTARY = ("advertising_block", "size_class", "employees", "phone", "email", "website")
FALSE_WORDS = {"", "0", "nej", "n", "no", "false", "falskt"}


def parse_mapping(text: str) -> dict[str, str]:
    """``"org_number=Orgnr, name=Namn"`` → ``{"org_number": "Orgnr", "name": "Namn"}``."""
    mapping: dict[str, str] = {}
    for pair in text.split(","):
        if not pair.strip():
            continue
        field, sep, column = pair.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not column:
            raise ImportFileError(f"Ogiltig mappning {pair.strip()!r}: skriv fält=Kolumn.")
        if field not in MAPPABLE:
            raise ImportFileError(
                f"Okänt fält {field!r} i mappningen; möjliga fält: {', '.join(MAPPABLE)}."
            )
        mapping[field] = column
    missing = [f for f in REQUIRED_MAPPING if f not in mapping]
    if missing:
        raise ImportFileError(f"Mappningen saknar {', '.join(missing)}.")
    return mapping


class MappedParser:
    """Rows of cells (from CSV or XLSX) → records, by the column mapping."""

    def __init__(self, *, mapping: dict[str, str], sni_system: str = "sni2007") -> None:
        missing = [f for f in REQUIRED_MAPPING if f not in mapping]
        if missing:
            raise ImportFileError(f"Mappningen saknar {', '.join(missing)}.")
        self.mapping = mapping
        owned = tuple(f for f in SUPPLEMENTARY if f in mapping)
        self.spec = SourceSpec(
            digest_field="scb_digest",
            owned_fields=owned,
            owns_other_names=False,
            owns_sni="sni" in mapping,
            sni_system=sni_system,
        )
        self.indexes: dict[str, list[int]] = {}
        self.width = 0
        self.delimiter = ";"
        # The same cells under another mapping are another source row.
        self.signature = json.dumps([sorted(mapping.items()), sni_system])

    def read_header(self, line: str) -> None:
        """A CSV header; the delimiter (``;``, ``,`` or tab) is the most frequent of them."""
        self.delimiter = max(";,\t", key=line.count)
        self.read_header_cells(next(csv.reader([line], delimiter=self.delimiter)))

    def quick_key(self, line: str) -> tuple[str, int] | None:
        return None

    def digest(self, line: str) -> str:
        return line_digest(f"{self.signature}\n{line}")

    def parse_line(self, line_no: int, line: str) -> Record:
        try:
            cells = next(csv.reader([line], delimiter=self.delimiter, strict=True))
        except csv.Error:
            raise RowError("felaktig rad: trasiga citattecken") from None
        return self._record(line_no, cells, line)

    def parse_rows(self, rows: Iterable[tuple[int, list[Any]]]) -> Iterator[Record | Rejection]:
        """Spreadsheet rows, the first being the header."""
        iterator = iter(rows)
        for _row_no, cells in iterator:
            if any(c not in (None, "") for c in cells):
                self.read_header_cells(["" if c is None else str(c) for c in cells])
                break
        else:
            raise ImportFileError("Kalkylbladet är tomt.")
        for row_no, cells in iterator:
            texts = [_cell_text(c) for c in cells]
            if not any(texts):
                continue
            texts += [""] * (self.width - len(texts))
            yield self.parse_cells(row_no, texts[: self.width], "\t".join(texts))

    def read_header_cells(self, names: list[str]) -> None:
        columns = {name.strip().lower(): i for i, name in enumerate(names) if name.strip()}
        self.width = len(names)
        unknown: list[str] = []
        for field, spec in self.mapping.items():
            wanted = [c.strip() for c in spec.split("+")] if field == "sni" else [spec.strip()]
            found = [columns.get(c.lower()) for c in wanted]
            unknown.extend(c for c, i in zip(wanted, found, strict=True) if i is None)
            self.indexes[field] = [i for i in found if i is not None]
        if unknown:
            raise ImportFileError(
                f"Kolumnen/kolumnerna {', '.join(unknown)} finns inte i filens rubrikrad."
            )

    def parse_cells(self, line_no: int, cells: list[str], raw: str) -> Record | Rejection:
        try:
            return self._record(line_no, cells, raw)
        except RowError as exc:
            return Rejection(line_no, str(exc), raw[:2000])

    def _cell(self, cells: list[str], field: str) -> str:
        indexes = self.indexes.get(field)
        return cells[indexes[0]].strip() if indexes else ""

    def _record(self, line_no: int, cells: list[str], raw: str) -> Record:
        if len(cells) != self.width:
            raise RowError(f"felaktig rad: {len(cells)} fält, ska vara {self.width}")
        try:
            identity = fast_identity(self._cell(cells, "org_number"))
        except ident.IdentityError as exc:
            raise RowError(str(exc)) from None
        protection = self._cell(cells, "name_protection_no")
        if protection and not (protection.isdigit() and len(protection) <= 6):
            raise RowError(f"ogiltigt namnskyddslöpnummer {protection!r}")
        name = " ".join(self._cell(cells, "name").split())
        if not name:
            raise RowError("namn saknas")
        sni_cells: list[str] = []
        for i in self.indexes.get("sni", []):
            sni_cells.extend(cells[i].replace(",", " ").split())
        sni_codes = sni_list(sni_cells)
        employees_raw = self._cell(cells, "employees").replace(" ", "")
        if employees_raw and not employees_raw.isdigit():
            raise RowError(f"ogiltigt antal anställda {employees_raw!r}")
        email = self._cell(cells, "email")
        if email and ("@" not in email or " " in email):
            raise RowError(f"ogiltig e-postadress {email!r}")
        postal_code = self._cell(cells, "postal_code").replace(" ", "")
        values: dict[str, Any] = {
            "name": name,
            "legal_form": self._cell(cells, "legal_form"),
            "status": Company.Status.ACTIVE.value,
            "registered_on": parse_date(self._cell(cells, "registered_on"), "registreringsdatum"),
            "street_address": self._cell(cells, "street_address"),
            "co_address": self._cell(cells, "co_address"),
            "postal_code": postal_code,
            "postal_town": town_case(self._cell(cells, "postal_town")),
            "advertising_block": self._cell(cells, "advertising_block").lower() not in FALSE_WORDS,
            "size_class": self._cell(cells, "size_class"),
            "employees": int(employees_raw) if employees_raw else None,
            "phone": self._cell(cells, "phone"),
            "email": email,
            "website": self._cell(cells, "website"),
        }
        check_lengths(values)
        return Record(
            line_no=line_no,
            identity=identity.digits,
            identity_kind=identity.kind,
            name_protection_no=int(protection or 0),
            values=values,
            sni_codes=sni_codes,
            digest=self.digest(raw),
            raw=raw,
        )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def xlsx_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """Rows of the first sheet, streamed (openpyxl's read-only mode)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not XLSX
        raise ImportFileError(f"Filen kunde inte läsas som XLSX: {exc}") from None
    try:
        sheet = workbook.worksheets[0]
        for row_no, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield row_no, list(row)
    finally:
        workbook.close()

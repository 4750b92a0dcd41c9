"""Property-based tests of the visit-log import: whatever a file holds, the import
either refuses the file as a whole (``VisitImportError``, nothing written) or reports
every data row exactly once, as created, duplicate or rejected."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from brygga.register.models import Company
from brygga.register.tests.companies_factory import orgnr
from brygga.visits.services.imports import VisitImportError, VisitImportReport, visits_import
from brygga.visits.tests.factories import make_visit

pytestmark = pytest.mark.django_db

COLUMNS = ["org_number", "date", "kind", "staff", "notes", "topics"]
KNOWN = orgnr(31)
HOSTILE = st.sampled_from(
    ['"', ",", ";", "\t", "\r", "\n", "\r\n", "-", "\x00", "\ufeff", "å", "\u202e", " ", "\x1c"]
)
TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
CELL = st.one_of(
    TEXT,
    st.lists(st.one_of(HOSTILE, TEXT), max_size=6).map("".join),
    st.sampled_from(
        [
            KNOWN,
            f"{KNOWN[:6]}-{KNOWN[6:]}",
            orgnr(32),
            "2024-01-01",
            "2024-02-30",
            "2099-01-01",
            "besök",
            "Lunch",
            "fika",
            "upphandling;glass",
            "Nils Utvecklare;x@y.se",
            "",
        ]
    ),
)
ROW = st.lists(CELL, min_size=6, max_size=6)
SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _setup() -> None:
    company, _created = Company.objects.get_or_create(
        identity=KNOWN, name_protection_no=0, defaults={"name": "Känd AB"}
    )
    if not company.visits.exists():
        make_visit([company], date=dt.date(2024, 1, 1))


def _check(report: VisitImportReport, *, lines: int) -> None:
    problems = report.rejected + report.duplicates
    assert report.created + len(problems) == report.rows
    assert report.summary_line == (
        f"created={report.created} duplicates={len(report.duplicates)} "
        f"rejected={len(report.rejected)}"
    )
    numbers = [p.line_no for p in problems]
    assert len(numbers) == len(set(numbers))
    assert all(1 < n <= lines for n in numbers)
    assert all(p.reason for p in problems)


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_are_refused_or_fully_reported(data: bytes) -> None:
    _setup()
    try:
        report = visits_import(source=io.BytesIO(data), name="x.csv")
    except VisitImportError as exc:
        assert str(exc)
        return
    _check(report, lines=max(1, data.count(b"\n") + data.count(b"\r") + 1))


@SETTINGS
@given(st.lists(st.lists(st.one_of(HOSTILE, TEXT), max_size=8).map("".join), max_size=8))
def test_any_text_after_a_good_header_is_fully_reported(body: list[str]) -> None:
    _setup()
    text = ",".join(COLUMNS) + "\n" + "\n".join(body)
    data = text.encode("utf-8", "surrogatepass")
    report = visits_import(source=io.BytesIO(data), name="x.csv")
    _check(report, lines=data.count(b"\n") + data.count(b"\r") + 1)


@SETTINGS
@given(
    st.lists(ROW, max_size=8),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_every_row_a_csv_writer_writes_is_counted_once(
    rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    _setup()
    rows = [[cell.replace("\x00", "") for cell in row] for row in rows]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding, "surrogatepass")

    report = visits_import(source=io.BytesIO(data), name="x.csv")

    assert report.rows == sum(1 for row in rows if any(cell.strip() for cell in row))
    _check(report, lines=out.getvalue().count("\n") + out.getvalue().count("\r") + 1)


XLSX_CELL = st.one_of(
    st.none(),
    # Printable (openpyxl refuses control characters), and no formulas: a formula
    # written by openpyxl has no cached value, so it reads back empty.
    CELL.map(lambda s: "".join(ch for ch in s if ch.isprintable()).lstrip("=")),
    st.integers(min_value=-(10**12), max_value=10**13),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.just(int(KNOWN)),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.lists(XLSX_CELL, min_size=0, max_size=7), max_size=6))
def test_any_spreadsheet_is_refused_or_fully_reported(rows: list[list[Any]]) -> None:
    _setup()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)

    try:
        report = visits_import(source=data, name="x.xlsx")
    except VisitImportError as exc:
        assert str(exc)
        return
    _check(report, lines=len(rows) + 1)
    non_blank = [r for r in rows if any(c is not None and str(c).strip() for c in r)]
    assert report.rows == len(non_blank)

"""Property-based tests: the parsers never crash and always report every line."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from brygga.register import identity as ident
from brygga.register.importers.bolagsverket import BolagsverketParser, _Dialect, _split_fields
from brygga.register.importers.mapped import MappedParser
from brygga.register.importers.reading import LineReader
from brygga.register.importers.records import Record, Rejection, fast_identity, parse_lines
from brygga.register.importers.scb import ScbParser
from brygga.register.services.import_rows import Filter
from brygga.register.services.import_stage import STAGE_COLUMNS, stage_chunk
from brygga.register.tests.data import files as f

QUIRKY = st.sampled_from(['"', ";", "$", "|", "\t", "\r", "-", "0", "9", "å", "\x00", "\ufeff"])
LINE = st.lists(st.one_of(QUIRKY, st.text(max_size=8)), max_size=40).map("".join)


def check(parser: object, header: str, body: list[str]) -> None:
    lines = [(1, header)] + [(i + 2, text) for i, text in enumerate(body)]
    results = list(parse_lines(parser, lines))  # type: ignore[arg-type]
    expected = [i + 2 for i, text in enumerate(body) if text.strip()]
    assert [r.line_no for r in results] == expected
    for result in results:
        assert isinstance(result, Record | Rejection)
        if isinstance(result, Rejection):
            assert result.reason
        else:
            assert result.name_protection_no >= 0 and result.values["name"]


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE.filter(lambda s: "\n" not in s), max_size=6))
def test_it_reports_every_bolagsverket_line_whatever_it_holds(body: list[str]) -> None:
    check(BolagsverketParser(), f.BV_HEADER, body)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.text(max_size=14), st.just(f.ORG_A)), min_size=5, max_size=5),
        max_size=6,
    )
)
def test_it_reports_every_quoted_bolagsverket_line(cells: list[list[str]]) -> None:
    body = [f.bv_row(c[0], c[1], registered=c[2], protection_no=c[3], address=c[4]) for c in cells]
    body = [line for line in body if "\n" not in line and "\r" not in line]
    check(BolagsverketParser(), f.BV_HEADER, body)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE.filter(lambda s: "\n" not in s), max_size=6))
def test_it_reports_every_scb_line_whatever_it_holds(body: list[str]) -> None:
    parser = ScbParser()
    check(parser, "\t".join(f.SCB_COLUMNS), body)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE.filter(lambda s: "\n" not in s), max_size=6))
def test_it_reports_every_mapped_csv_line(body: list[str]) -> None:
    parser = MappedParser(mapping={"org_number": "Orgnr", "name": "Namn", "sni": "SNI"})
    check(parser, "Orgnr;Namn;SNI", body)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_it_decodes_any_bytes_into_numbered_lines(data: bytes) -> None:
    reader = LineReader(io.BufferedReader(io.BytesIO(f.BV_HEADER.encode() + b"\n" + data)))
    lines = list(reader)
    assert [n for n, _ in lines] == list(range(1, len(lines) + 1))
    assert reader.bytes_done == len(f.BV_HEADER) + 1 + len(data)
    results = list(parse_lines(BolagsverketParser(), lines))
    assert all(isinstance(r, Record | Rejection) for r in results)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789- ", min_size=0, max_size=14))
def test_it_validates_identities_exactly_like_parse_identity(raw: str) -> None:
    try:
        expected: ident.Identity | str = ident.parse_identity(raw)
    except ident.IdentityError as exc:
        expected = str(exc)
    try:
        got: ident.Identity | str = fast_identity(raw)
    except ident.IdentityError as exc:
        got = str(exc)
    assert got == expected


FIELD = st.text(alphabet=st.sampled_from([*'ab å";$|\\\t', "Ö", "1"]), max_size=10)


@settings(max_examples=400, deadline=None)
@given(st.lists(FIELD, min_size=1, max_size=12), st.sampled_from(["all", "minimal"]))
def test_it_splits_fields_exactly_as_the_csv_module_reads_them(
    fields: list[str], quoting: str
) -> None:
    """The fast split for plain lines must never differ from the csv module."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=";",
        lineterminator="",
        quoting=csv.QUOTE_ALL if quoting == "all" else csv.QUOTE_MINIMAL,
    )
    writer.writerow(fields)
    line = buffer.getvalue()
    assert _split_fields(line) == next(csv.reader([line], _Dialect))


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE.filter(lambda s: "\n" not in s), min_size=1, max_size=6))
def test_it_stages_every_line_as_one_copy_row_with_every_column(body: list[str]) -> None:
    """Whatever a line holds, its COPY text is one line with one value per column."""
    parser = BolagsverketParser()
    parser.read_header(f.BV_HEADER)
    lines = [text for text in body if text and not text.isspace()]  # as the reader gives
    staged = stage_chunk(parser, Filter(), list(enumerate(lines, start=2)))
    rows = staged.text.split("\n")
    assert rows.pop() == ""
    assert len(rows) == staged.rows_read == len(lines)
    for row in rows:
        assert row.count("\t") == len(STAGE_COLUMNS) - 1
        assert "\r" not in row and "\x00" not in row

"""Importing Bolagsverket's bulk file through ``manage.py import_companies``."""

from __future__ import annotations

import datetime as dt
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from brygga.core.models import AuditEntry
from brygga.register.filters import CompanyFilters
from brygga.register.models import Company, CompanyName, ImportRejection, ImportRun
from brygga.register.selectors import company_list
from brygga.register.services.companies import company_create, company_update
from brygga.register.tests.data import files as f

DATA = Path(__file__).parent / "data"


def run_import(path: Path, *args: str) -> list[str]:
    out = StringIO()
    call_command(
        "import_companies",
        "--format",
        "bolagsverket",
        "--no-progress",
        str(path),
        *args,
        stdout=out,
        stderr=StringIO(),
    )
    return out.getvalue().splitlines()


def quirky_rows() -> list[str]:
    return [
        # 2: doubled quotes, | repeats, $ sub-fields, c/o address
        f.bv_row(
            f.ORG_A,
            'Mälarbygg "Stora" AB',
            names_extra=(
                "|Malar Construction Ltd$ANNATSPRAK-ORGNAM$2016-01-01"
                "|Mälarbygg HB$FORETAGSNAMN-ORGNAM$2005-01-01"
            ),
            address="Hamngatan 2$c/o Ek$MARIEFRED$645 30$SE-LAND",
        ),
        # 3, 4: a sole trader with two businesses under one personnummer
        f.bv_row(
            f.PNR, "Anderssons Snickeri", kind="PERSON-IDORG", protection_no="1", form="E-ORGFO"
        ),
        f.bv_row(
            f.PNR, "Anderssons Måleri", kind="PERSON-IDORG", protection_no="2", form="E-ORGFO"
        ),
        # 5: deregistered
        f.bv_row(f.ORG_B, "Gamla Kaféet AB", deregistered="2023-09-30", reason="AKEJH-AVORS"),
        # 6: wrong check digit
        f.bv_row(f.BAD_CHECK, "Felsiffran AB"),
        # 7: wrong field count
        '"5560000027$ORGNR-IDORG";"";"SE-LAND"',
        # 8: broken quoting
        '"5560000027$ORGNR-IDORG";"";"SE"-LAND";"x";"AB-ORGFO";"";"";"";"";"";""',
        # 9: impossible date
        f.bv_row(f.ORG_C, "Omöjligt Datum AB", registered="2021-02-30"),
        # 10: duplicate of line 2
        f.bv_row(f.ORG_A, "Mälarbygg igen AB"),
        # 11: missing name
        f.bv_row(f.ORG_D, ""),
        "",
        # 13: the municipality itself
        f.bv_row(
            f.KOMMUN,
            "Strängnäs kommun",
            form="K-ORGFO",
            address="Nygatan 10$$STRÄNGNÄS$64580$SE-LAND",
        ),
    ]


@pytest.mark.django_db
def test_it_imports_every_quirk_from_a_zip_with_bom_and_crlf(tmp_path: Path) -> None:
    text = f.bv_text(quirky_rows(), newline="\r\n")
    path = f.zipped(
        tmp_path / "bolagsverket.zip", "bolagsverket.txt", b"\xef\xbb\xbf" + text.encode()
    )

    lines = run_import(path)

    assert lines[-1] == "created=5 updated=0 unchanged=0 deregistered=1 rejected=6"
    assert "rad 6: felaktig kontrollsiffra i organisationsnummer" in lines
    assert any(line.startswith("rad 7: felaktig rad: 3 fält") for line in lines)
    assert any(line.startswith("rad 8: felaktig rad: trasiga citattecken") for line in lines)
    assert any(line.startswith("rad 9: omöjligt datum") for line in lines)
    assert any(line.startswith("rad 10: dubblett") and "rad 2" in line for line in lines)
    assert "rad 11: namn saknas" in lines

    bygg = Company.objects.get(identity=f.ORG_A)
    assert bygg.name == 'Mälarbygg "Stora" AB'
    assert bygg.legal_form == "AB"
    assert bygg.registration_country == "SE"
    assert (bygg.street_address, bygg.co_address) == ("Hamngatan 2", "c/o Ek")
    assert (bygg.postal_code, bygg.postal_town) == ("64530", "Mariefred")
    assert bygg.bolagsverket_digest
    assert sorted(bygg.other_names.values_list("name", "kind")) == [
        ("Malar Construction Ltd", "ANNATSPRAK"),
        ("Mälarbygg HB", "FORETAGSNAMN"),
    ]
    assert "malar construction ltd" in bygg.search_text
    assert 'mälarbygg "stora" ab' in bygg.search_text

    traders = Company.objects.filter(identity=f.PNR).order_by("name_protection_no")
    assert [(c.name_protection_no, c.identity_kind, c.name) for c in traders] == [
        (1, "pnr", "Anderssons Snickeri"),
        (2, "pnr", "Anderssons Måleri"),
    ]
    cafe = Company.objects.get(identity=f.ORG_B)
    assert cafe.status == Company.Status.DEREGISTERED
    assert cafe.deregistered_on == dt.date(2023, 9, 30)
    assert cafe.deregistration_reason == "AKEJH"

    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.DONE
    assert run.rows_read == 11
    assert list(run.rejections.values_list("line_no", flat=True)) == [6, 7, 8, 9, 10, 11]
    assert set(Company.objects.values_list("created_by_import", flat=True)) == {run.pk}
    assert not Company.objects.filter(identity__in=[f.BAD_CHECK, f.ORG_C, f.ORG_D]).exists()


@pytest.mark.django_db
def test_it_changes_nothing_when_the_same_file_comes_again(tmp_path: Path) -> None:
    path = f.write(tmp_path / "bv.txt", f.bv_text(quirky_rows()).encode())
    run_import(path)
    before = list(Company.objects.order_by("pk").values())
    audits = AuditEntry.objects.count()

    lines = run_import(path)

    assert lines[-1] == "created=0 updated=0 unchanged=5 deregistered=1 rejected=6"
    assert list(Company.objects.order_by("pk").values()) == before
    assert AuditEntry.objects.count() == audits
    assert ImportRejection.objects.filter(run=ImportRun.objects.latest("pk")).count() == 6


@pytest.mark.django_db
def test_it_updates_changed_rows_and_audits_old_and_new_values(tmp_path: Path) -> None:
    first = [
        f.bv_row(f.ORG_A, "Mälarbygg AB", names_extra="|Malar Ltd$ANNATSPRAK-ORGNAM$2016-01-01"),
        f.bv_row(f.ORG_B, "Kaféet AB"),
    ]
    run_import(f.write(tmp_path / "a.txt", f.bv_text(first).encode()))
    second = [
        f.bv_row(f.ORG_A, "Mälarbygg Nya AB"),
        f.bv_row(f.ORG_B, "Kaféet AB", deregistered="2024-01-31"),
    ]

    lines = run_import(f.write(tmp_path / "b.txt", f.bv_text(second).encode()))

    assert lines[-1] == "created=0 updated=2 unchanged=0 deregistered=1 rejected=0"
    run = ImportRun.objects.latest("pk")
    bygg = Company.objects.get(identity=f.ORG_A)
    assert bygg.name == "Mälarbygg Nya AB"
    assert not CompanyName.objects.filter(company=bygg).exists()
    assert bygg.search_text == "mälarbygg nya ab"
    entry = AuditEntry.objects.get(subject_type="register.company", subject_id=str(bygg.pk))
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.via == f"import #{run.pk}"
    assert entry.changes == {
        "name": ["Mälarbygg AB", "Mälarbygg Nya AB"],
        "other_names": [["Malar Ltd"], []],
    }
    cafe = Company.objects.get(identity=f.ORG_B)
    assert cafe.status == Company.Status.DEREGISTERED
    cafe_entry = AuditEntry.objects.get(subject_id=str(cafe.pk))
    assert cafe_entry.changes == {
        "deregistered_on": [None, "2024-01-31"],
        "status": ["active", "deregistered"],
    }


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["iso-8859-1", "cp1252"])
def test_it_reads_single_byte_encodings(tmp_path: Path, encoding: str) -> None:
    name = "Åkers Café \u2013 Öst AB" if encoding == "cp1252" else "Åkers Café Öst AB"
    path = f.write(tmp_path / "bv.txt", f.bv_text([f.bv_row(f.ORG_A, name)]).encode(encoding))

    lines = run_import(path)

    assert lines[-1] == "created=1 updated=0 unchanged=0 deregistered=0 rejected=0"
    assert Company.objects.get().name == name


@pytest.mark.django_db
def test_it_keeps_only_the_municipality_when_filtered(tmp_path: Path) -> None:
    rows = [
        f.bv_row(f.ORG_A, "I Strängnäs AB", address="Gatan 1$$STRÄNGNÄS$64530$SE-LAND"),
        f.bv_row(f.ORG_B, "I Mariefred AB", address="Gatan 2$$MARIEFRED$64730$SE-LAND"),
        f.bv_row(f.ORG_C, "I Stockholm AB", address="Gatan 3$$STOCKHOLM$11122$SE-LAND"),
        f.bv_row(f.BAD_CHECK, "Trasig AB", address="Gatan 4$$STOCKHOLM$11122$SE-LAND"),
    ]
    path = f.write(tmp_path / "bv.txt", f.bv_text(rows).encode())

    lines = run_import(path, "--postal-codes", "645 30", "--towns", "mariefred")

    assert lines[-1] == "created=2 updated=0 unchanged=0 deregistered=0 rejected=1"
    assert "filtered_out=1" in lines
    assert sorted(Company.objects.values_list("name", flat=True)) == [
        "I Mariefred AB",
        "I Strängnäs AB",
    ]


@pytest.mark.django_db
def test_it_refuses_a_file_that_is_not_in_bolagsverkets_format(tmp_path: Path) -> None:
    path = f.write(tmp_path / "scb.txt", f.scb_text([f.scb_row(PeOrgNr="16" + f.ORG_A)]).encode())

    with pytest.raises(CommandError, match="inte Bolagsverkets format"):
        run_import(path)

    assert not Company.objects.exists()
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.FAILED
    assert "Bolagsverkets format" in run.error


@pytest.mark.django_db
def test_it_writes_nothing_when_the_file_breaks_midway(tmp_path: Path) -> None:
    rows = [f.bv_row(f.org_number(i), f"Företag {i} AB {'x' * (i % 17)}") for i in range(6000)]
    data = f.bv_text(rows).encode()
    path = f.zipped(tmp_path / "bv.zip", "bv.txt", data)
    # Corrupt the compressed stream near its end: decompression fails only after
    # several chunks were written inside the transaction.
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[0]
    offset = info.header_offset + 30 + len(info.filename) + info.compress_size - 200
    for i in range(offset, offset + 64):
        raw[i] ^= 0xFF
    path.write_bytes(bytes(raw))

    with pytest.raises(CommandError, match="Filen är skadad efter rad"):
        run_import(path)

    assert not Company.objects.exists()
    assert not ImportRejection.objects.exists()
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.FAILED
    assert run.error.startswith("Filen är skadad efter rad")
    # It broke after several chunks had been written inside the transaction.
    assert int(run.error.split("efter rad ")[1].split()[0]) > 4000


@pytest.mark.django_db
def test_it_imports_the_sample_file() -> None:
    lines = run_import(DATA / "bolagsverket_sample.txt")

    assert lines[-1] == "created=4 updated=0 unchanged=0 deregistered=1 rejected=0"
    assert Company.objects.get(identity=f.KOMMUN).postal_town == "Strängnäs"


def found(q: str) -> list[str]:
    return [c.name for c in company_list(CompanyFilters(q=q))]


@pytest.mark.django_db
def test_it_keeps_the_name_search_in_step_with_imports_and_later_edits(tmp_path: Path) -> None:
    """On SQLite the import suspends the full-text index and rebuilds it at the end."""
    run_import(f.write(tmp_path / "a.txt", f.bv_text([f.bv_row(f.ORG_A, "Mälarbygg AB")]).encode()))
    assert found("mälarbygg") == ["Mälarbygg AB"]

    run_import(
        f.write(tmp_path / "b.txt", f.bv_text([f.bv_row(f.ORG_A, "Kvarnbacken AB")]).encode())
    )
    assert found("mälarbygg") == []
    assert found("kvarnback") == ["Kvarnbacken AB"]

    # After the import, single-row writes are indexed again as they happen.
    company = Company.objects.get(identity=f.ORG_A)
    company_update(company=company, data={"name": "Hamnkrogen AB"}, actor=None)
    assert found("hamnkrog") == ["Hamnkrogen AB"]
    assert found("kvarnback") == []


@pytest.mark.django_db
def test_it_keeps_the_name_search_when_an_import_fails(tmp_path: Path) -> None:
    run_import(f.write(tmp_path / "a.txt", f.bv_text([f.bv_row(f.ORG_A, "Mälarbygg AB")]).encode()))
    with pytest.raises(CommandError):
        run_import(f.write(tmp_path / "bad.txt", b"not;a;bolagsverket;file\r\n1;2;3;4\r\n"))

    company_create(identity=f.ORG_B, name="Strandcaféet AB", actor=None)
    assert found("strandcaf") == ["Strandcaféet AB"]
    assert found("mälarbygg") == ["Mälarbygg AB"]

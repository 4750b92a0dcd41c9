"""Importing SCB's business register file and mapped CSV/XLSX extracts."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from brygga.core.models import AuditEntry
from brygga.register.models import Company, ImportRun, SniCode
from brygga.register.tests.data import files as f

DATA = Path(__file__).parent / "data"


def run_import(fmt: str, path: Path, *args: str) -> list[str]:
    out = StringIO()
    call_command(
        "import_companies", "--format", fmt, "--no-progress", str(path), *args,
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    return out.getvalue().splitlines()


def codes(company: Company) -> list[tuple[str, str, int]]:
    return list(company.sni_codes.order_by("position").values_list("system", "code", "position"))


@pytest.mark.django_db
def test_it_adds_sni_codes_and_the_advertising_block_to_a_known_company(tmp_path: Path) -> None:
    run_import("bolagsverket", DATA / "bolagsverket_sample.txt")
    bygg = Company.objects.get(identity=f.ORG_A)
    name, street = bygg.name, bygg.street_address

    lines = run_import("scb", DATA / "scb_sample.txt")

    assert lines[-1] == "created=0 updated=1 unchanged=0 deregistered=0 rejected=0"
    bygg.refresh_from_db()
    assert codes(bygg) == [("sni2007", "41200", 0), ("sni2007", "43320", 1)]
    assert bygg.advertising_block is True
    # SCB never overwrites what Bolagsverket said.
    assert (bygg.name, bygg.street_address) == (name, street)
    assert bygg.scb_digest and bygg.bolagsverket_digest
    entry = AuditEntry.objects.get(subject_id=str(bygg.pk))
    assert entry.changes == {
        "advertising_block": [False, True],
        "sni_codes": [[], ["41200", "43320"]],
    }

    again = run_import("scb", DATA / "scb_sample.txt")

    assert again[-1] == "created=0 updated=0 unchanged=1 deregistered=0 rejected=0"
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db
def test_it_creates_unknown_companies_from_an_iso_8859_1_file(tmp_path: Path) -> None:
    rows = [
        f.scb_row(PeOrgNr="16" + f.ORG_B, Foretagsnamn="Åkers Bageri AB", Ng1="10710", Ng2="",
                  Ng3="47240", Gatuadress="Bruksgatan 4", PostNr="647 51",
                  PostOrt="ÅKERS STYCKEBRUK", RegDatKtid="19991231"),
        f.scb_row(PeOrgNr=f.PNR, Foretagsnamn="", Namn="Anders Andersson", JurForm="10",
                  Ng1="43320", Reklamsparrtyp="R"),
        f.scb_row(PeOrgNr="16" + f.BAD_CHECK, Foretagsnamn="Fel AB", Ng1="10710"),
        f.scb_row(PeOrgNr="16" + f.ORG_C, Foretagsnamn="Datumfel AB", RegDatKtid="20211331"),
        f.scb_row(PeOrgNr="16" + f.ORG_D, Foretagsnamn="Kodfel AB", Ng1="4A"),
        "för\tfå\tfält",
    ]  # fmt: skip
    path = f.write(tmp_path / "scb.txt", f.scb_text(rows).encode("iso-8859-1"))

    lines = run_import("scb", path, "--sni-system", "sni2025")

    assert lines[-1] == "created=2 updated=0 unchanged=0 deregistered=0 rejected=4"
    assert "rad 4: felaktig kontrollsiffra i organisationsnummer" in lines
    assert any(line.startswith("rad 5: omöjligt datum") for line in lines)
    assert "rad 6: ogiltig SNI-kod '4A'" in lines
    assert any(line.startswith("rad 7: felaktig rad: 3 fält") for line in lines)
    bageri = Company.objects.get(identity=f.ORG_B)
    assert bageri.name == "Åkers Bageri AB"
    assert (bageri.postal_code, bageri.postal_town) == ("64751", "Åkers styckebruk")
    assert bageri.legal_form == "AB"
    assert bageri.registered_on == dt.date(1999, 12, 31)
    assert codes(bageri) == [("sni2025", "10710", 0), ("sni2025", "47240", 1)]
    assert bageri.advertising_block is False
    trader = Company.objects.get(identity=f.PNR)
    assert trader.identity_kind == Company.IdentityKind.PERSONAL_NUMBER
    assert (trader.name, trader.legal_form, trader.advertising_block) == (
        "Anders Andersson",
        "E",
        True,
    )


@pytest.mark.django_db
def test_it_refuses_a_file_without_scb_columns(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="inte SCB:s format"):
        run_import("scb", DATA / "bolagsverket_sample.txt")
    assert not Company.objects.exists()
    assert ImportRun.objects.get().state == ImportRun.State.FAILED


@pytest.mark.django_db
def test_it_imports_a_mapped_csv_with_a_semicolon_and_cp1252(tmp_path: Path) -> None:
    text = (
        "Orgnr;Företagsnamn;Ort;Postnr;SNI 1;SNI 2;Anställda;E-post\r\n"
        f"{f.ORG_A[:6]}-{f.ORG_A[6:]};Mälarbygg \u2013 AB;Mariefred;647 30;41200;;12;"
        "info@malarbygg.se\r\n"
        f"{f.BAD_CHECK};Fel AB;Strängnäs;64530;;;;\r\n"
        f'{f.ORG_B};"Kafé ""Torget"" AB";Strängnäs;64530;56100;56210;x;\r\n'
    )
    path = f.write(tmp_path / "extrakt.csv", text.encode("cp1252"))
    mapping = (
        "org_number=Orgnr,name=Företagsnamn,postal_town=Ort,postal_code=Postnr,"
        "sni=SNI 1+SNI 2,employees=Anställda,email=E-post"
    )

    lines = run_import("csv", path, "--mapping", mapping)

    assert lines[-1] == "created=1 updated=0 unchanged=0 deregistered=0 rejected=2"
    assert "rad 4: ogiltigt antal anställda 'x'" in lines
    bygg = Company.objects.get(identity=f.ORG_A)
    assert (bygg.name, bygg.postal_code, bygg.employees) == ("Mälarbygg \u2013 AB", "64730", 12)
    assert codes(bygg) == [("sni2007", "41200", 0)]

    again = run_import("csv", path, "--mapping", mapping)
    assert again[-1] == "created=0 updated=0 unchanged=1 deregistered=0 rejected=2"


@pytest.mark.django_db
def test_it_imports_a_mapped_xlsx(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Organisationsnummer", "Namn", "Postort", "Reklamspärr"])
    sheet.append([int(f.ORG_A), "Mälarbygg AB", "Mariefred", "Ja"])
    sheet.append([f.ORG_B, "", "Strängnäs", ""])
    sheet.append([None, None, None, None])
    sheet.append([f.KOMMUN, "Strängnäs kommun", "Strängnäs", "nej"])
    path = tmp_path / "extrakt.xlsx"
    book.save(path)

    lines = run_import(
        "csv",
        path,
        "--mapping",
        "org_number=Organisationsnummer,name=Namn,postal_town=Postort,"
        "advertising_block=Reklamspärr",
        "--towns",
        "Mariefred",
    )

    assert lines[-1] == "created=1 updated=0 unchanged=0 deregistered=0 rejected=1"
    assert "filtered_out=1" in lines
    assert "rad 3: namn saknas" in lines
    assert Company.objects.get().advertising_block is True


@pytest.mark.django_db
def test_it_explains_a_mapping_that_does_not_fit_the_file(tmp_path: Path) -> None:
    path = f.write(tmp_path / "x.csv", b"Orgnr;Namn\r\n2120000365;Kommunen\r\n")

    with pytest.raises(CommandError, match="Kolumnen/kolumnerna Ort finns inte"):
        run_import("csv", path, "--mapping", "org_number=Orgnr,name=Namn,postal_town=Ort")
    with pytest.raises(CommandError, match="Mappningen saknar name"):
        run_import("csv", path, "--mapping", "org_number=Orgnr")
    assert not Company.objects.exists()
    assert not SniCode.objects.exists()

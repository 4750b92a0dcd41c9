"""Builders for small import files in the official formats, used by the import tests."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

BV_HEADER = (
    '"organisationsidentitet";"namnskyddslopnummer";"registreringsland";"organisationsnamn";'
    '"organisationsform";"avregistreringsdatum";"avregistreringsorsak";'
    '"pagandeAvvecklingsEllerOmstruktureringsforfarande";"registreringsdatum";'
    '"verksamhetsbeskrivning";"postadress"'
)
SCB_COLUMNS = [
    "ForAndrTyp", "COAdress", "Foretagsnamn", "FtgStat", "Gatuadress", "JEStat", "JurForm",
    "Namn", "Ng1", "Ng2", "Ng3", "Ng4", "Ng5", "PeOrgNr", "PostNr", "PostOrt", "RegDatKtid",
    "Reklamsparrtyp",
]  # fmt: skip

# Valid identities (Luhn): Strängnäs kommun and a few made-up companies.
KOMMUN = "2120000365"
ORG_A = "5560000001"
ORG_B = "5560000019"
ORG_C = "5560000027"
ORG_D = "5560000035"
PNR = "197501011238"
PNR_2 = "200501011233"
BAD_CHECK = "5560000002"


def q(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def bv_row(
    identity: str,
    name: str,
    *,
    kind: str = "ORGNR-IDORG",
    protection_no: str = "",
    names_extra: str = "",
    form: str = "AB-ORGFO",
    deregistered: str = "",
    reason: str = "",
    registered: str = "2010-05-01",
    description: str = "Verksamhet",
    address: str = "Storgatan 1$$STRÄNGNÄS$64530$SE-LAND",
) -> str:
    names = f"{name}$FORETAGSNAMN-ORGNAM$2010-05-01" + names_extra
    fields = [
        f"{identity}${kind}", protection_no, "SE-LAND", names, form, deregistered, reason, "",
        registered, description, address,
    ]  # fmt: skip
    return ";".join(q(f) for f in fields)


def bv_text(rows: list[str], *, newline: str = "\n") -> str:
    return newline.join([BV_HEADER, *rows]) + newline


def scb_row(**values: str) -> str:
    defaults = {"FtgStat": "1", "JEStat": "1", "JurForm": "49", "PostNr": "64530"}
    defaults.update(values)
    return "\t".join(defaults.get(column, "") for column in SCB_COLUMNS)


def scb_text(rows: list[str], *, newline: str = "\r\n") -> str:
    return newline.join(["\t".join(SCB_COLUMNS), *rows]) + newline


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def zipped(path: Path, member: str, data: bytes) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, data)
    path.write_bytes(buffer.getvalue())
    return path


def org_number(i: int) -> str:
    """A valid, made-up org number for row ``i`` (Luhn check digit)."""
    base = f"55{6000000 + i:07d}"
    total = 0
    for position, ch in enumerate(reversed(base)):
        digit = int(ch) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return base + str((10 - total % 10) % 10)

"""SCB's business register file: tab-separated, usually ISO-8859-1, columns by name.

``PeOrgNr`` is 12 digits: ``16`` + the org number, or a sole trader's personnummer
with its century. ``Ng1``-``Ng5`` are SNI codes, the first primary. On an existing
company SCB only adds SNI codes and the advertising block; its names and
addresses are used only to create companies Bolagsverket has not given us.
"""

from __future__ import annotations

from brygga.register import identity as ident
from brygga.register.importers.reading import ImportFileError
from brygga.register.importers.records import (
    Record,
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

REQUIRED = ("PeOrgNr", "Ng1")
SNI_COLUMNS = ("Ng1", "Ng2", "Ng3", "Ng4", "Ng5")
# SCB's JurForm codes for the common forms; others are kept as the code.
LEGAL_FORMS = {"10": "E", "31": "HB", "32": "KB", "49": "AB", "51": "EK", "61": "IF"}


class ScbParser:
    def __init__(self, *, sni_system: str = "sni2007") -> None:
        self.spec = SourceSpec(
            digest_field="scb_digest",
            owned_fields=("advertising_block",),
            owns_other_names=False,
            owns_sni=True,
            sni_system=sni_system,
        )
        self.columns: dict[str, int] = {}

    def read_header(self, line: str) -> None:
        self._read_header(line)

    def digest(self, line: str) -> str:
        return line_digest(f"{self.spec.sni_system}\t{line}")

    def quick_key(self, line: str) -> tuple[str, int] | None:
        index = self.columns["peorgnr"]
        fields = line.split("\t", index + 1)
        if len(fields) <= index:
            return None
        digits = fields[index].strip()
        if not digits.isdigit():
            return None
        if len(digits) == 12 and digits.startswith("16"):
            digits = digits[2:]
        return digits, 0

    def _read_header(self, line: str) -> None:
        names = [name.strip().strip('"') for name in line.split("\t")]
        self.columns = {name.lower(): i for i, name in enumerate(names) if name}
        missing = [name for name in REQUIRED if name.lower() not in self.columns]
        if missing or ("foretagsnamn" not in self.columns and "namn" not in self.columns):
            raise ImportFileError(
                "Filen har inte SCB:s format: rubrikraden ska vara tabbseparerad och innehålla "
                "PeOrgNr, Foretagsnamn eller Namn och Ng1-Ng5."
            )
        self.width = len(names)

    def _get(self, fields: list[str], name: str) -> str:
        index = self.columns.get(name.lower())
        return fields[index].strip() if index is not None else ""

    def parse_line(self, line_no: int, line: str) -> Record:
        fields = line.split("\t")
        if len(fields) != self.width:
            raise RowError(f"felaktig rad: {len(fields)} fält, ska vara {self.width}")
        try:
            identity = fast_identity(self._get(fields, "PeOrgNr"))
        except ident.IdentityError as exc:
            raise RowError(str(exc)) from None
        name = " ".join((self._get(fields, "Foretagsnamn") or self._get(fields, "Namn")).split())
        if not name:
            raise RowError("namn saknas")
        sni_codes = sni_list(self._get(fields, column) for column in SNI_COLUMNS)
        form = self._get(fields, "JurForm")
        postal_code = self._get(fields, "PostNr").replace(" ", "")
        if postal_code and not (postal_code.isdigit() and len(postal_code) == 5):
            raise RowError(f"ogiltigt postnummer {postal_code!r}")
        values = {
            "name": name,
            "legal_form": LEGAL_FORMS.get(form, form),
            "status": Company.Status.ACTIVE.value,
            "registered_on": parse_date(self._get(fields, "RegDatKtid"), "RegDatKtid"),
            "street_address": self._get(fields, "Gatuadress"),
            "co_address": self._get(fields, "COAdress"),
            "postal_code": postal_code,
            "postal_town": town_case(self._get(fields, "PostOrt")),
            "advertising_block": bool(self._get(fields, "Reklamsparrtyp")),
        }
        check_lengths(values)
        return Record(
            line_no=line_no,
            identity=identity.digits,
            identity_kind=identity.kind,
            name_protection_no=0,
            values=values,
            sni_codes=sni_codes,
            digest=self.digest(line),
            raw=line,
        )

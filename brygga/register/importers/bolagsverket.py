"""Bolagsverket's bulk file: ``;``-separated, every field quoted, ``$`` and ``|`` inside.

One physical line is one company. A field holding a line break would be a broken
line here, which is right: the published file has none, and treating every line
on its own keeps one bad quote from swallowing the rest of the file.
"""

from __future__ import annotations

import csv
from typing import Any

from brygga.register import identity as ident
from brygga.register.importers.reading import ImportFileError
from brygga.register.importers.records import (
    MAX_LENGTHS,
    OtherName,
    Record,
    RowError,
    SourceSpec,
    check_lengths,
    fast_identity,
    line_digest,
    parse_date,
    town_case,
)
from brygga.register.models import Company

HEADER = (
    "organisationsidentitet",
    "namnskyddslopnummer",
    "registreringsland",
    "organisationsnamn",
    "organisationsform",
    "avregistreringsdatum",
    "avregistreringsorsak",
    "pagandeAvvecklingsEllerOmstruktureringsforfarande",
    "registreringsdatum",
    "verksamhetsbeskrivning",
    "postadress",
)
FIELD_COUNT = len(HEADER)
MAIN_NAME_KIND = "FORETAGSNAMN-ORGNAM"

OWNED_FIELDS = (
    "name",
    "legal_form",
    "registration_country",
    "status",
    "deregistered_on",
    "deregistration_reason",
    "winding_up",
    "registered_on",
    "business_description",
    "street_address",
    "co_address",
    "postal_code",
    "postal_town",
)


class _Dialect(csv.Dialect):
    delimiter = ";"
    quotechar = '"'
    doublequote = True
    strict = True
    skipinitialspace = False
    lineterminator = "\n"
    quoting = csv.QUOTE_MINIMAL


# The text columns this parser fills that have a length limit.
_LIMITS = tuple(
    (name, MAX_LENGTHS[name]) for name in OWNED_FIELDS if name in MAX_LENGTHS and name != "status"
)


def _strip_suffix(value: str, suffix: str) -> str:
    return value[: -len(suffix)] if value.endswith(suffix) else value


def _split_fields(line: str) -> list[str]:
    """The fields of one line, as the csv module reads them.

    Nearly every line is ``"f1";"f2";…;"fn"`` with no quote inside a field: then
    splitting on ``";"`` gives the same fields several times faster. The quote
    count proves the shape (two per field, none inside); anything else, such as a
    doubled quote, goes through the csv module.
    """
    if len(line) > 1 and line[0] == '"' and line[-1] == '"':
        fields = line[1:-1].split('";"')
        if line.count('"') == 2 * len(fields):
            return fields
    try:
        return next(csv.reader([line], _Dialect))
    except csv.Error:
        raise RowError("felaktig rad: trasiga citattecken") from None


class BolagsverketParser:
    def __init__(self) -> None:
        self.spec = SourceSpec(
            digest_field="bolagsverket_digest",
            owned_fields=OWNED_FIELDS,
            owns_other_names=True,
            owns_sni=False,
            sni_system="",
        )

    def read_header(self, line: str) -> None:
        self._check_header(line)

    def digest(self, line: str) -> str:
        return line_digest(line)

    def quick_key(self, line: str) -> tuple[str, int] | None:
        # '"5566778899$ORGNR-IDORG";"2";…' - no validation: a key read here is only
        # trusted when the stored digest of that company equals this line's digest.
        end = line.find('"', 1)
        if not line.startswith('"') or end < 0 or line[end + 1 : end + 3] != ';"':
            return None
        digits = line[1:end].partition("$")[0]
        npn_end = line.find('"', end + 3)
        npn = line[end + 3 : npn_end]
        if npn_end < 0 or not digits.isdigit() or (npn and not npn.isdigit()):
            return None
        if len(digits) == 12 and digits.startswith("16"):
            digits = digits[2:]
        return digits, int(npn or 0)

    def _check_header(self, line: str) -> None:
        try:
            fields = next(csv.reader([line], _Dialect))
        except csv.Error:
            fields = []
        if tuple(f.strip().lower() for f in fields) != tuple(h.lower() for h in HEADER):
            raise ImportFileError(
                "Filen har inte Bolagsverkets format: rubrikraden ska vara "
                + ";".join(HEADER)
                + "."
            )

    def parse_line(self, line_no: int, line: str) -> Record:
        fields = _split_fields(line)
        if len(fields) != FIELD_COUNT:
            raise RowError(f"felaktig rad: {len(fields)} fält, ska vara {FIELD_COUNT}")
        (
            identity_field,
            protection_no,
            country,
            names_field,
            form,
            deregistered,
            dereg_reason,
            winding_up,
            registered,
            description,
            address,
        ) = fields

        identity = self._identity(identity_field)
        protection_no = protection_no.strip()
        if not protection_no:
            name_protection_no = 0
        elif protection_no.isdigit() and len(protection_no) <= 6:
            name_protection_no = int(protection_no)
        else:
            raise RowError(f"ogiltigt namnskyddslöpnummer {protection_no!r}")

        name, other_names = self._names(names_field)
        deregistered_on = parse_date(deregistered, "avregistreringsdatum")
        street, co, town, postal_code = self._address(address)
        values: dict[str, Any] = {
            "name": name,
            "legal_form": _strip_suffix(form.split("$", 1)[0].strip(), "-ORGFO"),
            "registration_country": _strip_suffix(country.split("$", 1)[0].strip(), "-LAND"),
            "status": (
                Company.Status.DEREGISTERED.value
                if deregistered_on
                else Company.Status.ACTIVE.value
            ),
            "deregistered_on": deregistered_on,
            "deregistration_reason": _strip_suffix(dereg_reason.split("$", 1)[0].strip(), "-AVORS"),
            "winding_up": " ".join(winding_up.replace("$", " ").replace("|", ", ").split()),
            "registered_on": parse_date(registered, "registreringsdatum"),
            "business_description": description.strip(),
            "street_address": street,
            "co_address": co,
            "postal_code": postal_code,
            "postal_town": town,
        }
        for key, limit in _LIMITS:
            if len(values[key]) > limit:
                check_lengths(values)  # raises, naming the field
        for other, _kind, _date in other_names:
            if len(other) > 300:
                raise RowError("ett annat namn är längre än 300 tecken")
        return Record(
            line_no=line_no,
            identity=identity.digits,
            identity_kind=identity.kind,
            name_protection_no=name_protection_no,
            values=values,
            other_names=other_names,
            digest=line_digest(line),
            raw=line,
        )

    @staticmethod
    def _identity(raw: str) -> ident.Identity:
        value, _, kind = raw.partition("$")
        kind = kind.strip().upper()
        try:
            parsed = fast_identity(value.strip())
        except ident.IdentityError as exc:
            raise RowError(str(exc)) from None
        if kind == "PERSON-IDORG" and parsed.kind != ident.PERSON:
            raise RowError("PERSON-IDORG men inte ett personnummer med 12 siffror")
        if kind == "ORGNR-IDORG" and parsed.kind != ident.ORG:
            raise RowError("ORGNR-IDORG men inte ett organisationsnummer med 10 siffror")
        if kind not in {"PERSON-IDORG", "ORGNR-IDORG", ""}:
            raise RowError(f"okänd identitetstyp {kind!r}")
        return parsed

    @staticmethod
    def _names(raw: str) -> tuple[str, list[OtherName]]:
        entries: list[OtherName] = []
        for part in raw.split("|"):
            pieces = part.split("$")
            name = " ".join(pieces[0].split())
            if not name:
                continue
            kind = pieces[1].strip() if len(pieces) > 1 else ""
            registered = parse_date(pieces[2], "namndatum") if len(pieces) > 2 else None
            entries.append((name, kind, registered))
        if not entries:
            raise RowError("namn saknas")
        main = next((i for i, e in enumerate(entries) if e[1] == MAIN_NAME_KIND), 0)
        name = entries[main][0]
        others = [
            (other, _strip_suffix(kind, "-ORGNAM"), registered)
            for i, (other, kind, registered) in enumerate(entries)
            if i != main
        ]
        return name, others

    @staticmethod
    def _address(raw: str) -> tuple[str, str, str, str]:
        pieces = [" ".join(p.split()) for p in raw.split("|", 1)[0].split("$")]
        pieces += [""] * (5 - len(pieces))
        street, co, town, postal_code = pieces[0], pieces[1], pieces[2], pieces[3]
        postal_code = postal_code.replace(" ", "")
        if postal_code and not (postal_code.isdigit() and len(postal_code) == 5):
            raise RowError(f"ogiltigt postnummer {pieces[3]!r}")
        return street, co, town_case(town), postal_code

"""What the parsers produce: a normalised company record, or a rejected line.

A record carries every company column the source can give (used when the company
is new) and says which of them the source *owns* (written on an existing company).
Bolagsverket owns names, form, status and address; SCB and mapped extracts only
add SNI codes, the advertising block and contact details, so that a later SCB
file never overwrites what Bolagsverket said.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from brygga.register import identity as ident
from brygga.register.importers.reading import ImportFileError
from brygga.register.models import Company

# Company columns an import may fill, with the value a new company gets otherwise.
COLUMN_DEFAULTS: dict[str, Any] = {
    "name": "",
    "legal_form": "",
    "registration_country": "",
    "status": Company.Status.ACTIVE.value,
    "deregistered_on": None,
    "deregistration_reason": "",
    "winding_up": "",
    "registered_on": None,
    "business_description": "",
    "street_address": "",
    "co_address": "",
    "postal_code": "",
    "postal_town": "",
    "size_class": "",
    "employees": None,
    "phone": "",
    "email": "",
    "website": "",
    "advertising_block": False,
}
COLUMNS: tuple[str, ...] = tuple(COLUMN_DEFAULTS)

MAX_LENGTHS: dict[str, int] = {
    name: int(getattr(Company._meta.get_field(name), "max_length", 0) or 0)
    for name in COLUMNS
    if getattr(Company._meta.get_field(name), "max_length", None)
}
MAX_LENGTH_ITEMS = tuple(MAX_LENGTHS.items())
FIELD_LABELS = {
    "name": "namn",
    "legal_form": "juridisk form",
    "registration_country": "registreringsland",
    "deregistration_reason": "avregistreringsorsak",
    "winding_up": "avveckling",
    "street_address": "gatuadress",
    "co_address": "c/o-adress",
    "postal_code": "postnummer",
    "postal_town": "postort",
    "size_class": "storleksklass",
    "phone": "telefon",
    "email": "e-post",
    "website": "webbplats",
}

OtherName = tuple[str, str, dt.date | None]  # name, kind, registered on


class RowError(ValueError):
    """A reason, in Swedish, why one line is rejected."""


@dataclass(frozen=True)
class SourceSpec:
    """What a source writes on a company that already exists."""

    digest_field: str  # "bolagsverket_digest" or "scb_digest"
    owned_fields: tuple[str, ...]
    owns_other_names: bool
    owns_sni: bool
    sni_system: str


@dataclass(slots=True)
class Record:
    line_no: int
    identity: str
    identity_kind: str
    name_protection_no: int
    values: dict[str, Any]
    other_names: list[OtherName] = field(default_factory=list)
    sni_codes: list[str] = field(default_factory=list)
    digest: str = ""
    raw: str = ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.identity, self.name_protection_no)

    @property
    def deregistered(self) -> bool:
        return self.values.get("status") == Company.Status.DEREGISTERED


@dataclass(frozen=True, slots=True)
class Rejection:
    line_no: int
    reason: str
    raw: str


class Parser(Protocol):
    spec: SourceSpec

    def read_header(self, line: str) -> None:
        """Check the header line; raises ImportFileError when the file is not this format."""

    def quick_key(self, line: str) -> tuple[str, int] | None:
        """The key read cheaply off a raw line, or None; used only to skip unchanged lines."""

    def digest(self, line: str) -> str:
        """The fingerprint stored per source: equal digests, nothing to do."""

    def parse_line(self, line_no: int, line: str) -> Record:
        """One data line to a record; raises RowError with the reason."""


def parse_or_reject(parser: Parser, line_no: int, line: str) -> Record | Rejection:
    """A record, or the rejection with its reason; pure, so it also runs in workers."""
    if "\x00" in line:
        # PostgreSQL text cannot hold NUL; no register field legitimately has one.
        return Rejection(line_no, "felaktig rad: innehåller NUL-tecken", line.replace("\x00", ""))
    try:
        return parser.parse_line(line_no, line)
    except RowError as exc:
        return Rejection(line_no, str(exc), line[:2000])


def parse_lines(parser: Parser, lines: Iterable[tuple[int, str]]) -> Iterator[Record | Rejection]:
    """Header first, then a record or a rejection for every non-blank line."""
    iterator = iter(lines)
    for _line_no, line in iterator:
        if line.strip():
            parser.read_header(line)
            break
    else:
        raise ImportFileError("Filen är tom.")
    for line_no, line in iterator:
        if not line.strip():
            continue
        yield parse_or_reject(parser, line_no, line)


_DOUBLED = str.maketrans("0123456789", "0246813579")


def fast_identity(raw: str) -> ident.Identity:
    """:func:`parse_identity`, with a fast path for the common plain 10-digit org number.

    The national file has nearly two million of them; python-stdnum's general
    parsing costs several times this Luhn sum. Anything else, and every number that
    fails, goes through ``parse_identity`` so reasons stay the same.
    """
    if len(raw) == 10 and raw.isdigit() and raw.isascii():
        total = sum(map(int, raw[1::2])) + sum(map(int, raw[0::2].translate(_DOUBLED)))
        if total % 10 == 0:
            return ident.Identity(ident.ORG, raw)
    return ident.parse_identity(raw)


def line_digest(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def int_key(identity: str, name_protection_no: int) -> int:
    """The key as one integer: cheap to keep in a set or a temporary table.

    A personnummer (12 digits, from 18…) is always larger than any org number
    (10 digits), so the two kinds never collide.
    """
    return int(identity) * 1_000_000 + name_protection_no


def parse_date(raw: str, what: str) -> dt.date | None:
    """``YYYY-MM-DD`` or ``YYYYMMDD``; empty gives None; anything else is rejected."""
    if len(raw) == 10:
        try:
            if raw[4] == "-" and raw[7] == "-":
                return dt.date.fromisoformat(raw)
        except ValueError:
            raise RowError(f"omöjligt datum i {what}: {raw!r}") from None
    raw = raw.strip()
    if not raw:
        return None
    try:
        if len(raw) == 8 and raw.isdigit():
            return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        if len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
            return dt.date.fromisoformat(raw)
    except ValueError:
        raise RowError(f"omöjligt datum i {what}: {raw!r}") from None
    raise RowError(f"ogiltigt datum i {what}: {raw!r}")


def check_lengths(values: dict[str, Any]) -> None:
    for name, limit in MAX_LENGTH_ITEMS:
        value = values.get(name)
        if isinstance(value, str) and len(value) > limit:
            label = FIELD_LABELS.get(name, name)
            raise RowError(f"{label} är längre än {limit} tecken")


def sni_list(raw_codes: Iterable[str]) -> list[str]:
    """SNI codes in order, empty ones skipped, duplicates dropped; the first is primary."""
    codes: list[str] = []
    for raw in raw_codes:
        code = raw.strip().replace(".", "")
        if not code or code.strip("0") == "":
            continue
        if not code.isdigit() or not 2 <= len(code) <= 5:
            raise RowError(f"ogiltig SNI-kod {raw.strip()!r}")
        if code not in codes:
            codes.append(code)
    return codes


def town_case(raw: str) -> str:
    """Bolagsverket writes towns in capitals; ``STRÄNGNÄS`` reads better as ``Strängnäs``."""
    raw = " ".join(raw.split())
    if raw and raw == raw.upper() and any(ch.isalpha() for ch in raw):
        return raw.capitalize()
    return raw

"""Company identities: organisationsnummer and, for sole traders, personnummer.

Validation is python-stdnum's; this module only decides which of the two a
string is, normalises it to digits, and formats or masks it for display.
"""

from __future__ import annotations

from dataclasses import dataclass

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import orgnr, personnummer

ORG = "org"
PERSON = "pnr"


class IdentityError(ValueError):
    pass


@dataclass(frozen=True)
class Identity:
    kind: str  # ORG or PERSON
    digits: str  # 10 digits for ORG, 12 for PERSON

    @property
    def display(self) -> str:
        return format_identity(self.kind, self.digits)


def parse_identity(raw: str) -> Identity:
    """Accept an org number or personnummer in any common form.

    ``556677-8899``, ``5566778899``, ``165566778899`` (SCB's prefix) give an org
    number; ``19800101-1234`` / ``198001011234`` give a personnummer.
    """
    digits = "".join(ch for ch in raw if ch.isdigit())
    stripped = raw.strip()
    if not digits or any(ch not in "0123456789-+ " for ch in stripped):
        raise IdentityError("innehåller tecken som inte hör hemma i ett organisationsnummer")
    if len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]
    if len(digits) == 10:
        try:
            orgnr.validate(digits)
        except StdnumError as exc:
            raise IdentityError(_reason(exc, "organisationsnummer")) from None
        # A sole trader's org number is the personnummer; the register uses the
        # 12-digit form for those, so a 10-digit one with a valid date is still an
        # org number here and only flagged by legal form.
        return Identity(ORG, digits)
    if len(digits) == 12:
        if digits[:2] not in {"18", "19", "20"}:
            raise IdentityError("12 siffror men varken personnummer eller 16-prefix")
        try:
            personnummer.validate(digits)
        except StdnumError as exc:
            raise IdentityError(_reason(exc, "personnummer")) from None
        return Identity(PERSON, digits)
    raise IdentityError(f"fel antal siffror ({len(digits)}), ska vara 10 eller 12")


def _reason(exc: StdnumError, what: str) -> str:
    name = type(exc).__name__
    if name == "InvalidChecksum":
        return f"felaktig kontrollsiffra i {what}"
    if name == "InvalidComponent":
        return f"ogiltigt datum eller del i {what}"
    if name == "InvalidLength":
        return f"fel längd på {what}"
    return f"ogiltigt {what}"


def format_identity(kind: str, digits: str) -> str:
    if kind == PERSON and len(digits) == 12:
        return f"{digits[:8]}-{digits[8:]}"
    if len(digits) == 10:
        return f"{digits[:6]}-{digits[6:]}"
    return digits


def mask_identity(kind: str, digits: str) -> str:
    """A personnummer keeps only its date: ``19800101-****``."""
    if kind == PERSON and len(digits) == 12:
        return f"{digits[:8]}-****"
    return format_identity(kind, digits)


def search_digits(raw: str) -> str | None:
    """The digits to look up when a search string looks like an identity, else None."""
    stripped = raw.strip()
    if not stripped or any(ch not in "0123456789- +" for ch in stripped):
        return None
    digits = "".join(ch for ch in stripped if ch.isdigit())
    if len(digits) == 12 and digits.startswith("16"):
        return digits[2:]
    return digits if len(digits) >= 6 else None

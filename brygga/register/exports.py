"""CSV and XLSX exports of a filtered company list.

CSV is streamed row by row with ``;`` and a UTF-8 BOM, which is what Excel in a
Swedish locale opens correctly by double-click. XLSX is written by openpyxl in
write-only mode to a temporary file (a zip cannot be streamed before it is done),
so memory stays flat at any size.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from brygga.register.models import Company

CHUNK = 2000
# Cells a spreadsheet would run as a formula; prefixing a quote keeps them text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def header() -> list[str]:
    return [
        _("Organisationsnummer"),
        _("Namnskyddslöpnummer"),
        _("Namn"),
        _("Juridisk form"),
        _("Status"),
        _("Avregistrerad"),
        _("Gatuadress"),
        _("Postnummer"),
        _("Postort"),
        _("Telefon"),
        _("E-post"),
        _("Webbplats"),
        _("Antal anställda"),
        _("SNI-koder"),
        _("Etiketter"),
        _("Reklamspärr"),
    ]


def row(company: Company, *, show_personal_number: bool) -> list[Any]:
    identity = company.identity_display if show_personal_number else company.identity_masked
    return [
        identity,
        company.name_protection_no or "",
        company.name,
        company.legal_form,
        company.get_status_display(),
        company.deregistered_on.isoformat() if company.deregistered_on else "",
        company.street_address,
        company.postal_code,
        company.postal_town,
        company.phone,
        company.email,
        company.website,
        "" if company.employees is None else company.employees,
        ", ".join(c.code for c in company.sni_codes.all()),
        ", ".join(t.name for t in company.tags.all()),
        _("Ja") if company.advertising_block else _("Nej"),
    ]


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def rows(qs: QuerySet[Company], *, show_personal_number: bool) -> Iterator[list[Any]]:
    for company in qs.iterator(chunk_size=CHUNK):
        yield [_safe(v) for v in row(company, show_personal_number=show_personal_number)]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(qs: QuerySet[Company], *, show_personal_number: bool) -> Iterator[bytes]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff".encode()
    yield writer.writerow(header()).encode()
    for values in rows(qs, show_personal_number=show_personal_number):
        yield writer.writerow(values).encode()


def write_xlsx(
    qs: QuerySet[Company], *, show_personal_number: bool, out: IO[bytes] | None = None
) -> IO[bytes]:
    """Write the workbook to ``out`` (a new temporary file by default), rewound."""
    target: IO[bytes] = out if out is not None else tempfile.TemporaryFile()  # noqa: SIM115
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Företag"))
    sheet.append(header())
    for values in rows(qs, show_personal_number=show_personal_number):
        sheet.append(values)
    workbook.save(target)
    target.seek(0)
    return target


def iter_file(handle: IO[bytes], size: int = 64 * 1024) -> Iterable[bytes]:
    with handle:
        while chunk := handle.read(size):
            yield chunk

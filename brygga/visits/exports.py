"""The feedback heard in visits as an XLSX workbook.

As the register's export (``brygga/register/exports.py``): openpyxl in write-only
mode to a temporary file, rows read in chunks, so memory stays flat at any size;
text that a spreadsheet would run as a formula is prefixed with a quote. Headers
are Swedish; the visit date is a real date cell (``yyyy-mm-dd``), so the sheet can
be sorted and filtered on it.

An item without a company was said by all the visit's companies: the company
columns then list all of them, separated by ``; ``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from brygga.register.exports import FORMULA_START
from brygga.visits.models import Feedback
from brygga.visits.selectors_feedback import concerned

CHUNK = 2000
DATE_FORMAT = "yyyy-mm-dd"
# Width of each column, in characters (the order of header()).
WIDTHS = (12, 8, 14, 36, 16, 18, 24, 10, 60, 36, 36)


def header() -> list[str]:
    return [
        _("Datum"),
        _("Besök"),
        _("Typ av kontakt"),
        _("Företag"),
        _("Organisationsnummer"),
        _("Postort"),
        _("Ämne"),
        _("Ton"),
        _("Synpunkt"),
        _("Förbättringsområde"),
        _("Aktivitet"),
    ]


def row(item: Feedback, *, show_personal_number: bool) -> list[Any]:
    companies = concerned(item)
    numbers = [c.identity_display if show_personal_number else c.identity_masked for c in companies]
    towns = sorted({c.postal_town for c in companies if c.postal_town})
    return [
        item.visit.date,
        item.visit_id,
        item.visit.kind.label,
        "; ".join(c.name for c in companies),
        "; ".join(numbers),
        "; ".join(towns),
        item.topic.label,
        item.get_sentiment_display(),
        item.text,
        item.area.title if item.area is not None else "",
        item.activity.title if item.activity is not None else "",
    ]


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    if isinstance(value, dt.date):
        # openpyxl writes dates as date cells; its type stubs only name datetime.
        cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
        cell.number_format = DATE_FORMAT
        return cell
    return value


def rows(
    items: QuerySet[Feedback], sheet: WriteOnlyWorksheet, *, show_personal_number: bool
) -> Iterator[list[Any]]:
    for item in items.iterator(chunk_size=CHUNK):
        yield [_cell(sheet, v) for v in row(item, show_personal_number=show_personal_number)]


def write_feedback_xlsx(
    items: QuerySet[Feedback], *, show_personal_number: bool, out: IO[bytes] | None = None
) -> IO[bytes]:
    """Write the workbook to ``out`` (a new temporary file by default), rewound."""
    target: IO[bytes] = out if out is not None else tempfile.TemporaryFile()  # noqa: SIM115
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Synpunkter"))
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(header())
    for values in rows(items, sheet, show_personal_number=show_personal_number):
        sheet.append(values)
    workbook.save(target)
    target.seek(0)
    return target

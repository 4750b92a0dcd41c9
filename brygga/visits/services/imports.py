"""Importing historic visit logs (issue 4, section 5): ``manage.py import_visits`` and
the staff upload page both call :func:`visits_import`.

Each data row is one held visit to one company::

    org_number,date,kind,staff,notes,topics
    556677-8899,2019-03-04,besök,Ulf Utvecklare;ulla@kommun.se,Ny lokal,upphandling;bredband

A row is *rejected* (with its line and a Swedish reason) when its org number is
missing or invalid, the company is not in the register (or the number is shared by
several active companies), the date is missing, impossible, not ``YYYY-MM-DD`` or in
the future, or the kind is missing or unknown. A row is a *duplicate* when a held
visit of that kind to that company on that date exists already, or an earlier row
of the file has the same company, date and kind; it is not stored again, so running
the same file twice creates nothing the second time.

Staff are matched on e-mail or full name against all users, active or not; names
that match nobody (or several) are kept in ``other_participants``. Each topic word
that matches a topic's key or label becomes a neutral feedback item without text;
any other word becomes a feedback item under the fallback topic (``ovrigt``) with
the word as its text.

Everything is read and checked first; then the visits are written in one
transaction, in bulk: the same rows, links and audit entries (one per visit, ``via``
naming the file) that :func:`brygga.visits.services.visits.visit_create` writes,
about twenty times faster. A file that cannot be read, or a crash while writing,
leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.db import transaction
from django.utils import timezone

from brygga.register.models import Company
from brygga.visits.import_reading import VisitImportError, open_table
from brygga.visits.import_rows import Lists, ParsedRow, RowProblem, parse_row
from brygga.visits.models import Visit, VisitCompany
from brygga.visits.services.import_writes import chunks, visits_write

__all__ = ["RowProblem", "VisitImportError", "VisitImportReport", "visits_import"]

LOOKUP_CHUNK = 500


@dataclass
class VisitImportReport:
    name: str = ""
    format: str = ""
    rows: int = 0  # data rows read (blank lines are not rows)
    created: int = 0
    duplicates: list[RowProblem] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def summary_line(self) -> str:
        return (
            f"created={self.created} duplicates={len(self.duplicates)} "
            f"rejected={len(self.rejected)}"
        )


def _resolve_companies(rows: list[ParsedRow], rejected: list[RowProblem]) -> list[ParsedRow]:
    """Give each row its company's id (looked up in chunks); reject the rest."""
    wanted = sorted({digits for row in rows for digits in row.identities})
    found: dict[str, list[tuple[int, str, int]]] = {}
    for chunk in chunks(wanted, LOOKUP_CHUNK):
        for pk, identity, status, protection in Company.objects.filter(
            identity__in=chunk
        ).values_list("pk", "identity", "status", "name_protection_no"):
            found.setdefault(identity, []).append((pk, status, protection))
    kept: list[ParsedRow] = []
    for row in rows:
        matches = [m for digits in row.identities for m in found.get(digits, [])]
        if len(matches) > 1:
            active = [m for m in matches if m[1] == Company.Status.ACTIVE]
            matches = active if active else matches
        if not matches:
            rejected.append(
                RowProblem(row.line_no, f"företaget {row.shown} finns inte i registret")
            )
        elif len(matches) > 1:
            numbers = ", ".join(str(m[2]) for m in sorted(matches, key=lambda m: m[2]))
            rejected.append(
                RowProblem(
                    row.line_no,
                    f"flera företag i registret har nummer {row.shown} "
                    f"(namnskyddslöpnummer {numbers}); besöket kan inte knytas till ett av dem",
                )
            )
        else:
            row.company_id = matches[0][0]
            kept.append(row)
    return kept


def _existing_visits(rows: list[ParsedRow]) -> dict[tuple[int, dt.date, int], int]:
    """(company, date, kind) → the id of a held visit that has them, for the rows'
    companies and dates.

    Two look-ups by index per chunk of companies (their links, then those visits by
    id), rather than one join: right after a large import PostgreSQL's statistics
    still say the visit table is empty, and the plan it then chooses reads every
    visit in the date range once per chunk."""
    if not rows:
        return {}
    first = min(row.date for row in rows)
    last = max(row.date for row in rows)
    existing: dict[tuple[int, dt.date, int], int] = {}
    for chunk in chunks(sorted({row.company_id for row in rows}), LOOKUP_CHUNK):
        links: dict[int, list[int]] = {}
        for company_id, visit_id in VisitCompany.objects.filter(company_id__in=chunk).values_list(
            "company_id", "visit_id"
        ):
            links.setdefault(visit_id, []).append(company_id)
        for visit_ids in chunks(sorted(links), LOOKUP_CHUNK):
            # By primary key only: a filter on date or status here lets the planner
            # prefer their index, which is the slow plan again.
            visits = Visit.objects.filter(pk__in=visit_ids).values_list(
                "pk", "date", "kind_id", "status"
            )
            for visit_id, date, kind_id, status in visits:
                if status != Visit.Status.HELD or not first <= date <= last:
                    continue
                for company_id in links[visit_id]:
                    key = (company_id, date, kind_id)
                    existing[key] = min(visit_id, existing.get(key, visit_id))
    return existing


def visits_import(
    *,
    source: BinaryIO,
    name: str = "",
    actor: Any = None,
    via: str = "",
    today: dt.date | None = None,
    max_rows: int | None = None,
) -> VisitImportReport:
    """Import the visit log in ``source`` (a seekable binary file: a path opened with
    ``open(path, "rb")`` or an upload). Raises :class:`VisitImportError` when the file
    as a whole cannot be read, or has more than ``max_rows`` data rows (the upload
    page's limit, so that the page answers in seconds); then nothing is written."""
    today = today or timezone.localdate()
    user = actor if getattr(actor, "is_authenticated", False) else None
    via = via or f"import {Path(name).name}".strip()
    table = open_table(source, name)
    report = VisitImportReport(
        name=name, format=table.format, ignored_columns=table.ignored_columns
    )
    lists = Lists()
    parsed: list[ParsedRow] = []
    for raw in table.rows:
        report.rows += 1
        if max_rows is not None and report.rows > max_rows:
            raise VisitImportError(
                f"Filen har fler än {max_rows:,} rader".replace(",", "\N{NO-BREAK SPACE}")
                + ". Dela upp den i flera filer, eller kör importen med manage.py import_visits."
            )
        result = parse_row(raw, lists, today)
        if isinstance(result, RowProblem):
            report.rejected.append(result)
        else:
            parsed.append(result)
    with transaction.atomic():
        rows = _resolve_companies(parsed, report.rejected)
        existing = _existing_visits(rows)
        first_line: dict[tuple[int, dt.date, int], int] = {}
        new: list[ParsedRow] = []
        for row in rows:
            key = (row.company_id, row.date, row.kind.pk)
            if key in existing:
                reason = f"samma företag, datum och typ som besök nr {existing[key]}"
                report.duplicates.append(RowProblem(row.line_no, reason))
            elif key in first_line:
                reason = f"samma företag, datum och typ som rad {first_line[key]}"
                report.duplicates.append(RowProblem(row.line_no, reason))
            else:
                first_line[key] = row.line_no
                new.append(row)
        visits_write(new, lists, actor=user, via=via)
        report.created = len(new)
    report.rejected.sort(key=lambda p: p.line_no)
    report.duplicates.sort(key=lambda p: p.line_no)
    return report


def visits_import_path(
    path: Path | str, *, actor: Any = None, today: dt.date | None = None
) -> VisitImportReport:
    path = Path(path)
    if not path.is_file():
        raise VisitImportError(f"Filen {path} finns inte.")
    with path.open("rb") as handle:
        return visits_import(source=handle, name=path.name, actor=actor, today=today)

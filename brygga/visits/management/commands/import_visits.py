"""``manage.py import_visits PATH``: import a historic visit log (CSV or XLSX).

Prints one line per rejected row and per duplicate (``rad N: …``); the last line on
stdout is always ``created=N duplicates=N rejected=N``. A file that cannot be read
at all stops with an error (exit status 1) and writes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from brygga.accounts.models import User
from brygga.visits.services.imports import VisitImportError, visits_import_path


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = (
        "Importera en besökslogg (CSV eller XLSX) med kolumnerna "
        "org_number,date,kind,staff,notes,topics."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a .csv (UTF-8, CP1252; ',' or ';') or .xlsx file")
        parser.add_argument(
            "--user",
            default="",
            help="e-mail of the staff member recorded as having imported the visits",
        )
        parser.add_argument(
            "--quiet-rows",
            action="store_true",
            help="do not list rejected and duplicate rows, only the summary",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            actor = User.objects.filter(email__iexact=options["user"]).first()
            if actor is None:
                raise CommandError(
                    f"Det finns ingen användare med e-postadressen {options['user']}."
                )
        path = Path(options["path"])
        try:
            report = visits_import_path(path, actor=actor)
        except VisitImportError as exc:
            raise CommandError(str(exc)) from None
        if report.ignored_columns:
            self.stdout.write(
                "Kolumner som inte används hoppades över: " + ", ".join(report.ignored_columns)
            )
        if not options["quiet_rows"]:
            for problem in report.rejected:
                self.stdout.write(f"rad {problem.line_no}: avvisad: {problem.reason}")
            for problem in report.duplicates:
                self.stdout.write(f"rad {problem.line_no}: dubblett: {problem.reason}")
        self.stdout.write(report.summary_line)

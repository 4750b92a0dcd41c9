"""``manage.py import_companies --format bolagsverket|scb|csv PATH``.

The last line on stdout is always the summary
``created=N updated=N unchanged=N deregistered=N rejected=N``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from brygga.register.importers.mapped import parse_mapping
from brygga.register.importers.reading import ImportFileError
from brygga.register.models import ImportRun, SniCode
from brygga.register.services.imports import import_run_create, import_run_execute


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class Command(BaseCommand):
    # An import runs for minutes; it must not depend on unrelated URL or admin checks.
    requires_system_checks: list[str] = []
    help = "Importera Bolagsverkets bulkfil, SCB:s företagsregister eller en mappad CSV/XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a .zip holding one text file, the text file, or .xlsx")
        parser.add_argument("--format", required=True, choices=[f.value for f in ImportRun.Format])
        parser.add_argument(
            "--mapping",
            default="",
            help='csv/xlsx only: "org_number=Orgnr,name=Namn,postal_town=Ort,sni=SNI1+SNI2"',
        )
        parser.add_argument("--postal-codes", default="", help="keep only these, e.g. 64530,64531")
        parser.add_argument("--towns", default="", help="keep only these, e.g. Strängnäs,Mariefred")
        parser.add_argument(
            "--sni-system", default=SniCode.System.SNI2007, choices=SniCode.System.values
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Filen {path} finns inte.")
        fmt = options["format"]
        try:
            mapping = parse_mapping(options["mapping"]) if fmt == ImportRun.Format.CSV else {}
            if fmt != ImportRun.Format.CSV and options["mapping"]:
                raise ImportFileError("--mapping gäller bara formatet csv.")
            run = import_run_create(
                format=fmt,
                original_name=path.name,
                mapping=mapping,
                postal_codes=_split(options["postal_codes"]),
                towns=_split(options["towns"]),
                sni_system=options["sni_system"],
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None

        bar = tqdm(
            total=path.stat().st_size,
            unit="B",
            unit_scale=True,
            file=sys.stderr,
            disable=options["no_progress"],
            mininterval=0.5,
        )

        def progress(done: int, total: int) -> None:
            if total and bar.total != total:
                bar.total = total
            bar.update(done - bar.n)

        try:
            run = import_run_execute(run=run, path=path, on_progress=progress)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.close()

        for rejection in run.rejections.order_by("line_no").iterator():
            self.stdout.write(f"rad {rejection.line_no}: {rejection.reason}")
        if run.filter_postal_codes or run.filter_towns:
            self.stdout.write(f"filtered_out={run.filtered_out}")
        self.stdout.write(f"import #{run.pk}: rows_read={run.rows_read}")
        self.stdout.write(run.summary_line)

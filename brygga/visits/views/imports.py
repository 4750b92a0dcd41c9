"""Staff page for importing historic visit logs: the same import as ``manage.py
import_visits``, run while the page waits, with its report on the page. An example
file to start from is offered for download."""

from __future__ import annotations

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from brygga.core.permissions import require
from brygga.visits.forms.imports import VisitImportForm
from brygga.visits.import_reading import COLUMNS, REQUIRED
from brygga.visits.models import Topic, VisitKind
from brygga.visits.permissions import VisitPerm
from brygga.visits.services.imports import VisitImportError, VisitImportReport, visits_import
from brygga.visits.views.visits import crumbs

# Rejected and duplicate rows listed on the page; the counts always cover all of them.
ROWS_SHOWN = 500
# The page imports while the request waits: this many rows take a few seconds (see
# bench/visits_import.py). Decades of an office's visits; larger files go through
# manage.py import_visits.
MAX_ROWS = 20_000

EXAMPLE_ROWS = (
    (
        "556677-8899",
        "2024-03-04",
        "besök",
        "Ulf Utvecklare;ulf@kommun.example",
        "Visade nya lokalen.",
        "lokaler;bredband",
    ),
    ("5561234567", "2024-03-12", "lunch", "Agnes Administratör", "", "kompetens"),
    (
        "556677-8899",
        "2024-05-20",
        "telefon",
        "",
        "Frågade om skyltning vid E20.",
        "skyltning;parkering",
    ),
)


@require(VisitPerm.IMPORT)
@require_http_methods(["GET", "POST"])
def visit_import(request: HttpRequest) -> HttpResponse:
    report: VisitImportReport | None = None
    if request.method == "POST":
        form = VisitImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = visits_import(
                    source=upload.file, name=upload.name, actor=request.user, max_rows=MAX_ROWS
                )
            except VisitImportError as exc:
                form.add_error("file", str(exc))
            else:
                form = VisitImportForm()
    else:
        form = VisitImportForm()
    return render(
        request,
        "visits/import.html",
        {
            "form": form,
            "report": report,
            "rejected": report.rejected[:ROWS_SHOWN] if report else [],
            "duplicates": report.duplicates[:ROWS_SHOWN] if report else [],
            "rows_shown": ROWS_SHOWN,
            "columns": COLUMNS,
            "required": REQUIRED,
            "kinds": VisitKind.objects.filter(active=True),
            "topics": Topic.objects.filter(active=True),
            "crumbs": crumbs((_("Importera besökslogg"), None)),
        },
    )


@require(VisitPerm.IMPORT)
@require_GET
def visit_import_example(request: HttpRequest) -> HttpResponse:
    """An example log as Swedish Excel opens it: UTF-8 with BOM, semicolons."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(EXAMPLE_ROWS)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="besokslogg-exempel.csv"'
    return response


urlpatterns: list[URLPattern] = [
    path("hantera/besok/import/", visit_import, name="visit_import"),
    path("hantera/besok/import/exempel.csv", visit_import_example, name="visit_import_example"),
]

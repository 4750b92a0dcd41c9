"""Import pages: the list of runs, the upload form, and one run's progress and report."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext

from brygga.core.permissions import require
from brygga.register.forms.imports import ImportForm
from brygga.register.models import ImportRun
from brygga.register.permissions import RegisterPerm
from brygga.register.services.imports import import_progress, import_run_create

RUNS_SHOWN = 50
REJECTIONS_PER_PAGE = 100
REFRESH_SECONDS = 3


@require(RegisterPerm.IMPORT)
def import_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            run = import_run_create(
                format=data["format"],
                original_name=upload.name,
                file=upload,
                mapping=data["mapping"],
                postal_codes=data["postal_code_list"],
                towns=data["town_list"],
                sni_system=data["sni_system"],
                created_by=request.user,
            )
            from brygga.register.tasks import import_run_task

            transaction.on_commit(lambda: import_run_task.delay(run.pk))
            return redirect("register:import_detail", pk=run.pk)
    else:
        form = ImportForm()
    runs = ImportRun.objects.select_related("created_by").order_by("-created_at", "-id")[
        :RUNS_SHOWN
    ]
    return render(request, "register/import_list.html", {"form": form, "runs": runs})


def _live_progress(run: ImportRun) -> dict[str, Any]:
    """What the progress section shows, for the page and for its polling script."""
    active = run.state in {ImportRun.State.QUEUED, ImportRun.State.RUNNING}
    progress = import_progress(run) if active else None
    percent = run.progress_percent
    if progress and progress["bytes_total"]:
        percent = min(99, int(100 * progress["bytes_done"] / progress["bytes_total"]))
    rows_text = ""
    if run.state == ImportRun.State.QUEUED:
        rows_text = gettext("Importen väntar på att bakgrundsarbetaren ska ta den.")
    elif progress and progress["phase"] == "writing":
        rows_text = gettext("%(rows)s rader lästa. Skriver till registret …") % {
            "rows": progress["rows"]
        }
    elif progress:
        rows_text = gettext("%(rows)s rader lästa.") % {"rows": progress["rows"]}
    return {
        "active": active,
        "progress": progress,
        "percent": percent,
        "texts": {
            "percent_text": gettext("%(percent)s %% inläst") % {"percent": percent},
            "rows_text": rows_text,
        },
    }


@require(RegisterPerm.IMPORT)
def import_progress_json(request: HttpRequest, pk: int) -> JsonResponse:
    run = get_object_or_404(ImportRun, pk=pk)
    live = _live_progress(run)
    return JsonResponse(
        {
            "active": live["active"],
            "state": run.state,
            "percent": live["percent"],
            **live["texts"],
        }
    )


@require(RegisterPerm.IMPORT)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun.objects.select_related("created_by"), pk=pk)
    live = _live_progress(run)
    page = Paginator(run.rejections.order_by("line_no"), REJECTIONS_PER_PAGE).get_page(
        request.GET.get("sida")
    )
    return render(
        request,
        "register/import_detail.html",
        {
            "run": run,
            **live,
            "refresh_seconds": REFRESH_SECONDS,
            "page_obj": page,
        },
    )


urlpatterns = [
    path("register/importer/", import_list, name="import_list"),
    path("register/importer/<int:pk>/", import_detail, name="import_detail"),
    path("register/importer/<int:pk>/forlopp/", import_progress_json, name="import_progress"),
]

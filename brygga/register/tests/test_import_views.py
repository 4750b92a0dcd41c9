"""The staff import pages and the background task behind them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from brygga.register.models import Company, ImportRun
from brygga.register.services.imports import import_run_create, progress_cache_key
from brygga.register.tasks import import_run_task
from brygga.register.tests.data import files as f

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(name: str, path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, path.read_bytes())


@pytest.mark.django_db
def test_it_lets_only_the_office_import(client_for, developer, case_officer, reader) -> None:
    url = reverse("register:import_list")

    assert client_for(None).get(url).status_code == 302
    assert client_for(case_officer).get(url).status_code == 403
    assert client_for(reader).get(url).status_code == 403
    assert client_for(reader).post(url, {"format": "bolagsverket"}).status_code == 403
    response = client_for(developer).get(url)
    assert response.status_code == 200
    assert "Ny import" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_it_queues_an_upload_after_commit_and_the_task_imports_it(
    client_for, admin_user, settings
) -> None:
    # No broker in tests: Celery runs the task in-process when it is queued.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from brygga.celery import app

    app.conf.task_always_eager = True
    try:
        response = client_for(admin_user).post(
            reverse("register:import_list"),
            {
                "format": "bolagsverket",
                "file": upload("bolagsverket.txt", DATA / "bolagsverket_sample.txt"),
                "sni_system": "sni2007",
                "towns": "Strängnäs, Mariefred",
            },
        )
    finally:
        app.conf.task_always_eager = False

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("register:import_detail", kwargs={"pk": run.pk})
    assert run.state == ImportRun.State.DONE
    assert run.created_by == admin_user
    assert run.summary_line == "created=2 updated=0 unchanged=0 deregistered=0 rejected=0"
    assert run.filtered_out == 2
    assert sorted(Company.objects.values_list("postal_town", flat=True)) == [
        "Mariefred",
        "Strängnäs",
    ]
    page = client_for(admin_user).get(response["Location"]).content.decode()
    assert "Inga rader avvisades." in page
    assert 'http-equiv="refresh"' not in page


@pytest.mark.django_db
def test_it_explains_a_bad_upload_in_swedish(client_for, developer) -> None:
    response = client_for(developer).post(
        reverse("register:import_list"),
        {
            "format": "csv",
            "file": SimpleUploadedFile("extrakt.csv", b"Orgnr;Namn\r\n"),
            "sni_system": "sni2007",
            "map_org_number": "Orgnr",
        },
    )

    assert response.status_code == 200
    assert "Ange kolumnen för en mappad import." in response.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_it_shows_progress_of_a_queued_run_and_offers_a_refresh(client_for, developer) -> None:
    run = import_run_create(
        format="bolagsverket",
        original_name="bv.txt",
        file=upload("bv.txt", DATA / "bolagsverket_sample.txt"),
    )

    page = client_for(developer).get(reverse("register:import_detail", kwargs={"pk": run.pk}))

    html = page.content.decode()
    assert '<progress id="import-progress" max="100" value="0">' in html
    assert "väntar på att bakgrundsarbetaren" in html
    # No timed reload (WCAG 2.2.1): a link without JavaScript, polling with it.
    assert 'http-equiv="refresh"' not in html
    assert "Uppdatera sidan" in html
    assert "register/import_progress.js" in html


@pytest.mark.django_db
def test_it_reports_live_progress_of_a_running_import_as_json(client_for, developer) -> None:
    run = import_run_create(format="scb", original_name="scb.txt")
    ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.RUNNING)
    cache.set(
        progress_cache_key(run.pk),
        {"bytes_done": 250, "bytes_total": 1000, "rows": 1234, "phase": "reading"},
    )
    url = reverse("register:import_progress", kwargs={"pk": run.pk})

    running = client_for(developer).get(url).json()
    ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.DONE)
    done = client_for(developer).get(url).json()

    assert running == {
        "active": True,
        "state": "running",
        "percent": 25,
        "percent_text": "25 % inläst",
        "rows_text": "1234 rader lästa.",
    }
    assert done["active"] is False
    assert done["percent"] == 100


@pytest.mark.django_db
def test_it_keeps_import_progress_from_readers(client_for, reader) -> None:
    run = import_run_create(format="scb", original_name="scb.txt")
    url = reverse("register:import_progress", kwargs={"pk": run.pk})
    assert client_for(reader).get(url).status_code == 403


@pytest.mark.django_db
def test_it_reports_rejected_rows_page_by_page(client_for, developer, tmp_path: Path) -> None:
    rows = [f.bv_row(f.BAD_CHECK, f"Fel {i} AB") for i in range(120)]
    path = f.write(tmp_path / "bv.txt", f.bv_text(rows).encode())
    run = import_run_create(
        format="bolagsverket", original_name="bv.txt", file=upload("bv.txt", path)
    )
    assert import_run_task(run.pk) == ImportRun.State.DONE
    url = reverse("register:import_detail", kwargs={"pk": run.pk})

    first = client_for(developer).get(url).content.decode()
    second = client_for(developer).get(url, {"sida": 2}).content.decode()

    assert first.count("felaktig kontrollsiffra") == 100
    assert second.count("felaktig kontrollsiffra") == 20
    assert "Sida 2 av 2" in second
    # A second delivery of the same task does nothing: the run is no longer queued.
    assert import_run_task(run.pk) == "skipped"


@pytest.mark.django_db
def test_it_records_a_failed_run_from_the_task(client_for, developer) -> None:
    run = import_run_create(
        format="scb",
        original_name="bv.txt",
        file=upload("bv.txt", DATA / "bolagsverket_sample.txt"),
    )

    assert import_run_task(run.pk) == ImportRun.State.FAILED

    page = client_for(developer).get(reverse("register:import_detail", kwargs={"pk": run.pk}))
    assert "inte SCB:s format" in page.content.decode()
    assert not Company.objects.exists()


@pytest.mark.django_db
def test_it_lists_runs_in_constant_queries(
    client_for, developer, django_assert_num_queries
) -> None:
    for i in range(5):
        import_run_create(format="bolagsverket", original_name=f"bv{i}.txt", created_by=developer)
    client = client_for(developer)

    # session, user, runs (with their starters joined in)
    with django_assert_num_queries(3):
        response = client.get(reverse("register:import_list"))
    assert response.content.decode().count("bv") >= 5

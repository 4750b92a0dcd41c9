"""The upload's task run by a real Celery worker against Redis (skipped without Redis)."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, transaction

from brygga.register.models import Company, ImportRun, SearchWord
from brygga.register.services.imports import import_run_create
from brygga.register.tasks import import_run_task

DATA = Path(__file__).parent / "data"
REDIS = ("127.0.0.1", 6379)


def redis_available() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not redis_available(), reason="needs Redis on 127.0.0.1:6379")
@pytest.mark.django_db(transaction=True)
def test_it_runs_a_queued_import_in_a_real_worker(settings, tmp_path: Path) -> None:
    from celery.contrib.testing.worker import start_worker

    from brygga.celery import app

    settings.MEDIA_ROOT = tmp_path
    broker = "redis://127.0.0.1:6379/15"
    old = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url = broker
    app.conf.broker_transport_options = {}
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            with transaction.atomic():
                run = import_run_create(
                    format="bolagsverket",
                    original_name="bv.txt",
                    file=SimpleUploadedFile(
                        "bv.txt", (DATA / "bolagsverket_sample.txt").read_bytes()
                    ),
                )
                transaction.on_commit(lambda: import_run_task.delay(run.pk))
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    run.refresh_from_db()
                    words = SearchWord.objects.count()
                except OperationalError:
                    # The in-memory SQLite test database is shared with the worker's
                    # thread, and shared-cache SQLite locks tables while it writes.
                    time.sleep(0.05)
                    continue
                if run.state == ImportRun.State.FAILED or words:
                    break
                time.sleep(0.2)
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = old

    assert run.state == ImportRun.State.DONE, run.error
    assert run.summary_line == "created=4 updated=0 unchanged=0 deregistered=1 rejected=0"
    assert Company.objects.count() == 4
    # The import queued the rebuild of the search words, which the worker ran.
    assert "snickeri" in set(SearchWord.objects.values_list("word", flat=True))

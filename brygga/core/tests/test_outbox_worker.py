"""The outbox delivered by a real Celery worker process, which is killed in mid-delivery.

The worker runs as `make run` and production run it (``celery -A brygga worker -B``,
the embedded beat doing the periodic sweep), against this test's database and a
real SMTP server on loopback. The server stalls the 25th message before it has been
sent; the worker is then killed with SIGKILL — no chance to clean up — and a new
worker is started. Every message must arrive exactly once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from brygga.core.models import OutboxMessage
from brygga.core.outbox import Mail, outbox_message
from brygga.core.testing.smtp import start_smtp_server

REPO = Path(__file__).resolve().parents[3]
CELERY = Path(sys.executable).with_name("celery")
MESSAGES = 60
HOLD_AT = 25
LEASE_SECONDS = 12
EMAIL_TIMEOUT = 2  # the worker stops taking new messages 2 * timeout + 5 s before its lease ends

State = OutboxMessage.State


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(var_dir: Path, smtp_port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "BRYGGA_VAR_DIR": str(var_dir),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": str(EMAIL_TIMEOUT),
        "BRYGGA_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
        "BRYGGA_OUTBOX_SWEEP_SECONDS": "1",
        "REDIS_URL": "",  # the file-system broker of the embedded default
    }
    command = [
        str(CELERY),
        "-A",
        "brygga",
        "worker",
        "-B",
        "--pool=solo",
        "--concurrency=1",
        "--loglevel=INFO",
        f"--schedule={var_dir / 'beat-schedule'}",
    ]
    with log.open("ab") as out:
        return subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the embedded beat dies with it
        )


def kill(worker: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)


def states() -> Counter[str]:
    return Counter(OutboxMessage.objects.values_list("state", flat=True))


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_nothing_twice(
    tmp_path: Path, settings: Any
) -> None:
    server, controller = start_smtp_server()
    mail = Mail(subject="Ny status", text="Aktiviteten är avklarad.", html="")
    written = [
        outbox_message(to=f"prenumerant{i}@example.se", mail=mail, kind="test.fanout")
        for i in range(MESSAGES)
    ]
    OutboxMessage.objects.bulk_create(written)
    ids = set(OutboxMessage.objects.values_list("message_id", flat=True))
    holding = server.hold_at(HOLD_AT)
    log = tmp_path / "worker.log"
    first = start_worker(tmp_path, server.port, log)
    second = None
    try:
        assert holding.wait(60), (
            "the worker never reached the stalled message:\n"
            + (log.read_text(errors="replace")[-3000:])
        )
        # Message 25 is in flight: the server has not accepted it. The 24 before it
        # were each marked sent as soon as the server accepted them.
        assert len(server.messages) == HOLD_AT - 1
        assert states()[State.SENT] == HOLD_AT - 1
        kill(first)
        server.release()  # the stalled conversation ends; its client is gone

        assert states()[State.SENT] == HOLD_AT - 1
        assert states()[State.SENDING] >= 1  # the dead worker's claim, waiting for its lease

        second = start_worker(tmp_path, server.port, log)
        deadline = time.monotonic() + LEASE_SECONDS + 60
        while time.monotonic() < deadline and states()[State.SENT] < MESSAGES:
            time.sleep(0.5)
        # Give a duplicate, if there were to be one, time to arrive.
        time.sleep(3)
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                kill(worker)
        server.release()
        controller.stop()

    received = Counter(m["Message-ID"] for m in server.messages)
    assert states() == {State.SENT: MESSAGES}, log.read_text(errors="replace")[-3000:]
    assert set(received) == ids  # nothing lost
    assert max(received.values()) == 1  # nothing twice
    assert len(server.messages) == MESSAGES

"""Notification fan-out: one status change, N confirmed subscribers, all delivered.

    python bench/fanout.py 10000 --db sqlite
    python bench/fanout.py 10000 --db postgres

Builds its own database (a temp SQLite file, or PostgreSQL ``brygga_bench_fanout``),
migrates it, makes one published activity in one area with N confirmed immediate
subscribers, and starts what production runs: a real Celery worker process
(``celery -A brygga worker``) with Redis as broker when it answers on
127.0.0.1:6379 (else the file-system broker of the embedded default), delivering to
a real SMTP server (aiosmtpd) in this process. Then it changes the activity's status
through the service the staff page and the API call, and measures:

* the change itself (what the request that causes it waits for),
* until the fan-out has written the N messages to the outbox,
* until the SMTP server has received all N, and the rate;
* duplicates (messages received minus distinct Message-IDs) and whether every
  subscriber got exactly one.

Baseline in the same run: the same number of ready-made messages sent with bare
``smtplib`` over one connection to the same server, the floor for any sender.
Target: all N = 10,000 delivered in under 60 s, 0 duplicates.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import logging
import os
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_DB = "brygga_bench_fanout"
REDIS = ("127.0.0.1", 6379)


def redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


def prepare_env(db: str, var_dir: Path, broker: str) -> dict[str, str]:
    env = {"BRYGGA_VAR_DIR": str(var_dir), "DEBUG": "true", "LOG_LEVEL": "WARNING"}
    if db == "postgres":
        admin = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c"]
        subprocess.run([*admin, f"DROP DATABASE IF EXISTS {PG_DB}"], check=True)
        subprocess.run([*admin, f"CREATE DATABASE {PG_DB}"], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{var_dir / 'bench.sqlite3'}"
    use_redis = broker == "redis" or (broker == "auto" and redis_up())
    env["REDIS_URL"] = "redis://127.0.0.1:6379/13" if use_redis else ""
    return env


class RawSink:
    """An SMTP server handler that only keeps the raw bytes (parsed after the clock stops),
    so that the server costs as little CPU as a real relay's queue-and-forward."""

    def __init__(self) -> None:
        self.raw: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.raw.append(envelope.original_content)  # type: ignore[attr-defined]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--concurrency", type=int, default=1, help="worker processes")
    parser.add_argument(
        "--broker",
        choices=["auto", "redis", "filesystem"],
        default="auto",
        help="auto: Redis when it answers on 127.0.0.1:6379",
    )
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="brygga-bench-fanout-"))
    env = prepare_env(args.db, var_dir, args.broker)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "brygga.settings"
    import django

    django.setup()
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from brygga.actionplan.models import ActivityStatus, ActivityUpdate, Subscriber, Subscription
    from brygga.actionplan.services.status import activity_set_status
    from brygga.actionplan.services.structure import (
        activity_create,
        area_create,
        program_create,
    )
    from brygga.celery import app
    from brygga.core.models import OutboxMessage

    if env["REDIS_URL"]:
        app.conf.broker_url = env["REDIS_URL"]
        app.control.purge()
    call_command("migrate", verbosity=0)
    program = program_create(title="Topp 50-2017", published=True)
    area = area_create(program=program, title="Förbättra dialogen", published=True)
    activity = activity_create(
        area=area,
        title="Starta dialogmöten mellan tjänstemän och företagare 4 gånger/per år",
        status=ActivityStatus.objects.get(key="investigating"),
        published=True,
        notify=False,
    )
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(email=f"foretagare{i}@example.se", token=f"s{i:06d}") for i in range(args.n)
    )
    Subscription.objects.bulk_create(
        (
            Subscription(subscriber=s, area=area, token=f"a{s.pk:06d}", confirmed_at=now)
            for s in subscribers
        ),
        batch_size=2000,
    )

    sink = RawSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    worker_env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
    celery = Path(sys.executable).with_name("celery")
    worker = subprocess.Popen(
        [
            str(celery),
            "-A",
            "brygga",
            "worker",
            f"--concurrency={args.concurrency}",
            "--pool=" + ("solo" if args.concurrency == 1 else "prefork"),
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=worker_env,
        stdout=(var_dir / "worker.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        time.sleep(4)  # let the worker connect to the broker
        started = time.monotonic()
        activity_set_status(
            activity=activity,
            status=ActivityStatus.objects.get(key="done"),
            status_text="Aktiviteten är avklarad.",
        )
        request_s = time.monotonic() - started
        entry = ActivityUpdate.objects.filter(activity=activity).latest("id")
        fanout_s = None
        deadline = started + 180
        while time.monotonic() < deadline:
            if (
                fanout_s is None
                and ActivityUpdate.objects.filter(pk=entry.pk, notified_at__isnull=False).exists()
            ):
                fanout_s = time.monotonic() - started
            if len(sink.raw) >= args.n:
                break
            time.sleep(0.05)
        delivered_s = time.monotonic() - started
        time.sleep(2)  # a duplicate, if any, would arrive now
        received = [email.message_from_bytes(raw, policy=email.policy.default) for raw in sink.raw]
        sent_rows = OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)

    ids = Counter(m["Message-ID"] for m in received)
    recipients = Counter(m["To"] for m in received)
    duplicates = len(received) - len(ids)
    one_each = len(recipients) == args.n and max(recipients.values()) == 1

    # Baseline: bare smtplib, one connection, ready-made messages, same server.
    template = received[0] if received else None
    floor_messages = []
    for i in range(args.n):
        message = EmailMessage()
        message["From"] = settings.DEFAULT_FROM_EMAIL
        message["To"] = f"golv{i}@example.se"
        message["Subject"] = template["Subject"] if template else "Ny status"
        body = template.get_body(preferencelist=("plain",)) if template else None
        message.set_content(body.get_content() if body is not None else "text")
        floor_messages.append(message)
    before = len(sink.raw)
    floor_started = time.monotonic()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for message in floor_messages:
            smtp.send_message(message)
    floor_s = time.monotonic() - floor_started
    assert len(sink.raw) - before == args.n
    controller.stop()

    import sqlite3

    database = (
        "PostgreSQL {}.{}".format(*divmod(connection.pg_version, 10000))  # type: ignore[attr-defined]
        if args.db == "postgres"
        else f"SQLite {sqlite3.sqlite_version}"
    )
    broker = "Redis" if env["REDIS_URL"] else "file system"
    print(
        f"\nFan-out of one status change to {args.n:,} subscribers — {database}, "
        f"broker {broker}, {args.concurrency} worker process(es)\n"
    )
    print("| step | seconds | rate /s | note |")
    print("|---|---:|---:|---|")
    print(f"| the change (request) | {request_s:.3f} | | writes the entry, queues the fan-out |")
    print(f"| fan-out written | {fanout_s or float('nan'):.1f} | | {args.n:,} rows in the outbox |")
    rate = len(received) / delivered_s if delivered_s else 0
    target = "met" if len(received) >= args.n and delivered_s < 60 else "NOT met"
    print(f"| all delivered | {delivered_s:.1f} | {rate:,.0f} | target < 60 s — {target} |")
    print(
        f"| baseline: bare smtplib | {floor_s:.1f} | {args.n / floor_s:,.0f} | "
        f"{delivered_s / floor_s:.1f} times the floor |"
    )
    print(
        f"\nreceived {len(received):,}, distinct Message-IDs {len(ids):,}, "
        f"duplicates {duplicates}, every subscriber exactly once: {one_each}, "
        f"outbox rows sent {sent_rows:,}"
    )
    if args.db == "postgres":
        connection.close()
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-q",
                "-c",
                f"DROP DATABASE IF EXISTS {PG_DB}",
            ],
            check=False,
        )
    shutil.rmtree(var_dir, ignore_errors=True)
    ok = duplicates == 0 and one_each and delivered_s < 60
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Invitations to a meeting: 10,000 contacts invited, written and delivered over SMTP.

    python bench/events_invitations.py                  # 10,000 on PostgreSQL
    python bench/events_invitations.py 2000 --parallel 2

Builds its own PostgreSQL database (``brygga_bench_events_inv``), migrates it and
bulk-creates N contacts with consent to mailings at N/5 active companies in
Strängnäs, and one meeting. A real SMTP server (aiosmtpd, only keeping the raw
bytes) listens on loopback in this process. Then what production does:

1. **the request**: staff invite the locality (``invitation_send``) — it records the
   batch and queues the worker after commit; it must take milliseconds;
2. **writing**: the worker's ``invitation_batch_write`` writes the invitations and
   their e-mails to the outbox, a thousand per transaction;
3. **delivery**: ``--parallel`` delivery processes (as ``BRYGGA_OUTBOX_PARALLEL``
   delivery tasks would, default 4) each run the worker's ``outbox_deliver_due()``
   from the start, so delivery begins as soon as the first thousand is committed,
   until the server has received all N.

Checked: every contact received exactly one message (distinct Message-IDs, one per
address), every outbox row sent, each with its own invitation link.

Baselines in the same run, to the same server:

* **without the outbox**: the same N invitations rendered from the same templates and
  sent with Django's SMTP backend over one connection (``send_messages``), as a
  request that mailed the invitations itself would have to — the time it would block;
* **floor**: the N messages the server received, sent again as ready-made bytes with
  bare ``smtplib`` over one connection.

Target: all N = 10,000 delivered in under 60 s, the request in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from email import message_from_bytes, policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_DB = "brygga_bench_events_inv"
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c"]
KIND = "events.invitation"
LINK = re.compile(r"/moten/inbjudan/([^/\s]+)/")


def machine() -> str:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.0f} GiB"
    except (ValueError, OSError):
        memory = "?"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{platform.node()}, {os.cpu_count()} cores, {memory}, Python "
        f"{platform.python_version()}, load average {load}"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RawSink:
    """Keeps only the raw bytes (parsed after the clock stops), so the server costs as
    little as a relay's queue-and-forward."""

    def __init__(self) -> None:
        self.raw: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.raw.append(envelope.original_content)  # type: ignore[attr-defined]
        return "250 OK"


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "brygga.settings"
    import django

    django.setup()


def deliver(n: int, timeout: float) -> int:
    """A delivery process: the worker's outbox_deliver_due() until N invitations are sent."""
    from brygga.core.models import OutboxMessage
    from brygga.core.outbox_delivery import outbox_deliver_due

    deadline = time.monotonic() + timeout
    sent = OutboxMessage.objects.filter(kind=KIND, state=OutboxMessage.State.SENT)
    while time.monotonic() < deadline:
        report, _more = outbox_deliver_due()
        if report.claimed == 0:
            if sent.count() >= n:
                return 0
            time.sleep(0.05)
    return 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=10_000, help="contacts invited")
    parser.add_argument("--parallel", type=int, default=4, help="delivery processes")
    parser.add_argument("--deliver", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--timeout", type=float, default=300, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.deliver:  # a child: the environment is the parent's
        setup_django({})
        return deliver(args.n, args.timeout)

    var_dir = Path(tempfile.mkdtemp(prefix="brygga-bench-invitations-"))
    subprocess.run([*PSQL, f"DROP DATABASE IF EXISTS {PG_DB}"], check=True)
    subprocess.run([*PSQL, f"CREATE DATABASE {PG_DB}"], check=True)
    sink = RawSink()
    port = free_port()
    env = {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{PG_DB}",
        "BRYGGA_VAR_DIR": str(var_dir),
        "DEBUG": "true",
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "",  # the file-system broker: the queued task is written, never run
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
    }
    setup_django(env)
    import datetime as dt
    import logging

    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives, get_connection
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    from brygga.core.models import OutboxMessage
    from brygga.core.outbox import mail_render
    from brygga.events.links import invitation_url
    from brygga.events.mail import event_context
    from brygga.events.models import EventKind, Invitation, InvitationBatch
    from brygga.events.services.events import event_create
    from brygga.events.services.invitations import invitation_batch_write, invitation_send
    from brygga.register.models import Company, Contact

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    per_company = 5
    companies = Company.objects.bulk_create(
        (
            Company(
                identity=f"55{i:08d}",
                name=f"Bänkföretag {i} AB",
                postal_town="Strängnäs",
                postal_code="64530",
                street_address=f"Storgatan {i % 48 + 1}",
                legal_form="AB",
                search_text=f"bänkföretag {i} ab",
            )
            for i in range((args.n + per_company - 1) // per_company)
        ),
        batch_size=2000,
    )
    now = timezone.now()
    Contact.objects.bulk_create(
        (
            Contact(
                company=companies[i // per_company],
                name=f"Företagare {i}",
                email=f"foretagare{i}@example.se",
                consent_processing=True,
                consent_processing_source="staff",
                consent_processing_at=now,
                consent_mailing=True,
                consent_mailing_source="staff",
                consent_mailing_at=now,
            )
            for i in range(args.n)
        ),
        batch_size=2000,
    )
    starts = now + dt.timedelta(days=21)
    event = event_create(
        data={
            "kind": EventKind.objects.get(key="frukostmote"),
            "title": "Frukostmöte i Strängnäs",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=1, minutes=30),
            "locality": "Strängnäs",
            "place": "Stadshotellets konferens",
            "address": "Storgatan 12",
            "capacity": 40,
        }
    )
    other = event_create(
        data={
            "kind": EventKind.objects.get(key="lunchmote"),
            "title": "Lunchmöte i Mariefred",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=1),
            "locality": "Mariefred",
        }
    )
    connections.close_all()

    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    children = [
        subprocess.Popen(
            [sys.executable, __file__, str(args.n), "--deliver"],
            cwd=ROOT,
            env={**os.environ},
            stdout=(var_dir / f"deliver{i}.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        for i in range(args.parallel)
    ]
    try:
        time.sleep(2)  # the delivery processes have started and found nothing due
        # A web process has sent a task before: the first call also connects to the
        # broker. Timed apart, on a second meeting and a locality without contacts.
        cold_started = time.perf_counter()
        invitation_send(event=other, target=InvitationBatch.Target.LOCALITY, locality="Mariefred")
        cold_s = time.perf_counter() - cold_started
        started = time.perf_counter()
        batch = invitation_send(
            event=event, target=InvitationBatch.Target.LOCALITY, locality="Strängnäs"
        )
        request_s = time.perf_counter() - started
        invitation_batch_write(batch_id=batch.pk)  # the worker's task, here
        written_s = time.perf_counter() - started
        deadline = started + 300
        while len(sink.raw) < args.n and time.perf_counter() < deadline:
            time.sleep(0.02)
        delivered_s = time.perf_counter() - started
        time.sleep(1)  # a duplicate, if any, would arrive now
    finally:
        for child in children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()

    received = [message_from_bytes(raw, policy=policy.default) for raw in sink.raw]
    ids = Counter(m["Message-ID"] for m in received)
    recipients = Counter(str(m["To"]) for m in received)
    one_each = len(recipients) == args.n and max(recipients.values(), default=0) == 1
    duplicates = len(received) - len(ids)
    batch.refresh_from_db()
    sent_rows = OutboxMessage.objects.filter(kind=KIND, state=OutboxMessage.State.SENT).count()
    tokens = set(Invitation.objects.values_list("token", flat=True))
    linked: set[str] = set()
    for message in received:
        body = message.get_body(preferencelist=("plain",))
        found = LINK.search(body.get_content() if body is not None else "")
        if found:
            linked.add(found.group(1))
    own_links = linked == tokens and len(tokens) == args.n

    # Baseline 1: without the outbox — render and send from "the request", one connection.
    invitations = list(Invitation.objects.filter(event=event).order_by("id"))
    base = event_context(event)
    sink_before = len(sink.raw)
    direct_started = time.perf_counter()
    smtp = get_connection(fail_silently=False)
    smtp.open()
    chunk: list[EmailMultiAlternatives] = []
    for invitation in invitations:
        mail = mail_render(
            "events/email/invitation",
            {**base, "invitation": invitation, "invitation_url": invitation_url(invitation)},
        )
        email = EmailMultiAlternatives(
            mail.subject, mail.text, settings.DEFAULT_FROM_EMAIL, [invitation.email]
        )
        email.attach_alternative(mail.html, "text/html")
        chunk.append(email)
        if len(chunk) == 500:
            smtp.send_messages(chunk)
            chunk = []
    smtp.send_messages(chunk)
    smtp.close()
    direct_s = time.perf_counter() - direct_started
    assert len(sink.raw) - sink_before == len(invitations)

    # Baseline 2: the floor — the received bytes again over bare smtplib.
    raw = sink.raw[: args.n]
    floor_started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as client:
        for i, data in enumerate(raw):
            client.sendmail(settings.DEFAULT_FROM_EMAIL, [f"golv{i}@example.se"], data)
    floor_s = time.perf_counter() - floor_started
    controller.stop()

    pg = "PostgreSQL {}.{}".format(*divmod(connection.pg_version, 10000))  # type: ignore[attr-defined]
    print(f"\nMachine: {machine()}; {pg}")
    print(
        f"\nInvitations to {args.n:,} contacts (a locality) — write in the worker's function, "
        f"{args.parallel} delivery process(es), aiosmtpd on loopback\n"
    )
    print("| step | seconds | rate /s | note |")
    print("|---|---:|---:|---|")
    print(
        f"| the request (`invitation_send`) | {request_s:.3f} | | "
        f"records the batch, queues the worker (the process's first call: {cold_s:.3f} s) |"
    )
    print(
        f"| written (`invitation_batch_write`) | {written_s:.1f} | "
        f"{batch.invited / written_s:,.0f} | {batch.invited:,} invitations and e-mails "
        "in the outbox |"
    )
    rate = len(received) / delivered_s if delivered_s else 0
    met = len(received) >= args.n and delivered_s < 60
    print(
        f"| all delivered | {delivered_s:.1f} | {rate:,.0f} | from the request; target < 60 s — "
        f"{'met' if met else 'NOT met'} |"
    )
    print(
        f"| baseline: without the outbox | {direct_s:.1f} | {args.n / direct_s:,.0f} | rendered "
        f"and sent by Django over one connection: what a request would block on |"
    )
    print(
        f"| baseline: bare smtplib (floor) | {floor_s:.1f} | {args.n / floor_s:,.0f} | ready-made "
        f"bytes, one connection; delivery took {delivered_s / floor_s:.1f} times this |"
    )
    print(
        f"\nreceived {len(received):,}, distinct Message-IDs {len(ids):,}, duplicates "
        f"{duplicates}, every contact exactly once: {one_each}, outbox rows sent "
        f"{sent_rows:,}, batch {batch.state} with {batch.invited:,} invited, each its own "
        f"invitation link: {own_links}"
    )
    connections.close_all()
    subprocess.run([*PSQL, f"DROP DATABASE IF EXISTS {PG_DB}"], check=False)
    shutil.rmtree(var_dir, ignore_errors=True)
    ok = (
        met
        and one_each
        and own_links
        and duplicates == 0
        and sent_rows == args.n
        and request_s < 0.5
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Registrations at the same moment: 200 people for 50 seats, on PostgreSQL.

    python bench/events_registrations.py                 # 200 for 50 seats
    python bench/events_registrations.py 400 --seats 100 --workers 80
    python bench/events_registrations.py --processes 4    # the workers in 4 processes

Builds its own PostgreSQL database (``brygga_bench_events_reg``), migrates it and
makes one meeting with the seats through ``event_create``. Then N registrations
arrive at the same instant (a barrier) and are served by ``--workers`` threads,
each with its own database connection, as a web server's workers would serve N
requests: ``registration_create``, the function behind the public form, locks the
event's row, counts the seats, writes the registration and queues its e-mail. With
``--processes`` the workers are spread over processes (as a web server's), let go at
the same wall-clock moment.

Measured per registration:

* **latency**: from the common start to the registration's commit — what a
  visitor waits, including waiting for a free worker and for the event's lock;
* **in the service**: the time inside ``registration_create`` alone.

Checked: exactly ``seats`` confirmed, the rest waitlisted with positions 1…N-seats
without gaps or repeats, every address once, one confirmation or waitlist message
each in the outbox.

Baseline in the same run: the same N registrations for a second meeting one after
the other on one connection (no contention): its per-registration time is the
floor, and its total what serialising by hand would cost.
Target: exactly ``seats`` seats and N - ``seats`` waiting; p95 latency reported.

PostgreSQL allows ``max_connections`` (100 by default) sessions; the workers are
capped below what is free, so with 200 registrations some wait for a worker, as
requests do on a web server with a fixed number of workers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from brygga.events.models import Event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_DB = "brygga_bench_events_reg"
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-At", "-c"]


def machine() -> str:
    cores = os.cpu_count()
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.0f} GiB"
    except (ValueError, OSError):
        memory = "?"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{platform.node()}, {cores} cores, {memory}, Python {platform.python_version()}, "
        f"load average {load}"
    )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def row(name: str, values: list[float], note: str = "") -> str:
    ms = [v * 1000 for v in values]
    return (
        f"| {name} | {len(ms)} | {statistics.median(ms):,.1f} | {percentile(ms, 95):,.1f} | "
        f"{max(ms):,.1f} | {note} |"
    )


def free_connections() -> int:
    out = subprocess.run(
        [
            *PSQL,
            "SELECT current_setting('max_connections')::int"
            " - current_setting('superuser_reserved_connections')::int"
            " - (SELECT count(*) FROM pg_stat_activity)",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip())


def serve(
    event_id: int, numbers: list[int], threads: int, start: float | None
) -> tuple[list[float], list[float]]:
    """Register ``numbers`` for the event with ``threads`` threads, a connection each, all
    let go at once (at the wall-clock time ``start`` when given, for several processes).
    Returns the latencies from the start and the times inside the service, in seconds."""
    from django.db import connection, connections

    from brygga.events.models import Event
    from brygga.events.services.registrations import registration_create

    event = Event.objects.get(pk=event_id)
    connections.close_all()
    pending = list(numbers)
    lock = threading.Lock()
    latency: list[float] = []
    service: list[float] = []
    errors: list[BaseException] = []
    began_at: list[float] = []

    def go() -> None:
        if start is not None:
            time.sleep(max(0.0, start - time.time()))
        began_at.append(time.time() if start is None else start)

    # The clock starts when every worker is connected and waiting: all are let go at once.
    barrier = threading.Barrier(threads, action=go)

    def worker() -> None:
        try:
            connection.ensure_connection()  # connected before the clock starts
            barrier.wait(timeout=120)
            while True:
                with lock:
                    if not pending:
                        return
                    n = pending.pop(0)
                began = time.time()
                registration_create(
                    event=event,
                    name=f"Företagare {n}",
                    email=f"foretagare{n}@example.se",
                    company_text=f"Företag {n} AB",
                )
                done = time.time()
                with lock:
                    service.append(done - began)
                    latency.append(done - began_at[0])
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if errors:
        raise errors[0]
    return latency, service


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "brygga.settings"
    import django

    django.setup()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=200, help="registrations")
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument(
        "--workers", type=int, default=0, help="threads with a connection each (0: N, capped)"
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="spread the workers over this many processes (as a web server's)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # one of several processes: the environment is the parent's
        job = json.loads(args.child)
        setup_django()
        latency, service = serve(job["event"], job["numbers"], job["threads"], job["start"])
        print(json.dumps({"latency": latency, "service": service}))
        return 0

    subprocess.run([*PSQL, f"DROP DATABASE IF EXISTS {PG_DB}"], check=True)
    subprocess.run([*PSQL, f"CREATE DATABASE {PG_DB}"], check=True)
    headroom = free_connections() - 10  # the main thread, psql, others on the server
    workers = min(args.workers or args.n, args.n, headroom)
    os.environ.update(
        {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{PG_DB}",
            "DEBUG": "true",
            "LOG_LEVEL": "WARNING",
        }
    )
    setup_django()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    from brygga.core.models import OutboxMessage
    from brygga.events.models import EventKind, Registration
    from brygga.events.services.events import event_create
    from brygga.events.services.registrations import registration_create

    call_command("migrate", verbosity=0)
    kind = EventKind.objects.get(key="frukostmote")
    starts = timezone.now() + dt.timedelta(days=14)

    def make(title: str) -> Event:
        return event_create(
            data={
                "kind": kind,
                "title": title,
                "starts_at": starts,
                "ends_at": starts + dt.timedelta(hours=1, minutes=30),
                "locality": "Strängnäs",
                "place": "Stadshotellets konferens",
                "capacity": args.seats,
            }
        )

    # ---------------------------------------------------------------- concurrent
    event = make("Frukostmöte i Strängnäs")
    connections.close_all()
    if args.processes == 1:
        latency, service = serve(event.pk, list(range(args.n)), workers, None)
    else:
        start = time.time() + 5  # every process set up and connected by then
        children = [
            subprocess.Popen(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    json.dumps(
                        {
                            "event": event.pk,
                            "numbers": list(range(args.n))[i :: args.processes],
                            "threads": max(1, workers // args.processes),
                            "start": start,
                        }
                    ),
                ],
                cwd=ROOT,
                env={**os.environ},
                stdout=subprocess.PIPE,
                text=True,
            )
            for i in range(args.processes)
        ]
        latency, service = [], []
        for child in children:
            out, _err = child.communicate(timeout=600)
            if child.returncode != 0:
                raise SystemExit(f"a worker process failed: {out}")
            result = json.loads(out.strip().splitlines()[-1])
            latency += result["latency"]
            service += result["service"]
    wall = max(latency)

    regs = Registration.objects.filter(event=event)
    statuses = Counter(regs.values_list("status", flat=True))
    confirmed = statuses[Registration.Status.CONFIRMED]
    waiting = statuses[Registration.Status.WAITLISTED]
    ids = list(
        regs.filter(status=Registration.Status.WAITLISTED)
        .order_by("id")
        .values_list("id", flat=True)
    )
    positions = [
        regs.filter(status=Registration.Status.WAITLISTED, id__lte=pk).count() for pk in ids
    ]
    distinct = regs.values("email").distinct().count()
    mails = Counter(
        OutboxMessage.objects.filter(
            kind__in=["events.confirmed", "events.waitlisted"]
        ).values_list("kind", flat=True)
    )

    # ---------------------------------------------------------------- sequential
    baseline = make("Frukostmöte i Mariefred")
    sequential: list[float] = []
    seq_started = time.perf_counter()
    for n in range(args.n):
        began = time.perf_counter()
        registration_create(
            event=baseline,
            name=f"Företagare {n}",
            email=f"foretagare{n}@example.se",
            company_text=f"Företag {n} AB",
        )
        sequential.append(time.perf_counter() - began)
    seq_wall = time.perf_counter() - seq_started
    seq_confirmed = Registration.objects.filter(
        event=baseline, status=Registration.Status.CONFIRMED
    ).count()

    pg = "PostgreSQL {}.{}".format(*divmod(connection.pg_version, 10000))  # type: ignore[attr-defined]
    print(f"\nMachine: {machine()}; {pg}")
    print(
        f"\n{args.n} registrations at the same instant for {args.seats} seats — "
        f"{workers} worker threads in {args.processes} process(es), a connection each\n"
    )
    print("| ms | registrations | p50 | p95 | max | note |")
    print("|---|---:|---:|---:|---:|---|")
    print(row("latency, concurrent", latency, f"all done in {wall * 1000:,.0f} ms"))
    print(row("in the service, concurrent", service, "lock wait included"))
    print(
        row(
            "baseline: one after the other",
            sequential,
            f"total {seq_wall * 1000:,.0f} ms, one connection",
        )
    )
    exact = confirmed == args.seats and waiting == args.n - args.seats
    in_order = positions == list(range(1, waiting + 1))
    print(
        f"\nconfirmed {confirmed} (target {args.seats}), waitlisted {waiting} "
        f"(target {args.n - args.seats}) — {'met' if exact else 'NOT met'}; waitlist positions "
        f"1…{waiting} without gaps: {in_order}; distinct addresses {distinct}; outbox "
        f"confirmations {mails['events.confirmed']}, waitlist messages "
        f"{mails['events.waitlisted']}; baseline confirmed {seq_confirmed}"
    )
    connections.close_all()
    subprocess.run([*PSQL, f"DROP DATABASE IF EXISTS {PG_DB}"], check=False)
    ok = (
        exact
        and in_order
        and distinct == args.n
        and mails["events.confirmed"] == args.seats
        and mails["events.waitlisted"] == args.n - args.seats
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Seats are never oversold when many register (and cancel) at the same moment.

PostgreSQL only: SQLite serialises writers anyway, so the race cannot happen there.
Each thread has its own database connection (Django's connections are per thread)
and closes it when done; the tests commit for real (``transaction=True``).

How the first test makes the race certain: while the main thread holds the event's
row lock, every thread is let into ``registration_create`` at once (a barrier), and
the test waits until PostgreSQL reports all forty **waiting for a lock**
(``pg_stat_activity``) before it lets go.

Without the lock these tests fail. Checked by hand with ``registrations._locked``
replaced by a plain ``Event.objects.get`` (no ``select_for_update``): each thread
counts the seats taken before the others have committed, so the first test got 40
confirmed instead of 10 (the threads then still queue at the gate, on the foreign
key's share lock of their insert, but only after counting), and the second got 2
confirmed instead of 10 (promotions counted stale seats). The last test runs the same
count-then-insert without a lock in the test itself, to show the race is real here.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any

import pytest
from django.db import connection, connections, transaction

from brygga.core.models import OutboxMessage
from brygga.events.models import Event, Registration
from brygga.events.services.registrations import (
    registration_cancel,
    registration_create,
    waitlist_position,
)
from brygga.events.tests.factories import make_event, make_registration

pytestmark = pytest.mark.django_db(transaction=True)
Status = Registration.Status
TIMEOUT = 60


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the race needs concurrent writers: PostgreSQL only")


def run_together(jobs: Sequence[Callable[[], Any]]) -> list[Any]:
    """Run each job in a thread of its own, all released at the same moment; returns
    the results in order (an exception is re-raised here)."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)
    errors: list[BaseException] = []

    def work(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=TIMEOUT)
            results[index] = job()
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 2)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        raise errors[0]
    return results


def waiting_for_locks() -> int:
    """How many sessions on this database wait for a lock just now."""
    with connections["default"].cursor() as cursor:
        # pg_stat_activity is read once per transaction unless the snapshot is cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


@contextmanager
def holding_lock(event: Event) -> Iterator[None]:
    """Hold ``event``'s row lock, as a registration in progress would."""
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        yield


def wait_until_waiting(n: int) -> None:
    deadline = time.monotonic() + TIMEOUT
    while (waiting := waiting_for_locks()) < n:
        assert time.monotonic() < deadline, f"only {waiting} of {n} wait for the event's lock"
        time.sleep(0.02)


def in_background(jobs: Sequence[Callable[[], Any]]) -> tuple[threading.Thread, list[Any]]:
    box: list[Any] = []
    thread = threading.Thread(target=lambda: box.append(run_together(jobs)))
    thread.start()
    return thread, box


def test_forty_at_once_for_ten_seats_ten_confirmed_thirty_waiting_in_order() -> None:
    event = make_event(capacity=10)
    jobs = [
        partial(registration_create, event=event, name=f"Person {n}", email=f"p{n}@example.se")
        for n in range(40)
    ]

    with holding_lock(event):
        thread, box = in_background(jobs)
        # Every thread is inside registration_create, waiting for the event's row lock.
        wait_until_waiting(40)
    thread.join(timeout=TIMEOUT * 2)
    assert not thread.is_alive() and box, "the registrations did not finish"
    results: list[Registration] = box[0]

    regs = list(Registration.objects.filter(event=event).order_by("id"))
    assert len(regs) == 40 == len({r.email for r in regs}) == len({r.pk for r in results})
    statuses = Counter(r.status for r in regs)
    assert statuses == {Status.CONFIRMED: 10, Status.WAITLISTED: 30}
    # First come, first served: the ten seats went to the ten first rows.
    assert [r.status for r in regs] == [Status.CONFIRMED] * 10 + [Status.WAITLISTED] * 30
    positions = sorted(waitlist_position(r) or 0 for r in regs if r.status == Status.WAITLISTED)
    assert positions == list(range(1, 31))

    confirmed = OutboxMessage.objects.filter(kind="events.confirmed")
    waitlisted = OutboxMessage.objects.filter(kind="events.waitlisted")
    assert sorted(confirmed.values_list("to", flat=True)) == sorted(
        r.email for r in regs if r.status == Status.CONFIRMED
    )
    assert waitlisted.count() == 30
    # Each waiting person was told a number of their own, 1 to 30.
    told = sorted(
        int(re.search(r"som nummer (\d+)", m.body_text).group(1))  # type: ignore[union-attr]
        for m in waitlisted
    )
    assert told == list(range(1, 31))


def test_cancellations_and_registrations_at_once_never_exceed_the_seats() -> None:
    event = make_event(capacity=10)
    seated = [make_registration(event, email=f"seat{n}@example.se") for n in range(10)]
    queued = [make_registration(event, email=f"queue{n}@example.se") for n in range(10)]
    assert all(r.status == Status.WAITLISTED for r in queued)

    cancels = [partial(registration_cancel, registration=r) for r in seated]
    newcomers = [
        partial(registration_create, event=event, name=f"Ny {n}", email=f"new{n}@example.se")
        for n in range(20)
    ]
    checks: list[int] = []

    def count_seats() -> int:
        # Read while the others write: never more than the capacity, at any moment.
        for _ in range(50):
            checks.append(Registration.objects.filter(event=event, status=Status.CONFIRMED).count())
        return 0

    run_together([*cancels, *newcomers, count_seats])

    regs = Registration.objects.filter(event=event)
    assert max(checks) <= 10
    assert regs.filter(status=Status.CONFIRMED).count() == 10
    # The queue kept its order: those waiting before got the freed seats, no newcomer
    # jumped it.
    assert set(regs.filter(status=Status.CONFIRMED).values_list("email", flat=True)) == {
        r.email for r in queued
    }
    assert regs.filter(status=Status.WAITLISTED).count() == 20
    assert regs.filter(status=Status.CANCELLED).count() == 10
    assert OutboxMessage.objects.filter(kind="events.promoted").count() == 10
    waiting = regs.filter(status=Status.WAITLISTED).order_by("id")
    assert [waitlist_position(r) for r in waiting] == list(range(1, 21))


def test_the_same_address_forty_times_at_once_takes_one_seat() -> None:
    event = make_event(capacity=10)
    jobs = [
        partial(registration_create, event=event, name="Anna", email="anna@example.se")
        for _ in range(40)
    ]
    results = run_together(jobs)
    assert len({r.pk for r in results}) == 1
    assert Registration.objects.filter(event=event).count() == 1
    assert OutboxMessage.objects.filter(kind="events.confirmed").count() == 1
    assert OutboxMessage.objects.filter(kind="events.already_registered").count() == 39


def test_without_the_lock_the_same_race_oversells() -> None:
    """The control: count-then-insert without a lock, each thread counting before any
    has written (a second barrier makes the overlap certain), confirms everyone. The
    assertions of the first test would catch that."""
    event = make_event(capacity=10)
    counted = threading.Barrier(40)

    def naive(n: int) -> None:
        with transaction.atomic():
            taken = Registration.objects.filter(event=event, status=Status.CONFIRMED).count()
            counted.wait(timeout=TIMEOUT)
            Registration.objects.create(
                event=event,
                status=Status.CONFIRMED if taken < 10 else Status.WAITLISTED,
                name=f"Person {n}",
                email=f"p{n}@example.se",
                token=f"naive-{n}",
            )

    run_together([partial(naive, n) for n in range(40)])
    assert Registration.objects.filter(event=event, status=Status.CONFIRMED).count() > 10

"""Background work shared by every app: delivering and purging the outbox."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings

from brygga.core.outbox_delivery import outbox_deliver_due, outbox_purge

log = logging.getLogger(__name__)


@shared_task(name="core.outbox_deliver")
def outbox_deliver_task() -> int:
    """Deliver what is due. Safe to run any number of times, in any number of workers.

    After ``BRYGGA_OUTBOX_TASK_SECONDS`` the task queues its own successor instead of
    going on, so a fan-out of thousands of messages does not hold a worker that other
    tasks (an import, another fan-out) are waiting for.
    """
    report, more = outbox_deliver_due(time_budget=settings.BRYGGA_OUTBOX_TASK_SECONDS)
    if report.claimed:
        log.info(
            "outbox: %s sent, %s to retry, %s failed, %s handed back",
            report.sent,
            report.retried,
            report.failed,
            report.released,
        )
    if more:
        outbox_kick()
    return report.sent


@shared_task(name="core.outbox_purge")
def outbox_purge_task() -> int:
    return outbox_purge()


def outbox_kick(*, tasks: int = 1) -> None:
    """Nudge workers to deliver now (called after commit): ``tasks`` delivery tasks."""
    for _ in range(tasks):
        outbox_deliver_task.delay()


@worker_ready.connect
def _deliver_on_start(**_kwargs: Any) -> None:
    # Whatever waited while no worker ran goes out now, not at the next sweep.
    try:
        outbox_kick()
    except Exception:
        log.exception("could not queue the outbox delivery at start-up")

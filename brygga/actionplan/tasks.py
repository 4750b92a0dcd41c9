"""Background work of the action plan: telling subscribers, and forgetting what was
never confirmed. Every task is safe to run twice."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task

from brygga.actionplan.services.notifications import (
    digests_send,
    update_fanout,
    updates_awaiting_fanout,
)
from brygga.actionplan.services.participation import contributions_purge_unverified
from brygga.actionplan.services.subscriptions import subscriptions_purge_unconfirmed

log = logging.getLogger(__name__)

# A fan-out task normally runs within seconds of the change; one still waiting after
# this is taken to be lost (a broker restart, a worker that died) and is run again.
FANOUT_GRACE = dt.timedelta(minutes=2)


@shared_task(name="actionplan.update_fanout")
def update_fanout_task(update_id: int) -> int:
    """Write the e-mails about one timeline entry to the outbox."""
    count = update_fanout(update_id=update_id)
    if count:
        log.info("timeline entry %s: %s notifications written to the outbox", update_id, count)
    return count


@shared_task(name="actionplan.fanout_sweep")
def fanout_sweep_task() -> int:
    """Run the fan-out of entries whose own task seems lost."""
    ids = updates_awaiting_fanout(older_than=FANOUT_GRACE)
    for update_id in ids:
        update_fanout(update_id=update_id)
    return len(ids)


@shared_task(name="actionplan.digests")
def digests_task() -> int:
    return digests_send()


@shared_task(name="actionplan.purge_unconfirmed")
def purge_unconfirmed_task() -> int:
    return contributions_purge_unverified() + subscriptions_purge_unconfirmed()

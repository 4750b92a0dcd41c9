"""The worker's jobs for meetings. Each is safe to run twice (see the services)."""

from __future__ import annotations

from celery import shared_task

from brygga.events.services.evaluations import evaluation_requests_send, reminders_send
from brygga.events.services.invitations import invitation_batch_write, invitation_batches_sweep
from brygga.events.services.series import series_extend_all


@shared_task(name="events.write_invitations", acks_late=True)
def write_invitations(batch_id: int) -> int:
    """Write one batch's invitations and e-mails to the outbox (queued by staff's send)."""
    batch = invitation_batch_write(batch_id=batch_id)
    return batch.invited if batch is not None else 0


@shared_task(name="events.send_reminders")
def send_reminders() -> int:
    """Reminders before meetings; also writes invitation batches whose task was lost."""
    invitation_batches_sweep()
    return reminders_send()


@shared_task(name="events.send_evaluations")
def send_evaluations() -> int:
    return evaluation_requests_send()


@shared_task(name="events.extend_series")
def extend_series() -> int:
    """Make each running series' occurrences up to the horizon."""
    return series_extend_all()

"""The worker's periodic jobs for visits."""

from __future__ import annotations

from celery import shared_task

from brygga.visits.services.followups import follow_ups_remind_due


@shared_task(name="visits.remind_follow_ups")
def remind_follow_ups() -> int:
    """Mail the owners of follow-ups that fall due (run hourly; each is reminded once)."""
    return follow_ups_remind_due()

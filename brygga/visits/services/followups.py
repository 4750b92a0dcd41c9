"""Writes for follow-ups, and the reminder mailed to the owner when one falls due."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from brygga.core.audit import audit_record, diff, snapshot
from brygga.core.models import AuditEntry
from brygga.core.outbox import mail_enqueue
from brygga.visits.models import FollowUp, Visit

FOLLOW_UP_EDITABLE = ("title", "owner", "due_on", "status", "outcome")


@transaction.atomic
def follow_up_create(
    *, visit: Visit, title: str, owner: Any, due_on: dt.date, actor: Any = None, via: str = ""
) -> FollowUp:
    follow_up = FollowUp(visit=visit, title=title, owner=owner, due_on=due_on)
    follow_up.full_clean()
    follow_up.save()
    audit_record(
        action=AuditEntry.Action.CREATE,
        subject=follow_up,
        changes=diff({}, snapshot(follow_up, FOLLOW_UP_EDITABLE)),
        actor=actor,
        via=via,
        parent=visit,
    )
    return follow_up


@transaction.atomic
def follow_up_update(
    *, follow_up: FollowUp, data: dict[str, Any], actor: Any = None, via: str = ""
) -> FollowUp:
    """Change a follow-up. Closing it stamps ``done_at``; reopening clears it; a new
    due date lets the reminder go out again."""
    unknown = set(data) - set(FOLLOW_UP_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    follow_up = FollowUp.objects.select_for_update(of=("self",)).get(pk=follow_up.pk)
    before = snapshot(follow_up, FOLLOW_UP_EDITABLE)
    for name, value in data.items():
        setattr(follow_up, name, value)
    if follow_up.status == FollowUp.Status.OPEN:
        follow_up.done_at = None
    elif follow_up.done_at is None:
        follow_up.done_at = timezone.now()
    follow_up.full_clean()
    follow_up.save()
    changes = diff(before, snapshot(follow_up, FOLLOW_UP_EDITABLE))
    if changes:
        audit_record(
            action=AuditEntry.Action.UPDATE,
            subject=follow_up,
            changes=changes,
            actor=actor,
            via=via,
            parent=follow_up.visit,
        )
    return follow_up


def follow_ups_remind_due(*, today: dt.date | None = None) -> int:
    """Queue one reminder per open follow-up that is due (or overdue) and not yet
    reminded for its current due date. Returns how many were queued.

    Each reminder is written in the same transaction as the mark on its follow-up,
    with a dedupe key, so a crash or a second worker cannot send it twice.
    """
    today = today or timezone.localdate()
    queued = 0
    due = (
        FollowUp.objects.filter(
            status=FollowUp.Status.OPEN, due_on__lte=today, owner__is_active=True
        )
        .exclude(reminded_for=F("due_on"))
        .values_list("pk", flat=True)
    )
    for pk in list(due):
        with transaction.atomic():
            follow_up = (
                FollowUp.objects.select_for_update(of=("self",))
                .select_related("owner", "visit__kind")
                .filter(pk=pk, status=FollowUp.Status.OPEN)
                .first()
            )
            if follow_up is None or follow_up.reminded_for == follow_up.due_on:
                continue
            companies = ", ".join(c.name for c in follow_up.visit.companies.all()[:5])
            mail_enqueue(
                to=follow_up.owner.email,
                template="visits/email/follow_up_due",
                context={
                    "follow_up": follow_up,
                    "companies": companies,
                    "overdue": follow_up.due_on < today,
                    "url": settings.SITE_URL.rstrip("/")
                    + reverse("visits:visit_detail", args=[follow_up.visit_id]),
                    "list_url": settings.SITE_URL.rstrip("/") + reverse("visits:my_follow_ups"),
                },
                kind="visits.follow_up_due",
                dedupe_key=f"visits.follow_up_due:{follow_up.pk}:{follow_up.due_on:%Y-%m-%d}",
            )
            follow_up.reminded_for = follow_up.due_on
            follow_up.save(update_fields=["reminded_for"])
            queued += 1
    return queued

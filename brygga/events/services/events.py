"""Writes for meetings: create, edit (move), cancel, and their own questions.

A change of time or place raises the meeting's SEQUENCE and mails everyone with a
seat the updated .ics, so their calendar entry moves with it; a cancellation does the
same with the entry marked cancelled, and tells the waitlist too. A larger capacity
gives the new seats to the waitlist at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from brygga.core.audit import audit_record, diff, snapshot
from brygga.core.models import AuditEntry
from brygga.events.links import uid_domain
from brygga.events.mail import registration_mail
from brygga.events.models import Event, Question, Registration
from brygga.events.models.events import SHARED_FIELDS
from brygga.events.services.registrations import promote_waiting

EVENT_EDITABLE = (
    *SHARED_FIELDS,
    "starts_at",
    "ends_at",
    "registration_open",
    "registration_deadline",
)
# What the calendar entry shows: a change of any of these is news for those with a seat.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "locality", "place", "address")
QUESTION_EDITABLE = ("label", "help_text", "kind", "choices", "required", "position")

Status = Registration.Status


def new_uid() -> str:
    return f"{uuid.uuid4().hex}@{uid_domain()}"


def _check_editable(data: Mapping[str, Any], editable: tuple[str, ...]) -> None:
    unknown = set(data) - set(editable)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")


def event_slug(title: str) -> str:
    return slugify(title)[:120] or "mote"


@transaction.atomic
def event_create(*, data: Mapping[str, Any], actor: Any = None, via: str = "") -> Event:
    _check_editable(data, EVENT_EDITABLE)
    event = Event(uid=new_uid(), created_by=actor if getattr(actor, "pk", None) else None)
    for field, value in data.items():
        setattr(event, field, value)
    event.slug = event_slug(event.title)
    event.full_clean()
    event.save()
    audit_record(
        action=AuditEntry.Action.CREATE,
        subject=event,
        changes=diff({}, snapshot(event, EVENT_EDITABLE)),
        actor=actor,
        via=via,
    )
    return event


def _notify_change(event: Event, changed: set[str]) -> None:
    """Everyone with a seat gets the moved meeting's new .ics."""
    if event.cancelled or event.ends_at <= timezone.now():
        return
    people = Registration.objects.filter(event=event, status=Status.CONFIRMED).order_by("id")
    for registration in people:
        registration.event = event
        registration_mail(
            registration,
            "changed",
            with_ics=True,
            dedupe_key=f"events.changed:{registration.pk}:{event.sequence}",
            extra={"changed": sorted(changed)},
        )


@transaction.atomic
def event_update(
    *, event: Event, data: Mapping[str, Any], actor: Any = None, via: str = ""
) -> Event:
    """Change ``event``; time or place changes are mailed to those with a seat."""
    _check_editable(data, EVENT_EDITABLE)
    event = Event.objects.select_for_update().get(pk=event.pk)
    before = snapshot(event, EVENT_EDITABLE)
    for field, value in data.items():
        setattr(event, field, value)
    event.full_clean()
    changes = diff(before, snapshot(event, EVENT_EDITABLE))
    if not changes:
        return event
    calendar_changed = set(changes) & set(CALENDAR_FIELDS)
    update_fields = [*changes, "updated_at"]
    if calendar_changed:
        event.sequence += 1
        update_fields.append("sequence")
    if "title" in changes and event.series_id is None:
        event.slug = event_slug(event.title)
        update_fields.append("slug")
    event.save(update_fields=update_fields)
    audit_record(
        action=AuditEntry.Action.UPDATE, subject=event, changes=changes, actor=actor, via=via
    )
    if calendar_changed and not event.cancelled:
        _notify_change(event, calendar_changed)
    if "capacity" in changes:
        promote_waiting(event)
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor: Any = None, via: str = "") -> Event:
    """Cancel ``event``: its calendar entry is marked cancelled and everyone is told."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.cancelled:
        return event
    event.status = Event.Status.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    audit_record(
        action=AuditEntry.Action.UPDATE,
        subject=event,
        changes={"status": [Event.Status.SCHEDULED, Event.Status.CANCELLED]},
        actor=actor,
        via=via,
    )
    people = Registration.objects.filter(
        event=event, status__in=[Status.CONFIRMED, Status.WAITLISTED]
    ).order_by("id")
    for registration in people:
        registration.event = event
        registration_mail(
            registration,
            "event_cancelled",
            with_ics=registration.status == Status.CONFIRMED,
            dedupe_key=f"events.event_cancelled:{registration.pk}",
        )
    return event


@transaction.atomic
def question_save(
    *, event: Event, question: Question | None, data: Mapping[str, Any], actor: Any = None
) -> Question:
    _check_editable(data, QUESTION_EDITABLE)
    creating = question is None
    obj = Question(event=event) if question is None else question
    if obj.event_id != event.pk:
        raise ValidationError("The question belongs to another event.")
    before = {} if creating else snapshot(obj, QUESTION_EDITABLE)
    for field, value in data.items():
        setattr(obj, field, value)
    if obj.kind == Question.Kind.CHOICE and len(obj.choice_list) < 2:
        raise ValidationError({"choices": _("Skriv minst två svarsalternativ, ett per rad.")})
    obj.full_clean()
    obj.save()
    changes = diff(before, snapshot(obj, QUESTION_EDITABLE))
    if changes:
        audit_record(
            action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
            subject=obj,
            parent=event,
            changes=changes,
            actor=actor,
            via="frågor",
        )
    return obj


@transaction.atomic
def question_delete(*, question: Question, actor: Any = None) -> None:
    audit_record(
        action=AuditEntry.Action.DELETE,
        subject=question,
        parent=question.event,
        changes={"label": [question.label, None]},
        actor=actor,
        via="frågor",
    )
    question.delete()

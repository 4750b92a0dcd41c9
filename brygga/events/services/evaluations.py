"""Before and after a meeting: the reminder, the evaluation request and the answer.

Both mailings run in the worker (``events.send_reminders``, ``events.send_evaluations``,
every ten minutes) and are safe to repeat: each registration is stamped in the same
transaction as its message is written, and the message has a dedupe key.

- Everyone with a seat is reminded ``reminder_hours`` before the start (the
  event's own setting; 0 means none); who registers after that moment has just
  had the confirmation and is not reminded again.
- Everyone marked as attended gets a personal link to a short evaluation once the
  meeting has ended, also when attendance is marked afterwards, for
  ``BRYGGA_EVENT_EVALUATION_DAYS`` days; the link accepts one answer within that time.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.core.text import clean_public_text
from brygga.events.mail import registration_mail
from brygga.events.models import Evaluation, Event, Registration

Status = Registration.Status
CHUNK = 500


def _evaluation_window() -> dt.timedelta:
    return dt.timedelta(days=settings.BRYGGA_EVENT_EVALUATION_DAYS)


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind everyone with a seat at a meeting whose reminder time has come."""
    now = now or timezone.now()
    # Upcoming meetings not yet reminded: a few hundred at most; the hour is checked here.
    due_events = Event.objects.filter(
        status=Event.Status.SCHEDULED,
        reminder_hours__gt=0,
        starts_at__gt=now,
        reminders_sent_at__isnull=True,
    ).select_related("kind", "organiser")
    sent = 0
    for event in due_events:
        moment = event.starts_at - dt.timedelta(hours=event.reminder_hours)
        if moment > now:
            continue
        while True:
            with transaction.atomic():
                batch = list(
                    Registration.objects.select_for_update(skip_locked=True)
                    .filter(event=event, status=Status.CONFIRMED, reminded_at__isnull=True)
                    # Who registered after the reminder time has just had the confirmation.
                    .filter(created_at__lt=moment)
                    .order_by("id")[:CHUNK]
                )
                if not batch:
                    break
                for registration in batch:
                    registration.event = event
                    registration_mail(
                        registration,
                        "reminder",
                        with_ics=True,
                        dedupe_key=f"events.reminder:{registration.pk}",
                    )
                Registration.objects.filter(pk__in=[r.pk for r in batch]).update(reminded_at=now)
                sent += len(batch)
        Event.objects.filter(pk=event.pk).update(reminders_sent_at=now)
    return sent


def evaluation_requests_send(*, now: dt.datetime | None = None) -> int:
    """Send the evaluation link to every attendee of a meeting that has ended."""
    now = now or timezone.now()
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Registration.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    status=Status.CONFIRMED,
                    attended_at__isnull=False,
                    evaluation_requested_at__isnull=True,
                    event__status=Event.Status.SCHEDULED,
                    event__ends_at__lte=now,
                    event__ends_at__gt=now - _evaluation_window(),
                )
                .select_related("event__kind", "event__organiser")
                .order_by("id")[:CHUNK]
            )
            if not batch:
                break
            for registration in batch:
                registration_mail(
                    registration,
                    "evaluation",
                    dedupe_key=f"events.evaluation:{registration.pk}",
                )
            Registration.objects.filter(pk__in=[r.pk for r in batch]).update(
                evaluation_requested_at=now
            )
            Event.objects.filter(
                pk__in={r.event_id for r in batch}, evaluations_sent_at__isnull=True
            ).update(evaluations_sent_at=now)
            sent += len(batch)
    return sent


def evaluation_open_for(registration: Registration, now: dt.datetime | None = None) -> str | None:
    """None when ``registration`` may evaluate now, else the reason (Swedish) it may not."""
    now = now or timezone.now()
    event = registration.event
    if Evaluation.objects.filter(registration=registration).exists():
        return _("Tack, vi har redan fått ditt svar.")
    if registration.status != Status.CONFIRMED or registration.attended_at is None:
        return _("Utvärderingen är till för dem som deltog i mötet.")
    if event.ends_at > now:
        return _("Utvärderingen öppnar när mötet är slut.")
    if event.ends_at + _evaluation_window() < now:
        return _("Tiden för att svara har gått ut.")
    return None


@transaction.atomic
def evaluation_submit(
    *, registration: Registration, overall: int, dialogue_time: int, comment: str
) -> Evaluation:
    reason = evaluation_open_for(registration)
    if reason is not None:
        raise ValidationError(reason)
    evaluation = Evaluation(
        registration=registration,
        event_id=registration.event_id,
        overall=overall,
        dialogue_time=dialogue_time,
        comment=clean_public_text(comment)[:5000].strip(),
    )
    evaluation.full_clean(exclude=["registration", "event"])
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:
        raise ValidationError(_("Tack, vi har redan fått ditt svar.")) from None
    return evaluation

"""The meetings' e-mails: one place that knows their templates, context and attachments.

Every message goes through the outbox in the caller's transaction
(:func:`brygga.core.outbox.mail_enqueue`). Messages that give a seat carry the
meeting as an .ics attachment; all hold the person's own link (to cancel, or to
evaluate), so their bodies are ``sensitive`` and emptied once sent.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from brygga.core.models import OutboxMessage
from brygga.core.outbox import Attachment, mail_enqueue
from brygga.events.calendar import event_calendar
from brygga.events.links import evaluation_url, event_ics_url, event_url, manage_url
from brygga.events.models import Event, Registration

KIND_PREFIX = "events."


def ics_attachment(event: Event, registration: Registration | None = None) -> Attachment:
    return Attachment(
        filename=f"{slugify(event.title)[:60] or 'mote'}.ics",
        content_type="text/calendar; charset=utf-8; method=PUBLISH",
        content=event_calendar(event, registration=registration).decode("utf-8"),
    )


def event_context(event: Event) -> dict[str, Any]:
    return {"event": event, "event_url": event_url(event), "ics_url": event_ics_url(event)}


def registration_mail(
    registration: Registration,
    template: str,
    *,
    with_ics: bool = False,
    dedupe_key: str | None = None,
    extra: dict[str, Any] | None = None,
) -> OutboxMessage:
    """``events/email/<template>`` to the registered person, with their own links."""
    event = registration.event
    context = {
        **event_context(event),
        "registration": registration,
        "manage_url": manage_url(registration),
        "evaluation_url": evaluation_url(registration),
        **(extra or {}),
    }
    return mail_enqueue(
        to=registration.email,
        template=f"events/email/{template}",
        context=context,
        kind=f"{KIND_PREFIX}{template}",
        dedupe_key=dedupe_key,
        sensitive=True,
        attachments=[ics_attachment(event, registration)] if with_ics else (),
    )

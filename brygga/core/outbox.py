"""Writing e-mail to the outbox. Every e-mail Brygga sends goes through here.

A service that causes an e-mail calls :func:`mail_enqueue` inside its own
transaction: the message is a row written with the change, so a rolled-back change
sends nothing and a committed one never loses its mail, whatever happens to the
broker or the worker. After commit the worker is nudged
(:func:`brygga.core.tasks.outbox_kick`); the periodic sweep delivers anything the
nudge missed. Delivery is in :mod:`brygga.core.outbox_delivery`.

Templates come in three parts, rendered in Swedish whatever the request's language
(the worker has none): ``<name>_subject.txt``, ``<name>_body.txt`` and
``<name>_body.html``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import parseaddr
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from brygga.core.models import OutboxMessage

# Keeps auto-responders (out-of-office replies) from answering our notifications (RFC 3834).
STANDARD_HEADERS = {"Auto-Submitted": "auto-generated"}
BULK_BATCH = 1000


@dataclass(frozen=True)
class Attachment:
    """A text attachment (a calendar entry): its file name, MIME type and content."""

    filename: str
    content_type: str
    content: str

    def as_json(self) -> dict[str, str]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "content": self.content,
        }


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str


def mail_render(template: str, context: Mapping[str, Any]) -> Mail:
    """The three parts of ``template`` rendered with ``context`` (plus the site's name and URL)."""
    full = {
        "municipality_name": settings.BRYGGA_MUNICIPALITY_NAME,
        "site_url": settings.SITE_URL,
        **context,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", full).split())
        text = render_to_string(f"{template}_body.txt", full)
        html = render_to_string(f"{template}_body.html", full)
    return Mail(subject=subject, text=text, html=html)


def _message_id_domain() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return domain or "localhost"


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@{_message_id_domain()}>"


def outbox_message(
    *,
    to: str,
    mail: Mail,
    kind: str,
    headers: Mapping[str, str] | None = None,
    dedupe_key: str | None = None,
    sensitive: bool = False,
    priority: int = OutboxMessage.Priority.NOW,
    attachments: Sequence[Attachment] = (),
) -> OutboxMessage:
    """An unsaved outbox row for ``mail`` to ``to``."""
    return OutboxMessage(
        kind=kind,
        to=to,
        subject=mail.subject[:300],
        body_text=mail.text,
        body_html=mail.html,
        headers={**STANDARD_HEADERS, **(headers or {})},
        message_id=new_message_id(),
        dedupe_key=dedupe_key,
        sensitive=sensitive,
        priority=priority,
        attachments=[attachment.as_json() for attachment in attachments],
    )


def mail_enqueue(
    *,
    to: str,
    template: str,
    context: Mapping[str, Any],
    kind: str,
    headers: Mapping[str, str] | None = None,
    dedupe_key: str | None = None,
    sensitive: bool = False,
    attachments: Sequence[Attachment] = (),
) -> OutboxMessage:
    """Render ``template`` for ``to`` and write it to the outbox in the caller's transaction.

    ``sensitive`` marks a body holding an access link: it is emptied once sent. With a
    ``dedupe_key`` that is already in the outbox, nothing new is written and the
    existing message is returned.
    """
    with transaction.atomic():
        if dedupe_key is not None:
            existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
            if existing is not None:
                return existing
        message = outbox_message(
            to=to,
            mail=mail_render(template, context),
            kind=kind,
            headers=headers,
            dedupe_key=dedupe_key,
            sensitive=sensitive,
            attachments=attachments,
        )
        message.full_clean(validate_unique=False, validate_constraints=False)
        message.save()
        _kick_after_commit()
    return message


def outbox_write_many(messages: Iterable[OutboxMessage]) -> int:
    """Write many prepared messages in batches; those whose ``dedupe_key`` exists are skipped.

    Returns how many were handed to the database (skipped duplicates included). The
    caller owns the transaction; the worker is nudged after it commits.
    """
    count = 0
    batch: list[OutboxMessage] = []
    with transaction.atomic():
        for message in messages:
            batch.append(message)
            if len(batch) >= BULK_BATCH:
                OutboxMessage.objects.bulk_create(batch, ignore_conflicts=True)
                count += len(batch)
                batch = []
        if batch:
            OutboxMessage.objects.bulk_create(batch, ignore_conflicts=True)
            count += len(batch)
        if count:
            # One delivery task per batch, up to BRYGGA_OUTBOX_PARALLEL: a worker with
            # several processes sends a large fan-out side by side (claims never overlap).
            batches = -(-count // settings.BRYGGA_OUTBOX_BATCH_SIZE)
            _kick_after_commit(tasks=min(batches, settings.BRYGGA_OUTBOX_PARALLEL))
    return count


def _kick_after_commit(*, tasks: int = 1) -> None:
    from brygga.core.tasks import outbox_kick

    # robust: a broker that is down must not undo or fail the change; the
    # periodic sweep delivers the message instead.
    transaction.on_commit(partial(outbox_kick, tasks=tasks), robust=True)

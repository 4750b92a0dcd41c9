"""Delivering the outbox: claim a batch, send each message, record each outcome.

The guarantees, and how they are kept:

* **Two workers never take the same message.** A batch is claimed in one short
  transaction: the due rows are locked with ``SELECT … FOR UPDATE SKIP LOCKED`` on
  PostgreSQL (SQLite serialises writers anyway) and stamped with the worker's claim
  (a UUID) and a lease. Every later write is conditional on that claim.
* **Nothing is lost.** A message is marked sent only after the SMTP server accepted
  it. If a worker dies, its claimed messages stay ``sending`` until the lease runs
  out, and then any worker takes them again.
* **Nothing is sent twice.** Each message is marked sent in its own statement the
  moment the server accepts it, before the next one is started, so a worker killed
  between messages (or in the middle of one, before the server accepted it) leaves
  nothing sent-but-unmarked. A worker checks its lease before each message and
  hands back what it cannot finish in time, so a slow worker and the one that takes
  over never hold the same message. What no mail client can close is the instant
  between the server's "250 OK" and our commit: a kill exactly there sends that one
  message again, with the same Message-ID, which many receiving systems drop as a
  duplicate.
* **Failures are visible.** A temporary failure (4xx, a server that is down or
  drops the connection) is retried with growing pauses; a permanent one (5xx, an
  address that cannot be encoded) or the last allowed attempt marks the message
  ``failed`` with the error, for staff to see on the outbox page.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from brygga.core.audit import audit_record
from brygga.core.models import AuditEntry, OutboxMessage

log = logging.getLogger(__name__)

State = OutboxMessage.State

# Pause before attempt n+1 after n failed ones: 1 min, 3 min, 9 min, … capped at a day.
BACKOFF_BASE_SECONDS = 60
BACKOFF_FACTOR = 3
BACKOFF_CAP_SECONDS = 24 * 3600


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0

    def add(self, other: DeliveryReport) -> None:
        self.claimed += other.claimed
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.released += other.released


def backoff(attempts: int) -> dt.timedelta:
    """The pause after ``attempts`` failed attempts."""
    seconds = BACKOFF_BASE_SECONDS * BACKOFF_FACTOR ** max(0, attempts - 1)
    return dt.timedelta(seconds=min(seconds, BACKOFF_CAP_SECONDS))


def _due(now: dt.datetime) -> Q:
    return Q(state=State.QUEUED, next_attempt_at__lte=now) | Q(
        state=State.SENDING, lease_until__lt=now
    )


def outbox_claim(*, limit: int) -> tuple[uuid.UUID, list[OutboxMessage]]:
    """Claim up to ``limit`` due messages for this worker, most urgent and oldest first."""
    claim = uuid.uuid4()
    now = timezone.now()
    lease_until = now + dt.timedelta(seconds=settings.BRYGGA_OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.filter(_due(now))
            .order_by("priority", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return claim, []
        OutboxMessage.objects.filter(_due(now), id__in=ids).update(
            state=State.SENDING, claim=claim, lease_until=lease_until
        )
    messages = list(OutboxMessage.objects.filter(claim=claim).order_by("priority", "id"))
    return claim, messages


def _finish(message: OutboxMessage, claim: uuid.UUID, **fields: object) -> bool:
    """Record an outcome, if the message is still ours."""
    updated = OutboxMessage.objects.filter(pk=message.pk, claim=claim).update(
        claim=None, lease_until=None, **fields
    )
    return updated == 1


def _mark_sent(message: OutboxMessage, claim: uuid.UUID) -> None:
    now = timezone.now()
    fields: dict[str, object] = {
        "state": State.SENT,
        "sent_at": now,
        "last_attempt_at": now,
        "attempts": F("attempts") + 1,
        "last_error": "",
    }
    if message.sensitive:
        fields.update(body_text="", body_html="", attachments=[])
    if not _finish(message, claim, **fields):
        log.warning("outbox message %s was sent after its lease ran out", message.pk)


def _mark_failed_attempt(
    message: OutboxMessage, claim: uuid.UUID, error: str, *, permanent: bool
) -> str:
    """Retry later, or give up. Returns the state the message is left in."""
    now = timezone.now()
    attempts = message.attempts + 1
    give_up = permanent or attempts >= settings.BRYGGA_OUTBOX_MAX_ATTEMPTS
    state = State.FAILED if give_up else State.QUEUED
    _finish(
        message,
        claim,
        state=state,
        attempts=F("attempts") + 1,
        last_attempt_at=now,
        next_attempt_at=now + backoff(attempts),
        last_error=error[:2000],
    )
    log.log(
        logging.ERROR if give_up else logging.WARNING,
        "outbox message %s to %s: %s (attempt %s%s)",
        message.pk,
        message.to,
        error,
        attempts,
        ", giving up" if give_up else "",
    )
    return state


def _release(messages: Sequence[OutboxMessage], claim: uuid.UUID) -> int:
    """Hand back claimed messages that were not attempted; they are due again at once."""
    return OutboxMessage.objects.filter(pk__in=[m.pk for m in messages], claim=claim).update(
        state=State.QUEUED, claim=None, lease_until=None
    )


def _postpone(messages: Sequence[OutboxMessage], claim: uuid.UUID, error: str) -> DeliveryReport:
    """The server cannot be reached: each message counts one failed attempt."""
    report = DeliveryReport()
    for message in messages:
        state = _mark_failed_attempt(message, claim, error, permanent=False)
        if state == State.FAILED:
            report.failed += 1
        else:
            report.retried += 1
    return report


def _email(message: OutboxMessage, connection: BaseEmailBackend) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={**message.headers, "Message-ID": message.message_id},
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment["content_type"])
    return email


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    # The message itself cannot be built or encoded: trying again changes nothing.
    return isinstance(exc, ValueError | UnicodeError)


def _connection_lost(exc: Exception) -> bool:
    return isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionError | TimeoutError) or (
        isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)
    )


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {_text(reply)}" for address, (code, reply) in exc.recipients.items()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def outbox_deliver_batch(*, limit: int | None = None) -> DeliveryReport:
    """Claim one batch and deliver it over one SMTP connection."""
    report = DeliveryReport()
    claim, messages = outbox_claim(limit=limit or settings.BRYGGA_OUTBOX_BATCH_SIZE)
    report.claimed = len(messages)
    if not messages:
        return report
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:
        report.add(_postpone(messages, claim, _describe(exc)))
        return report
    # Stop early enough that no message is started after our lease may have run out.
    margin = dt.timedelta(seconds=2 * settings.EMAIL_TIMEOUT + 5)
    lease_end = min(m.lease_until for m in messages if m.lease_until is not None)
    try:
        for index, message in enumerate(messages):
            if timezone.now() + margin >= lease_end:
                report.released += _release(messages[index:], claim)
                break
            try:
                _email(message, connection).send()
            except Exception as exc:
                permanent = _is_permanent(exc)
                state = _mark_failed_attempt(message, claim, _describe(exc), permanent=permanent)
                report.failed += state == State.FAILED
                report.retried += state == State.QUEUED
                if not permanent and _connection_lost(exc):
                    # The rest waits for the next run rather than failing one by one.
                    report.released += _release(messages[index + 1 :], claim)
                    break
            else:
                _mark_sent(message, claim)
                report.sent += 1
    finally:
        with contextlib.suppress(Exception):  # the server may already have gone away
            connection.close()
    return report


def outbox_deliver_due(*, time_budget: float | None = None) -> tuple[DeliveryReport, bool]:
    """Deliver batches until nothing is due or ``time_budget`` seconds have passed.

    Returns the report and whether messages may still be due (the budget ran out).
    """
    started = time.monotonic()
    total = DeliveryReport()
    while True:
        report = outbox_deliver_batch()
        total.add(report)
        if report.claimed == 0:
            return total, False
        if report.sent == 0 and report.released == 0 and report.claimed == report.retried:
            # The server is refusing everything just now; the sweep tries again later.
            return total, False
        if time_budget is not None and time.monotonic() - started >= time_budget:
            return total, True


@transaction.atomic
def outbox_retry(*, message: OutboxMessage, actor: Any = None) -> bool:
    """Staff send a failed message again: it is queued at once with a fresh count."""
    updated = OutboxMessage.objects.filter(pk=message.pk, state=State.FAILED).update(
        state=State.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    if updated:
        from brygga.core.tasks import outbox_kick

        audit_record(
            action=AuditEntry.Action.UPDATE,
            subject=message,
            changes={"state": [State.FAILED, State.QUEUED], "last_error": [message.last_error, ""]},
            actor=actor,
        )
        transaction.on_commit(outbox_kick, robust=True)
    return updated == 1


def outbox_purge(*, older_than_days: int | None = None) -> int:
    """Delete sent messages older than the retention time (they hold personal data)."""
    days = settings.BRYGGA_OUTBOX_KEEP_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = OutboxMessage.objects.filter(state=State.SENT, sent_at__lt=cutoff).delete()
    return deleted

"""The outbox: written with the change, delivered by the worker through a real SMTP server."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from brygga.core.models import AuditEntry, OutboxMessage
from brygga.core.outbox import Attachment, Mail, mail_enqueue, outbox_message, outbox_write_many
from brygga.core.outbox_delivery import (
    backoff,
    outbox_claim,
    outbox_deliver_batch,
    outbox_deliver_due,
    outbox_purge,
    outbox_retry,
)
from brygga.core.testing.smtp import SmtpServer
from brygga.core.testing.tasks import drain_queued_tasks

State = OutboxMessage.State
MAIL = Mail(subject="Hej från kommunen", text="Brödtext med åäö.", html="<p>Brödtext med åäö.</p>")

pytestmark = pytest.mark.django_db


def write(to: str, **kwargs: Any) -> OutboxMessage:
    message = outbox_message(to=to, mail=MAIL, kind="test.mail", **kwargs)
    message.save()
    return message


# ---------------------------------------------------------------- writing


def test_it_writes_nothing_when_the_change_is_rolled_back(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        mail_enqueue(
            to="anna@example.se",
            template="register/email/correction_link",
            context={"company": None, "url": "https://x.example/", "link": None},
            kind="test.mail",
        )
        raise RuntimeError("the change failed")
    assert OutboxMessage.objects.count() == 0
    assert callbacks == []  # and no worker was nudged


def test_it_renders_three_parts_in_swedish_and_nudges_the_worker_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        message = mail_enqueue(
            to="anna@example.se",
            template="accounts/email/password_reset",
            context={
                "email": "anna@example.se",
                "domain": "brygga.example",
                "site_name": "Brygga",
                "uid": "MQ",
                "token": "abc-123",
                "protocol": "https",
                "user": None,
            },
            kind="accounts.password_reset",
            sensitive=True,
        )
    stored = OutboxMessage.objects.get()
    assert stored.pk == message.pk
    assert stored.state == State.QUEUED
    assert stored.subject.strip() and "\n" not in stored.subject
    assert "abc-123" in stored.body_text and "abc-123" in stored.body_html
    assert stored.headers["Auto-Submitted"] == "auto-generated"
    assert stored.message_id.startswith("<") and stored.message_id.endswith(">")
    assert len(callbacks) == 1


def test_it_writes_a_deduplicated_message_once(django_capture_on_commit_callbacks):
    messages = [
        outbox_message(to=f"p{i}@example.se", mail=MAIL, kind="t", dedupe_key=f"k:{i}")
        for i in range(3)
    ]
    outbox_write_many(messages)
    again = [
        outbox_message(to=f"p{i}@example.se", mail=MAIL, kind="t", dedupe_key=f"k:{i}")
        for i in range(5)
    ]
    outbox_write_many(again)
    assert sorted(str(k) for k in OutboxMessage.objects.values_list("dedupe_key", flat=True)) == [
        f"k:{i}" for i in range(5)
    ]


# ---------------------------------------------------------------- delivering


def test_it_delivers_with_the_stored_message_id_and_marks_each_sent(smtp_server: SmtpServer):
    first = write("anna@example.se", headers={"List-Id": "<lista.example>"})
    second = write("bo@example.se")
    report, more = outbox_deliver_due()
    assert (report.sent, report.failed, more) == (2, 0, False)
    assert [m["To"] for m in smtp_server.messages] == ["anna@example.se", "bo@example.se"]
    received = smtp_server.messages[0]
    assert received["Message-ID"] == first.message_id
    assert received["List-Id"] == "<lista.example>"
    assert received["Subject"] == "Hej från kommunen"
    assert SmtpServer.body(received, "plain").strip() == "Brödtext med åäö."
    assert SmtpServer.body(received, "html").strip() == "<p>Brödtext med åäö.</p>"
    for message in (first, second):
        message.refresh_from_db()
        assert message.state == State.SENT
        assert message.attempts == 1
        assert message.sent_at is not None
        assert message.claim is None and message.lease_until is None
    # Nothing is sent twice: another run finds nothing due.
    assert outbox_deliver_due()[0].claimed == 0
    assert len(smtp_server.messages) == 2


def test_it_empties_a_sensitive_body_once_sent(smtp_server: SmtpServer):
    message = write("anna@example.se", sensitive=True)
    outbox_deliver_due()
    assert "Brödtext" in SmtpServer.body(smtp_server.messages[0])
    message.refresh_from_db()
    assert (message.state, message.body_text, message.body_html) == (State.SENT, "", "")


def test_it_attaches_text_files_and_empties_them_with_a_sensitive_body(smtp_server: SmtpServer):
    ics = Attachment(
        filename="frukostmote.ics",
        content_type="text/calendar; charset=utf-8; method=PUBLISH",
        content="BEGIN:VCALENDAR\r\nSUMMARY:Frukostmöte\r\nEND:VCALENDAR\r\n",
    )
    message = write("anna@example.se", sensitive=True, attachments=[ics])
    outbox_deliver_due()
    received = smtp_server.messages[0]
    files = [part for part in received.walk() if part.get_filename()]
    assert [part.get_filename() for part in files] == ["frukostmote.ics"]
    assert files[0].get_content_type() == "text/calendar"
    assert "SUMMARY:Frukostmöte" in files[0].get_content()
    assert SmtpServer.body(received, "plain").strip() == "Brödtext med åäö."
    message.refresh_from_db()
    assert (message.state, message.attachments) == (State.SENT, [])


def test_it_sends_what_someone_waits_for_before_a_bulk_send(smtp_server: SmtpServer):
    for i in range(3):
        write(f"prenumerant{i}@example.se", priority=OutboxMessage.Priority.BULK)
    write("vantar@example.se")
    outbox_deliver_due()
    assert smtp_server.messages[0]["To"] == "vantar@example.se"


def test_it_retries_a_temporary_refusal_later_with_growing_pauses(smtp_server: SmtpServer):
    smtp_server.refuse("anna@example.se", "451 4.2.0 Mailbox busy")
    message = write("anna@example.se")
    other = write("bo@example.se")
    before = timezone.now()
    report = outbox_deliver_batch()
    assert (report.sent, report.retried, report.failed) == (1, 1, 0)
    message.refresh_from_db()
    assert message.state == State.QUEUED
    assert message.attempts == 1
    assert "451" in message.last_error and "Mailbox busy" in message.last_error
    assert message.next_attempt_at >= before + backoff(1)
    other.refresh_from_db()
    assert other.state == State.SENT
    # Not due yet: a new run leaves it alone.
    assert outbox_deliver_batch().claimed == 0
    assert backoff(1) < backoff(2) < backoff(3) <= backoff(50) == dt.timedelta(days=1)


def test_it_gives_up_at_once_on_a_permanent_refusal(smtp_server: SmtpServer):
    smtp_server.refuse("finns.inte@example.se", "550 5.1.1 No such user")
    message = write("finns.inte@example.se")
    report = outbox_deliver_batch()
    assert (report.sent, report.failed) == (0, 1)
    message.refresh_from_db()
    assert message.state == State.FAILED
    assert message.last_error.startswith("finns.inte@example.se: 550")


def test_it_fails_after_the_last_allowed_attempt(smtp_server: SmtpServer, settings):
    settings.BRYGGA_OUTBOX_MAX_ATTEMPTS = 2
    smtp_server.refuse_all("421 4.3.2 Service not available")
    message = write("anna@example.se")
    outbox_deliver_batch()
    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.QUEUED, 1)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbox_deliver_batch()
    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.FAILED, 2)


def test_it_keeps_everything_queued_when_the_server_is_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard port: nothing listens, the connection is refused
    messages = [write(f"p{i}@example.se") for i in range(3)]
    report, more = outbox_deliver_due()
    assert (report.sent, report.retried, more) == (0, 3, False)
    for message in messages:
        message.refresh_from_db()
        assert message.state == State.QUEUED
        assert "Connection" in message.last_error or "refused" in message.last_error.lower()


def test_it_gives_up_on_an_address_that_cannot_be_encoded(smtp_server: SmtpServer):
    bad = write("anna@example.se\nBcc: alla@example.se")
    good = write("bo@example.se")
    outbox_deliver_due()
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.state == State.FAILED and "ValueError" in bad.last_error
    assert good.state == State.SENT
    assert [m["To"] for m in smtp_server.messages] == ["bo@example.se"]


def test_it_lets_staff_send_a_failed_message_again(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks, developer
):
    smtp_server.refuse("anna@example.se", "550 5.7.1 Rejected")
    message = write("anna@example.se")
    outbox_deliver_due()
    message.refresh_from_db()
    assert message.state == State.FAILED
    smtp_server.accept("anna@example.se")
    with django_capture_on_commit_callbacks() as callbacks:
        assert outbox_retry(message=message, actor=developer) is True
    assert len(callbacks) == 1
    logged = AuditEntry.objects.get(subject_type="core.outboxmessage")
    assert (logged.actor, logged.changes["state"]) == (developer, ["failed", "queued"])
    assert "550 5.7.1 Rejected" in logged.changes["last_error"][0]
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (State.QUEUED, 0, "")
    outbox_deliver_due()
    message.refresh_from_db()
    assert message.state == State.SENT
    assert outbox_retry(message=message) is False  # only failed ones


# ---------------------------------------------------------------- claims and leases


def test_it_never_gives_one_message_to_two_claims():
    for i in range(5):
        write(f"p{i}@example.se")
    first_claim, first = outbox_claim(limit=3)
    _second_claim, second = outbox_claim(limit=3)
    assert len(first) == 3 and len(second) == 2
    assert not {m.pk for m in first} & {m.pk for m in second}
    assert outbox_claim(limit=3)[1] == []
    assert {m.claim for m in first} == {first_claim}


def test_it_takes_back_what_a_dead_worker_claimed_once_its_lease_ran_out(
    smtp_server: SmtpServer,
):
    message = write("anna@example.se")
    _claim, claimed = outbox_claim(limit=10)
    assert [m.pk for m in claimed] == [message.pk]
    # The worker "dies" here. Its lease still holds: nobody else takes the message.
    assert outbox_deliver_batch().claimed == 0
    OutboxMessage.objects.filter(pk=message.pk).update(
        lease_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert outbox_deliver_batch().sent == 1
    assert len(smtp_server.messages) == 1


def test_it_hands_back_what_it_cannot_send_before_its_lease_runs_out(
    smtp_server: SmtpServer, settings
):
    # A lease shorter than the safety margin: nothing may be started, all is handed back.
    settings.BRYGGA_OUTBOX_LEASE_SECONDS = 1
    messages = [write(f"p{i}@example.se") for i in range(2)]
    report = outbox_deliver_batch()
    assert (report.claimed, report.sent, report.released) == (2, 0, 2)
    for message in messages:
        message.refresh_from_db()
        assert (message.state, message.claim) == (State.QUEUED, None)
    assert smtp_server.messages == []


def test_a_late_worker_cannot_overwrite_the_outcome_of_the_one_that_took_over(
    smtp_server: SmtpServer,
):
    from brygga.core.outbox_delivery import _mark_sent

    message = write("anna@example.se")
    old_claim, _ = outbox_claim(limit=1)
    OutboxMessage.objects.filter(pk=message.pk).update(lease_until=timezone.now())
    outbox_deliver_due()  # the new worker sends it
    message.refresh_from_db()
    sent_at = message.sent_at
    _mark_sent(message, old_claim)  # the old one wakes up
    message.refresh_from_db()
    assert message.sent_at == sent_at and message.attempts == 1


# ---------------------------------------------------------------- retention


def test_it_purges_sent_messages_after_the_retention_time(settings):
    settings.BRYGGA_OUTBOX_KEEP_DAYS = 30
    old = write("gammal@example.se")
    recent = write("ny@example.se")
    failed = write("fel@example.se")
    now = timezone.now()
    OutboxMessage.objects.filter(pk=old.pk).update(
        state=State.SENT, sent_at=now - dt.timedelta(days=31)
    )
    OutboxMessage.objects.filter(pk=recent.pk).update(
        state=State.SENT, sent_at=now - dt.timedelta(days=29)
    )
    OutboxMessage.objects.filter(pk=failed.pk).update(state=State.FAILED)
    assert outbox_purge() == 1
    assert set(OutboxMessage.objects.values_list("to", flat=True)) == {
        "ny@example.se",
        "fel@example.se",
    }


def test_a_large_write_starts_delivery_tasks_side_by_side(
    settings, django_capture_on_commit_callbacks
):
    settings.BRYGGA_OUTBOX_BATCH_SIZE = 50
    settings.BRYGGA_OUTBOX_PARALLEL = 4
    drain_queued_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        outbox_write_many(
            outbox_message(to=f"p{i}@example.se", mail=MAIL, kind="t") for i in range(120)
        )
    # 120 messages: three batches, three delivery tasks.
    assert drain_queued_tasks() == [("core.outbox_deliver", ())] * 3
    with django_capture_on_commit_callbacks(execute=True):
        outbox_write_many(
            outbox_message(to=f"q{i}@example.se", mail=MAIL, kind="t") for i in range(1000)
        )
    assert len(drain_queued_tasks()) == 4  # never more than BRYGGA_OUTBOX_PARALLEL

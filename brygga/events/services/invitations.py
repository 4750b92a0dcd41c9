"""Invitations to a meeting, sent to a saved segment, a tag or a locality.

Only contacts who consented to mailings are invited, each address once per meeting,
and companies with SCB's advertising block (Reklamspärr) are left out unless the
meeting is regulatory information. Staff's request writes one
:class:`InvitationBatch` and returns; after commit the worker writes the
invitations and their e-mails to the outbox in batches (``invitation_batch_write``)
and the outbox delivers them, so 10,000 invitations never hold up a request.
Writing again is safe: addresses already invited are skipped (the database's
unique constraint and the outbox's dedupe keys), so a lost or repeated task neither
loses nor doubles a message; the periodic sweep picks up batches left queued.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Min, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.core.audit import audit_record
from brygga.core.models import AuditEntry, OutboxMessage
from brygga.core.outbox import mail_render, outbox_message, outbox_write_many
from brygga.events.links import invitation_url
from brygga.events.mail import event_context
from brygga.events.models import Event, Invitation, InvitationBatch, Registration
from brygga.register.models import Company, Contact, Segment, Tag
from brygga.register.selectors import segment_companies

Target = InvitationBatch.Target
BATCH = 1000
KIND = "events.invitation"


def _companies(
    *, target: str, segment: Segment | None, tag: Tag | None, locality: str
) -> QuerySet[Company]:
    if target == Target.SEGMENT:
        if segment is None:
            raise ValidationError({"segment": _("Välj ett sparat urval.")})
        return segment_companies(segment)
    if target == Target.TAG:
        if tag is None:
            raise ValidationError({"tag": _("Välj en etikett.")})
        return Company.objects.filter(tags=tag)
    if target == Target.LOCALITY:
        if not locality.strip():
            raise ValidationError({"locality": _("Ange en ort.")})
        return Company.objects.filter(postal_town__iexact=locality.strip())
    raise ValidationError({"target": _("Välj vilka som ska bjudas in.")})


def invitation_recipients(
    *,
    event: Event,
    target: str,
    segment: Segment | None = None,
    tag: Tag | None = None,
    locality: str = "",
) -> QuerySet[Contact]:
    """The contacts the target would invite now: consent to mailings, an address, an
    active company (without advertising block unless the meeting is regulatory), and
    not already invited to or registered for the meeting. One contact per address."""
    companies = _companies(target=target, segment=segment, tag=tag, locality=locality).filter(
        status=Company.Status.ACTIVE
    )
    if not event.regulatory:
        companies = companies.filter(advertising_block=False)
    already_invited = Invitation.objects.filter(event=event).values("email")
    already_registered = (
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .values("email")
    )
    contacts = (
        Contact.objects.filter(consent_mailing=True, company__in=companies.values("pk"))
        .exclude(email="")
        .annotate(email_lower=Lower("email"))
        .exclude(email_lower__in=already_invited)
        .exclude(email_lower__in=already_registered)
    )
    if connection.features.can_distinct_on_fields:
        return contacts.order_by("email_lower", "id").distinct("email_lower")
    return _one_per_address(contacts)


def _one_per_address(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """The first contact (by id) of each address, without DISTINCT ON (SQLite)."""
    firsts = contacts.values("email_lower").annotate(first=Min("id")).values("first")  # type: ignore[misc]
    return contacts.filter(pk__in=firsts).order_by("email_lower", "id")


@transaction.atomic
def invitation_send(
    *,
    event: Event,
    target: str,
    segment: Segment | None = None,
    tag: Tag | None = None,
    locality: str = "",
    actor: Any = None,
) -> InvitationBatch:
    """Record staff's choice and queue the worker to invite; returns at once."""
    if event.cancelled:
        raise ValidationError(_("Mötet är inställt."))
    if event.starts_at <= timezone.now():
        raise ValidationError(_("Mötet har redan börjat."))
    _companies(target=target, segment=segment, tag=tag, locality=locality)  # validates
    if target == Target.SEGMENT and segment is not None:
        description = _("Urvalet ”%(name)s”") % {"name": segment.name}
    elif target == Target.TAG and tag is not None:
        description = _("Etiketten ”%(name)s”") % {"name": tag.name}
    else:
        description = _("Företag i %(town)s") % {"town": locality.strip()}
    batch = InvitationBatch.objects.create(
        event=event,
        target=target,
        segment=segment if target == Target.SEGMENT else None,
        tag=tag if target == Target.TAG else None,
        locality=locality.strip() if target == Target.LOCALITY else "",
        description=description[:300],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        action=AuditEntry.Action.CREATE,
        subject=batch,
        parent=event,
        changes={"target": [None, description]},
        actor=actor,
        via="inbjudan",
    )
    from brygga.events.tasks import write_invitations

    transaction.on_commit(lambda: write_invitations.delay(batch.pk))
    return batch


def _new_invitations(batch: InvitationBatch, contacts: list[Contact]) -> list[Invitation]:
    return [
        Invitation(
            event=batch.event,
            batch=batch,
            contact=contact,
            company_id=contact.company_id,
            name=contact.name,
            email=contact.email.strip().lower(),
            token=secrets.token_urlsafe(24),
        )
        for contact in contacts
    ]


def _messages(event: Event, invitations: list[Invitation]) -> Iterator[OutboxMessage]:
    base = event_context(event)
    for invitation in invitations:
        mail = mail_render(
            "events/email/invitation",
            {**base, "invitation": invitation, "invitation_url": invitation_url(invitation)},
        )
        yield outbox_message(
            to=invitation.email,
            mail=mail,
            kind=KIND,
            dedupe_key=f"{KIND}:{invitation.pk}",
            sensitive=True,
            priority=OutboxMessage.Priority.BULK,
        )


def invitation_batch_write(*, batch_id: int) -> InvitationBatch | None:
    """Write the batch's invitations and e-mails, a thousand per transaction.

    Each chunk commits its invitations and their messages together; a crash between
    chunks leaves the written ones, and running again continues with the rest.
    """
    batch = (
        InvitationBatch.objects.select_related("event__kind", "segment", "tag")
        .filter(pk=batch_id)
        .first()
    )
    if batch is None or batch.state == InvitationBatch.State.DONE:
        return batch
    event = batch.event
    while True:
        with transaction.atomic():
            contacts = list(
                invitation_recipients(
                    event=event,
                    target=batch.target,
                    segment=batch.segment,
                    tag=batch.tag,
                    locality=batch.locality,
                )[:BATCH]
            )
            if not contacts:
                break
            invitations = Invitation.objects.bulk_create(
                _new_invitations(batch, contacts), ignore_conflicts=True
            )
            written = list(
                Invitation.objects.filter(
                    batch=batch, token__in=[i.token for i in invitations]
                ).order_by("id")
            )
            outbox_write_many(_messages(event, written))
            InvitationBatch.objects.filter(pk=batch.pk).update(invited=batch.invited + len(written))
            batch.invited += len(written)
    batch.state = InvitationBatch.State.DONE
    batch.done_at = timezone.now()
    batch.save(update_fields=["state", "done_at"])
    return batch


def invitation_batches_sweep(*, older_than: dt.timedelta = dt.timedelta(minutes=5)) -> int:
    """Write the batches whose task was lost (still queued after ``older_than``)."""
    stale = InvitationBatch.objects.filter(
        state=InvitationBatch.State.QUEUED, created_at__lt=timezone.now() - older_than
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(stale):
        invitation_batch_write(batch_id=pk)
        count += 1
    return count

"""Registration, the waitlist, cancellation and attendance.

Seats are never oversold. Every write that hands out or frees a seat first locks
the event's row (``SELECT … FOR UPDATE`` on PostgreSQL), then counts the seats
taken and decides: concurrent registrations for one event queue on that lock, and
each sees the ones committed before it. SQLite serialises writers anyway.

Past capacity a person goes on the waitlist (first come, first served, by id) and
is told so. When a seat is freed — a cancellation, a larger capacity — the first
waiting person gets it at once and is mailed the meeting as an .ics file.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.core.audit import audit_record
from brygga.core.models import AuditEntry
from brygga.core.text import clean_public_text
from brygga.events.mail import registration_mail
from brygga.events.models import Event, Invitation, Registration
from brygga.register.identity import IdentityError, parse_identity
from brygga.register.models import Company, ConsentSource, Contact

Status = Registration.Status


def new_token() -> str:
    return secrets.token_urlsafe(24)


def registration_open_for(event: Event, now: dt.datetime | None = None) -> str | None:
    """None when ``event`` takes registrations now, else the reason (Swedish) it does not."""
    now = now or timezone.now()
    if event.cancelled:
        return _("Mötet är inställt.")
    if event.starts_at <= now:
        return _("Mötet har redan börjat.")
    if not event.registration_open:
        return _("Anmälan är stängd.")
    if event.registration_deadline is not None and event.registration_deadline < now:
        return _("Sista anmälningsdag har passerat.")
    return None


def seats_taken(event: Event) -> int:
    return Registration.objects.filter(event=event, status=Status.CONFIRMED).count()


def _locked(event: Event) -> Event:
    """The event again, its row locked until the transaction ends (PostgreSQL)."""
    return Event.objects.select_for_update().get(pk=event.pk)


def company_match(text: str) -> Company | None:
    """The register's company for what a visitor wrote: an org number, or a name.

    A name matches when exactly one active company has it (case ignored); an org
    number that is not in the register, or an ambiguous name, matches nothing.
    """
    text = text.strip()
    if not text:
        return None
    try:
        identity = parse_identity(text)
    except IdentityError:
        identity = None
    if identity is not None:
        return (
            Company.objects.filter(identity=identity.digits, identity_kind=identity.kind)
            .order_by("name_protection_no", "id")
            .first()
        )
    matches = list(
        Company.objects.filter(name__iexact=text, status=Company.Status.ACTIVE).order_by("id")[:2]
    )
    return matches[0] if len(matches) == 1 else None


def _answers(event: Event, answers: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """The answers to the event's questions, keyed by question id, with their labels."""
    result: dict[str, dict[str, str]] = {}
    missing: list[str] = []
    for question in event.questions.all():
        answer = clean_public_text(str(answers.get(str(question.pk), "") or ""))[:1000].strip()
        if question.kind == question.Kind.CHOICE and answer and answer not in question.choice_list:
            raise ValidationError(
                _("”%(answer)s” är inte ett av svaren på frågan ”%(question)s”.")
                % {"answer": answer, "question": question.label}
            )
        if not answer:
            if question.required:
                missing.append(question.label)
            continue
        result[str(question.pk)] = {"label": question.label, "answer": answer}
    if missing:
        raise ValidationError(
            _("Svara på: %(questions)s.") % {"questions": ", ".join(f"”{m}”" for m in missing)}
        )
    return result


def _consent_to_contact(registration: Registration) -> None:
    """A person who agreed to be contacted becomes (or stays) a contact of their company
    with consent to mailings, recorded as coming from the registration."""
    company = registration.company
    if company is None or not registration.consent_contact:
        return
    now = timezone.now()
    contact = Contact.objects.filter(company=company, email__iexact=registration.email).first()
    if contact is None:
        contact = Contact(company=company, name=registration.name, email=registration.email)
        contact.phone = registration.phone
        action = AuditEntry.Action.CREATE
    elif contact.consent_mailing:
        return
    else:
        action = AuditEntry.Action.UPDATE
    contact.consent_mailing = True
    contact.consent_mailing_source = ConsentSource.REGISTRATION
    contact.consent_mailing_at = now
    changes = {"consent_mailing": [False, True]}
    if not contact.consent_processing:
        # Being kept in the register is what being contacted needs in the first place.
        contact.consent_processing = True
        contact.consent_processing_source = ConsentSource.REGISTRATION
        contact.consent_processing_at = now
        changes["consent_processing"] = [False, True]
    contact.full_clean()
    contact.save()
    audit_record(
        action=action,
        subject=contact,
        parent=company,
        changes=changes,
        via=f"anmälan till {registration.event.title}"[:100],
    )


@transaction.atomic
def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    phone: str = "",
    company_text: str = "",
    answers: Mapping[str, str] | None = None,
    consent_contact: bool = False,
    invitation: Invitation | None = None,
    via: str = "anmälan",
) -> Registration:
    """Register ``email`` for ``event``: a seat if one is free, else the waitlist.

    The confirmation (with the .ics) or the waitlist message is mailed. An address
    already registered gets its own link again and its registration is returned, so
    a double click or a second try never takes two seats.

    All of it runs under the event's lock. Doing the cleaning and rendering before
    the lock was measured slower for 200 at once on two cores (p95 6.0 s against
    5.2-5.5 s, bench/RESULTS.md): the work is CPU-bound either way, and served
    one after the other the first ones finish early instead of all finishing late.
    """
    event = _locked(event)
    if invitation is not None and invitation.event_id != event.pk:
        raise ValidationError(_("Inbjudan gäller ett annat möte."))
    if not event.public and invitation is None:
        raise ValidationError(_("Mötet är bara för inbjudna."))
    reason = registration_open_for(event)
    if reason is not None:
        raise ValidationError(reason)
    email = email.strip().lower()
    existing = (
        Registration.objects.filter(event=event, email=email)
        .exclude(status=Status.CANCELLED)
        .first()
    )
    if existing is not None:
        existing.event = event
        registration_mail(existing, "already_registered")
        return existing

    company_text = clean_public_text(company_text, multiline=False).strip()
    capacity_left = event.capacity is None or seats_taken(event) < event.capacity
    # Someone waiting keeps their place in the queue: a newcomer never jumps it.
    queue = Registration.objects.filter(event=event, status=Status.WAITLISTED).exists()
    confirmed = capacity_left and not queue
    now = timezone.now()
    registration = Registration(
        event=event,
        status=Status.CONFIRMED if confirmed else Status.WAITLISTED,
        name=clean_public_text(name, multiline=False).strip(),
        email=email,
        phone=clean_public_text(phone, multiline=False).strip(),
        company=company_match(company_text),
        company_text=company_text,
        answers=_answers(event, answers or {}),
        consent_contact=consent_contact,
        invitation=invitation,
        token=new_token(),
        seat_granted_at=now if confirmed else None,
    )
    registration.full_clean(exclude=["event"], validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        # The same address at the same moment (only possible where rows are not locked).
        return Registration.objects.exclude(status=Status.CANCELLED).get(event=event, email=email)
    audit_record(
        action=AuditEntry.Action.CREATE,
        subject=registration,
        parent=event,
        changes={"status": [None, registration.status]},
        via=via,
    )
    _consent_to_contact(registration)
    if confirmed:
        registration_mail(registration, "confirmed", with_ics=True)
    else:
        registration_mail(
            registration, "waitlisted", extra={"position": waitlist_position(registration)}
        )
    return registration


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first in the queue; None when not waiting."""
    if registration.status != Status.WAITLISTED:
        return None
    return Registration.objects.filter(
        event_id=registration.event_id, status=Status.WAITLISTED, id__lte=registration.pk
    ).count()


def promote_waiting(event: Event) -> list[Registration]:
    """Give free seats to the first waiting people (caller holds the event's lock).

    Nobody is promoted once the meeting has started or when it is cancelled.
    """
    if event.cancelled or event.starts_at <= timezone.now():
        return []
    promoted: list[Registration] = []
    free = None if event.capacity is None else event.capacity - seats_taken(event)
    waiting = Registration.objects.filter(event=event, status=Status.WAITLISTED).order_by("id")
    if free is not None:
        waiting = waiting[: max(free, 0)]
    now = timezone.now()
    for registration in waiting:
        registration.status = Status.CONFIRMED
        registration.seat_granted_at = now
        registration.save(update_fields=["status", "seat_granted_at"])
        registration.event = event
        audit_record(
            action=AuditEntry.Action.UPDATE,
            subject=registration,
            parent=event,
            changes={"status": [Status.WAITLISTED, Status.CONFIRMED]},
            via="väntelista",
        )
        registration_mail(registration, "promoted", with_ics=True)
        promoted.append(registration)
    return promoted


@transaction.atomic
def registration_cancel(
    *, registration: Registration, actor: Any = None, via: str = "avanmälan"
) -> Registration:
    """Withdraw a registration; a freed seat goes to the first waiting person."""
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.event = event
    if registration.status == Status.CANCELLED:
        return registration
    before = registration.status
    registration.status = Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    audit_record(
        action=AuditEntry.Action.UPDATE,
        subject=registration,
        parent=event,
        changes={"status": [before, Status.CANCELLED]},
        actor=actor,
        via=via,
    )
    if not event.cancelled:
        registration_mail(registration, "cancelled")
    if before == Status.CONFIRMED:
        promote_waiting(event)
    return registration


@transaction.atomic
def registration_set_attended(
    *, registration: Registration, attended: bool, actor: Any = None, via: str = "närvarolista"
) -> Registration:
    """Mark (or unmark) that the person came; attendees get the evaluation afterwards."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Status.CONFIRMED:
        raise ValidationError(_("Bara den som har en plats kan markeras som närvarande."))
    if attended == registration.attended:
        return registration
    registration.attended_at = timezone.now() if attended else None
    registration.save(update_fields=["attended_at"])
    audit_record(
        action=AuditEntry.Action.UPDATE,
        subject=registration,
        parent=registration.event,
        changes={"attended": [not attended, attended]},
        actor=actor,
        via=via,
    )
    return registration

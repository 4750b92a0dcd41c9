"""Meetings as a holder of personal data (see brygga/core/privacy.py).

By e-mail address: registrations (name, address, phone, company, answers) and
invitations. Erasure anonymises the registrations — the person becomes "Borttagen
person" without address, phone or answers, so an event's figures (registered,
attended) and its anonymous evaluations stay right — and deletes the invitations.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from brygga.core.audit import audit_record
from brygga.core.models import AuditEntry
from brygga.events.models import Invitation, Registration

ERASED_NAME = "Borttagen person"
VIA = "person_erase"


class EventsHolder:
    name = "events"

    def _registrations(self, email: str) -> QuerySet[Registration]:
        return Registration.objects.filter(email__iexact=email.strip()).select_related("event")

    def _invitations(self, email: str) -> QuerySet[Invitation]:
        return Invitation.objects.filter(email__iexact=email.strip()).select_related("event")

    def extract(self, email: str) -> dict[str, Any]:
        data: dict[str, Any] = {}
        registrations = [
            {
                "event": r.event.title,
                "starts_at": r.event.starts_at.isoformat(),
                "status": r.status,
                "name": r.name,
                "email": r.email,
                "phone": r.phone,
                "company": r.company_text,
                "answers": r.answers,
                "consent_contact": r.consent_contact,
                "created_at": r.created_at.isoformat(),
                "attended": r.attended,
            }
            for r in self._registrations(email)
        ]
        invitations = [
            {
                "event": i.event.title,
                "name": i.name,
                "email": i.email,
                "invited_at": i.created_at.isoformat(),
            }
            for i in self._invitations(email)
        ]
        if registrations:
            data["registrations"] = registrations
        if invitations:
            data["invitations"] = invitations
        return data

    def erase(self, email: str, *, apply: bool, actor: Any) -> list[str]:
        registrations = list(self._registrations(email))
        invitations = list(self._invitations(email))
        lines: list[str] = []
        if registrations:
            lines.append(f"{len(registrations)} anmälningar till möten anonymiseras")
        if invitations:
            lines.append(f"{len(invitations)} inbjudningar till möten tas bort")
        if not apply:
            return lines
        for registration in registrations:
            registration.name = ERASED_NAME
            registration.email = f"borttagen-{registration.pk}@invalid"
            registration.phone = ""
            registration.company_text = ""
            registration.answers = {}
            registration.save(update_fields=["name", "email", "phone", "company_text", "answers"])
            audit_record(
                action=AuditEntry.Action.ERASE,
                subject=registration,
                parent=registration.event,
                changes={"name": ["…", ERASED_NAME]},
                actor=actor,
                via=VIA,
            )
        for invitation in invitations:
            audit_record(
                action=AuditEntry.Action.DELETE,
                subject=invitation,
                parent=invitation.event,
                changes={},
                actor=actor,
                via=VIA,
            )
        Invitation.objects.filter(pk__in=[i.pk for i in invitations]).delete()
        return lines

"""Self-service corrections: links to companies, their proposals, staff review.

Consent changes take effect at once (a withdrawal must, under the GDPR); every
other change waits as a pending ``Correction`` until staff approve or reject it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.core.audit import audit_record, diff, snapshot
from brygga.core.models import AuditEntry
from brygga.register.models import Company, ConsentSource, Contact, Correction, CorrectionLink
from brygga.register.selectors_corrections import (
    COMPANY_ENTRY,
    correction_review_items,
    field_label,
    model_field,
)
from brygga.register.services.companies import (
    CONSENT_KINDS,
    CONTACT_EDITABLE,
    company_update,
    contact_create,
    contact_delete,
    contact_update,
)
from brygga.register.services.correction_links import VIA

logger = logging.getLogger(__name__)

# What a company may propose about itself. Official data (legal form, status,
# registration date, SCB's advertising block) comes from the registers instead.
SELF_EDITABLE = (
    "name",
    "business_description",
    "street_address",
    "co_address",
    "postal_code",
    "postal_town",
    "phone",
    "email",
    "website",
    "employees",
)


# ---------------------------------------------------------------- proposals


@dataclass(frozen=True)
class ContactProposal:
    """What the company says about one contact: an existing one (``contact_id``) or a new one."""

    contact_id: int | None
    data: Mapping[str, Any]  # CONTACT_EDITABLE fields
    consents: Mapping[str, bool]
    remove: bool = False


@dataclass
class SubmitResult:
    correction: Correction | None
    consents_changed: list[str] = field(default_factory=list)  # names of contacts


def _is_expired(link: CorrectionLink) -> bool:
    return link.expires_at <= timezone.now()


@transaction.atomic
def correction_submit(
    *,
    link: CorrectionLink,
    company_data: Mapping[str, Any],
    contacts: Sequence[ContactProposal],
) -> SubmitResult:
    """Apply consent changes now; keep everything else as one pending correction."""
    if _is_expired(link):
        raise ValidationError(_("Länken har gått ut."))
    company = link.company
    unknown = set(company_data) - set(SELF_EDITABLE)
    if unknown:
        raise TypeError(f"correction_submit got unknown fields: {sorted(unknown)}")
    current = {c.pk: c for c in Contact.objects.filter(company=company)}
    result = SubmitResult(correction=None)

    proposed = {k: v.strip() if isinstance(v, str) else v for k, v in company_data.items()}
    company_changes = {
        name: values
        # Empty and missing mean the same to the company; not worth a review.
        for name, values in diff(snapshot(company, proposed), proposed).items()
        if not (values[0] in ("", None) and values[1] in ("", None))
    }

    contact_entries: list[dict[str, Any]] = []
    for proposal in contacts:
        if proposal.contact_id is None:
            entry = _new_contact_entry(proposal)
            if entry:
                contact_entries.append(entry)
            continue
        contact = current.get(proposal.contact_id)
        if contact is None:
            raise ValidationError(_("Kontaktpersonen finns inte längre hos företaget."))
        changed_consents = {
            kind: bool(given)
            for kind, given in proposal.consents.items()
            if kind in CONSENT_KINDS and bool(getattr(contact, f"consent_{kind}")) != bool(given)
        }
        if changed_consents:
            contact_update(
                contact=contact,
                data={},
                consents=changed_consents,
                consent_source=ConsentSource.SELF_SERVICE,
                via=VIA,
            )
            result.consents_changed.append(contact.name)
        if proposal.remove:
            contact_entries.append(
                {
                    "id": contact.pk,
                    "action": "delete",
                    "name": contact.name,
                    "changes": {"name": [contact.name, None]},
                }
            )
            continue
        before = snapshot(contact, CONTACT_EDITABLE)
        changes = {}
        for name in CONTACT_EDITABLE:
            if name not in proposal.data:
                continue
            value = proposal.data[name]
            new = value.strip() if isinstance(value, str) else value
            if before[name] != new:
                changes[name] = [before[name], new]
        if changes:
            contact_entries.append(
                {"id": contact.pk, "action": "update", "name": contact.name, "changes": changes}
            )

    if company_changes or contact_entries:
        correction = Correction(
            company=company,
            link=link,
            submitted_by_email=link.email,
            changes={"company": company_changes, "contacts": contact_entries},
        )
        correction.full_clean()
        correction.save()
        audit_record(
            action=AuditEntry.Action.CREATE,
            subject=correction,
            parent=company,
            changes=_flat_changes(correction.changes),
            via=VIA,
        )
        result.correction = correction
    link.last_used_at = timezone.now()
    link.save(update_fields=["last_used_at"])
    return result


def _new_contact_entry(proposal: ContactProposal) -> dict[str, Any] | None:
    values = {
        name: (v.strip() if isinstance(v, str) else v)
        for name in CONTACT_EDITABLE
        if (v := proposal.data.get(name))
    }
    if not values.get("name"):
        return None
    return {
        "id": None,
        "action": "create",
        "name": values["name"],
        "changes": {name: [None, value] for name, value in values.items()},
        "consents": {kind: bool(proposal.consents.get(kind)) for kind in CONSENT_KINDS},
    }


def _flat_changes(changes: Mapping[str, Any]) -> dict[str, list[Any]]:
    """One audit line per field: ``company.phone``, ``contact:12.email``, ``contact:new.name``."""
    flat: dict[str, list[Any]] = {}
    for name, values in changes.get("company", {}).items():
        flat[f"company.{name}"] = list(values)
    for index, entry in enumerate(changes.get("contacts", [])):
        ident = entry["id"] if entry.get("id") is not None else f"new{index}"
        for name, values in entry.get("changes", {}).items():
            flat[f"contact:{ident}.{name}"] = list(values)
    return flat


# ---------------------------------------------------------------- review


@dataclass
class ReviewResult:
    applied: list[str] = field(default_factory=list)  # labels of fields written
    skipped: list[str] = field(default_factory=list)  # labels left alone (changed since)


def _claim(correction: Correction) -> Correction:
    """Lock the correction and make sure nobody reviewed it in the meantime."""
    locked = Correction.objects.select_for_update().select_related("company").get(pk=correction.pk)
    if locked.state != Correction.State.PENDING:
        raise ValidationError(_("Rättelsen är redan granskad."))
    return locked


def _reviewer_name(actor: Any) -> str:
    return str(getattr(actor, "full_name", "") or getattr(actor, "email", "") or actor)


@transaction.atomic
def correction_approve(
    *,
    correction: Correction,
    actor: Any,
    overwrite_conflicts: bool = False,
    comment: str = "",
) -> ReviewResult:
    """Write the proposed changes through the register's own services.

    A field the register changed since the company saw it is left alone unless
    ``overwrite_conflicts``; it is listed in the result and in the review comment.
    Any invalid value rolls the whole approval back.
    """
    locked = _claim(correction)
    via = f"{VIA}, godkänd av {_reviewer_name(actor)}"
    result = ReviewResult()
    items = correction_review_items(locked)  # needs the company's contacts
    conflicts = {(i.entry, i.field) for i in items if i.conflict}
    company = locked.company
    contacts = {c.pk: c for c in company.contacts.all()}

    company_data: dict[str, Any] = {}
    for name, (_old, new) in locked.changes.get("company", {}).items():
        label = field_label(Company, name)
        if (COMPANY_ENTRY, name) in conflicts and not overwrite_conflicts:
            result.skipped.append(label)
            continue
        company_data[name] = model_field(Company, name).to_python(new)
        result.applied.append(label)
    if company_data:
        company_update(company=company, data=company_data, actor=actor, via=via)

    for index, entry in enumerate(locked.changes.get("contacts", [])):
        action = entry.get("action")
        section = str(entry.get("name") or "")
        contact = contacts.get(entry.get("id")) if entry.get("id") is not None else None
        if action == "create":
            values = {name: new for name, (_old, new) in entry.get("changes", {}).items()}
            contact_create(
                company=company,
                consents=entry.get("consents") or {},
                consent_source=ConsentSource.SELF_SERVICE,
                actor=actor,
                via=via,
                **values,
            )
            result.applied.append(_("Ny kontaktperson %(name)s") % {"name": section})
        elif action == "delete":
            if contact is not None:
                contact_delete(contact=contact, actor=actor, via=via)
            result.applied.append(_("Ta bort %(name)s") % {"name": section})
        else:
            data: dict[str, Any] = {}
            for name, (_old, new) in entry.get("changes", {}).items():
                label = f"{section}: {field_label(Contact, name)}"
                if contact is None or ((index, name) in conflicts and not overwrite_conflicts):
                    result.skipped.append(label)
                    continue
                data[name] = new
                result.applied.append(label)
            if contact is not None and data:
                contact_update(contact=contact, data=data, actor=actor, via=via)

    note = comment.strip()
    if result.skipped:
        skipped = _("Ej genomfört eftersom uppgiften ändrats sedan företaget skickade in: %(f)s.")
        note = "\n".join(filter(None, [note, skipped % {"f": ", ".join(result.skipped)}]))
    _close(locked, state=Correction.State.APPROVED, actor=actor, comment=note)
    return result


@transaction.atomic
def correction_reject(*, correction: Correction, actor: Any, comment: str) -> Correction:
    if not comment.strip():
        raise ValidationError({"comment": _("Skriv varför rättelsen avslås.")})
    locked = _claim(correction)
    _close(locked, state=Correction.State.REJECTED, actor=actor, comment=comment.strip())
    return locked


def _close(correction: Correction, *, state: str, actor: Any, comment: str) -> None:
    correction.state = state
    correction.reviewed_by = actor
    correction.reviewed_at = timezone.now()
    correction.review_comment = comment
    correction.full_clean()
    correction.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_comment"])
    audit_record(
        action=AuditEntry.Action.UPDATE,
        subject=correction,
        parent=correction.company,
        changes={
            "state": [Correction.State.PENDING.value, state],
            **({"review_comment": ["", comment]} if comment else {}),
        },
        actor=actor,
    )

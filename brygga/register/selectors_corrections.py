"""Reads for self-service corrections: links, the company behind one, the review list."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Prefetch, QuerySet

from brygga.core.audit import snapshot
from brygga.register.models import Company, Contact, Correction, CorrectionLink, SniCode

COMPANY_ENTRY = -1
# Longer than any token we issue; anything longer is not worth hashing.
MAX_TOKEN_LENGTH = 100


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def company_email_addresses(company: Company) -> list[str]:
    """The addresses we hold for a company: its own, then its contacts', each once."""
    seen: set[str] = set()
    addresses: list[str] = []
    for address in [company.email, *(c.email for c in company.contacts.all())]:
        address = (address or "").strip()
        if address and address.lower() not in seen:
            seen.add(address.lower())
            addresses.append(address)
    return addresses


def correction_link_for_token(token: str) -> CorrectionLink | None:
    """The link a token belongs to (expired or not), or None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return (
        CorrectionLink.objects.select_related("company")
        .filter(token_hash=token_hash(token))
        .first()
    )


def company_for_self_service(company_id: int) -> Company:
    """The company with what its self-service page shows, in a fixed number of queries."""
    return Company.objects.prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.order_by("name", "id")),
        Prefetch("sni_codes", queryset=SniCode.objects.order_by("position", "id")),
    ).get(pk=company_id)


def pending_corrections() -> QuerySet[Correction]:
    """Corrections waiting for review, oldest first, with what the review page needs."""
    return (
        Correction.objects.filter(state=Correction.State.PENDING)
        .select_related("company", "link", "link__created_by")
        .prefetch_related(
            Prefetch("company__contacts", queryset=Contact.objects.order_by("name", "id"))
        )
        .order_by("submitted_at", "id")
    )


@dataclass(frozen=True)
class ReviewItem:
    """One proposed change of one field, with what the register holds now."""

    entry: int  # COMPANY_ENTRY, or the index of the contact's entry in the correction
    section: str  # "Företag", or the contact's name
    action: str  # "update", "create" or "delete"
    field: str
    label: str
    old: Any
    new: Any
    current: Any
    # The register no longer holds the value the company saw: approving would
    # overwrite someone else's change.
    conflict: bool


def model_field(model: type[Company] | type[Contact], name: str) -> models.Field[Any, Any]:
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field)
    return found


def field_label(model: type[Company] | type[Contact], name: str) -> str:
    """The field's verbose name with a capital first letter: "Telefon"."""
    label = str(model_field(model, name).verbose_name)
    return label[:1].upper() + label[1:]


def _current(obj: Company | Contact | None, field: str) -> Any:
    if obj is None:
        return None
    return snapshot(obj, [field])[field]


def correction_review_items(correction: Correction) -> list[ReviewItem]:
    """Old → new per field, compared with the register now. Uses prefetched contacts."""
    company = correction.company
    items: list[ReviewItem] = []
    changes = correction.changes or {}
    for field, (old, new) in sorted(changes.get("company", {}).items()):
        current = _current(company, field)
        items.append(
            ReviewItem(
                entry=COMPANY_ENTRY,
                section=str(Company._meta.verbose_name).capitalize(),
                action="update",
                field=field,
                label=field_label(Company, field),
                old=old,
                new=new,
                current=current,
                conflict=current not in (old, new),
            )
        )
    contacts = {c.pk: c for c in company.contacts.all()}
    for index, entry in enumerate(changes.get("contacts", [])):
        action = entry.get("action", "update")
        contact = contacts.get(entry.get("id")) if entry.get("id") is not None else None
        section = str(entry.get("name") or "")
        for field, (old, new) in sorted(entry.get("changes", {}).items()):
            current = _current(contact, field)
            # A contact removed meanwhile cannot take an edit; creating and
            # removing have no earlier value to disagree with.
            conflict = action == "update" and (contact is None or current not in (old, new))
            items.append(
                ReviewItem(
                    entry=index,
                    section=section,
                    action=action,
                    field=field,
                    label=field_label(Contact, field),
                    old=old,
                    new=new,
                    current=current,
                    conflict=conflict,
                )
            )
    return items

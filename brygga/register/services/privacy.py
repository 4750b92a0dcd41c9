"""Erasing a person from the register (``manage.py person_erase``).

What happens to what:

* **Contacts** with the person's e-mail address are kept (the company keeps a
  contact slot and its history) but anonymised: the name becomes "Borttagen
  person", e-mail, phone and role are cleared, and both consents are withdrawn.
* **Sole-trader companies** keyed on the person's personnummer (every
  namnskyddslöpnummer) are **deleted**, together with their contacts, notes, codes,
  names, correction links and corrections. The personnummer is the company's key,
  and for an *enskild näringsidkare* the business *is* the person: its name is
  usually the owner's name and its address their home. Keeping the row under a
  placeholder identity was rejected: a made-up 12-digit value either passes the
  personnummer check (and may one day collide with a real person) or fails it
  (and breaks the invariant that every identity validates), and the rest of the
  row would still describe the person. If the business is still in Bolagsverket's
  public register a later import may bring the public facts back; what we added
  (contacts, consents, notes) stays gone.
* **Companies whose own e-mail field** is the person's address get it cleared.
* **Correction links** sent to the address are deleted (they are access tokens);
  corrections the person submitted lose the address.
* **Elsewhere**: what other apps hold on an e-mail address (comments, ideas and
  subscriptions in the action plan; messages in the outbox) is handled by the
  holders they register in :mod:`brygga.core.privacy`, in this same transaction.
* **Audit entries** about any of these keep their time, action and field names,
  but every personal value in them is replaced by ``[borttaget]``; then one entry
  with action ``erase`` (``via="person_erase"``) per affected object records that
  the erasure happened, without repeating what was erased.

Everything runs in one transaction; a dry run computes the same plan and writes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from brygga.core.audit import audit_record
from brygga.core.models import AuditEntry
from brygga.core.privacy import erase_elsewhere
from brygga.register.models import ConsentSource, Contact
from brygga.register.selectors_privacy import (
    COMPANY,
    CONTACT,
    Holdings,
    PersonKey,
    person_holdings,
)
from brygga.register.versions import REGISTER_VERSION

VIA = "person_erase"
SCRUBBED = "[borttaget]"
ERASED_NAME = "Borttagen person"
ERASED_COMPANY = "Borttagen enskild näringsidkare"
CONTACT_PERSONAL_FIELDS = ("name", "role", "email", "phone")


@dataclass
class ErasePlan:
    key: PersonKey
    contacts: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    company_emails: list[str] = field(default_factory=list)
    correction_links: int = 0
    corrections: int = 0
    audit_entries: int = 0
    # What other apps hold on the address (the action plan, the outbox): one line each.
    elsewhere: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def is_empty(self) -> bool:
        return not (
            self.contacts
            or self.companies
            or self.company_emails
            or self.correction_links
            or self.corrections
            or self.audit_entries
            or self.elsewhere
        )


def _scrub_value(value: Any, needles: list[str]) -> Any:
    """``value`` with every string that mentions a needle replaced by SCRUBBED."""
    if isinstance(value, str):
        folded = value.casefold()
        return SCRUBBED if any(n.casefold() in folded for n in needles) else value
    if isinstance(value, list):
        return [_scrub_value(v, needles) for v in value]
    if isinstance(value, dict):
        return {k: _scrub_value(v, needles) for k, v in value.items()}
    return value


def _scrub_all(value: Any) -> Any:
    """Every non-empty value replaced by SCRUBBED (booleans and None kept)."""
    if isinstance(value, list):
        return [_scrub_all(v) for v in value]
    if isinstance(value, dict):
        return {k: _scrub_all(v) for k, v in value.items()}
    if value in (None, "", True, False):
        return value
    return SCRUBBED


def _scrub_entry(
    entry: AuditEntry, *, contact_ids: set[str], company_ids: set[str], needles: list[str]
) -> None:
    under_company = (entry.subject_type == COMPANY and entry.subject_id in company_ids) or (
        entry.parent_type == COMPANY and entry.parent_id in company_ids
    )
    about_contact = entry.subject_type == CONTACT and entry.subject_id in contact_ids
    changes = dict(entry.changes)
    if under_company:
        changes = _scrub_all(changes)
        entry.subject_repr = SCRUBBED
    elif about_contact:
        for name in CONTACT_PERSONAL_FIELDS:
            if name in changes:
                changes[name] = _scrub_all(changes[name])
        entry.subject_repr = ERASED_NAME
    entry.changes = _scrub_value(changes, needles)
    entry.subject_repr = _scrub_value(entry.subject_repr, needles)
    entry.save(update_fields=["changes", "subject_repr"])


def _plan(holdings: Holdings) -> ErasePlan:
    plan = ErasePlan(key=holdings.key)
    plan.contacts = [f"{c.name} <{c.email}> på {c.company.name}" for c in holdings.contacts]
    plan.companies = [
        f"{c.identity_display} löpnummer {c.name_protection_no}: {c.name} "
        f"({c.contacts.count()} kontaktpersoner, {c.notes.count()} anteckningar)"
        for c in holdings.companies
    ]
    plan.company_emails = [f"{c.identity_display} {c.name}" for c in holdings.companies_with_email]
    plan.correction_links = len(holdings.correction_links)
    plan.corrections = len(holdings.corrections)
    plan.audit_entries = len(holdings.audit_entries)
    return plan


def _erase_contact(contact: Contact, now: Any) -> None:
    contact.name = ERASED_NAME
    contact.email = contact.phone = contact.role = ""
    for kind in ("processing", "mailing"):
        setattr(contact, f"consent_{kind}", False)
        setattr(contact, f"consent_{kind}_source", ConsentSource.OTHER)
        setattr(contact, f"consent_{kind}_at", now)
    contact.save(
        update_fields=[
            *CONTACT_PERSONAL_FIELDS,
            "consent_processing",
            "consent_processing_source",
            "consent_processing_at",
            "consent_mailing",
            "consent_mailing_source",
            "consent_mailing_at",
            "updated_at",
        ]
    )


@transaction.atomic
def person_erase(*, key: PersonKey, apply: bool, actor: Any = None) -> ErasePlan:
    """Plan (and with ``apply`` carry out) the erasure of the person behind ``key``."""
    holdings = person_holdings(key)
    plan = _plan(holdings)
    if key.kind == "email":
        plan.elsewhere = erase_elsewhere(key.value, apply=False, actor=actor)
    if not apply or plan.is_empty:
        return plan
    if key.kind == "email":
        erase_elsewhere(key.value, apply=True, actor=actor)
    needles = key.needles + [c.email.lower() for c in holdings.contacts if c.email]
    contact_ids = {str(c.pk) for c in holdings.contacts}
    contact_ids |= {str(c.pk) for co in holdings.companies for c in co.contacts.all()}
    company_ids = {str(c.pk) for c in holdings.companies}
    # Scrub the history first, so the erase entries written below stay readable.
    for entry in holdings.audit_entries:
        _scrub_entry(entry, contact_ids=contact_ids, company_ids=company_ids, needles=needles)

    now = timezone.now()
    for contact in holdings.contacts:
        _erase_contact(contact, now)
        audit_record(
            action=AuditEntry.Action.ERASE,
            subject=contact,
            parent=contact.company,
            changes={
                "name": [SCRUBBED, ERASED_NAME],
                **{f: [SCRUBBED, ""] for f in CONTACT_PERSONAL_FIELDS if f != "name"},
                "consent_processing": [None, False],
                "consent_mailing": [None, False],
            },
            actor=actor,
            via=VIA,
        )
    for company in holdings.companies_with_email:
        company.email = ""
        company.save(update_fields=["email", "updated_at"])
        audit_record(
            action=AuditEntry.Action.ERASE,
            subject=company,
            changes={"email": [SCRUBBED, ""]},
            actor=actor,
            via=VIA,
        )
    for link in holdings.correction_links:
        link.delete()
    erased_company_pks = {c.pk for c in holdings.companies}
    for correction in holdings.corrections:
        if correction.company_id in erased_company_pks:
            continue  # deleted with its company below
        correction.changes = _scrub_value(correction.changes, needles)
        if correction.submitted_by_email.lower() in needles:
            correction.submitted_by_email = ""
        correction.save(update_fields=["changes", "submitted_by_email"])
    for company in holdings.companies:
        # The entry outlives the row: it keeps only the id and that it was erased.
        AuditEntry.objects.create(
            action=AuditEntry.Action.ERASE,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            via=VIA,
            subject_type=COMPANY,
            subject_id=str(company.pk),
            subject_repr=ERASED_COMPANY,
            changes={"identity": [SCRUBBED, None], "name": [SCRUBBED, None]},
        )
        company.delete()
    if holdings.companies:
        REGISTER_VERSION.changed()
    plan.applied = True
    return plan

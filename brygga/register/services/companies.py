"""Creating, changing and deleting companies, contacts and notes, with audit entries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from brygga.core.audit import audit_record, diff, snapshot
from brygga.core.models import AuditEntry
from brygga.register.identity import IdentityError, parse_identity
from brygga.register.models import Company, ConsentSource, Contact, Note, Tag
from brygga.register.search_text import company_search_text
from brygga.register.services.search_words import search_words_add
from brygga.register.versions import FIGURE_FIELDS, REGISTER_VERSION

# Fields staff (and self-service, after review) may change on a company.
COMPANY_EDITABLE = (
    "name",
    "legal_form",
    "status",
    "deregistered_on",
    "registered_on",
    "business_description",
    "street_address",
    "co_address",
    "postal_code",
    "postal_town",
    "size_class",
    "employees",
    "phone",
    "email",
    "website",
    "advertising_block",
)
CONTACT_EDITABLE = ("name", "role", "email", "phone")
CONSENT_KINDS = ("processing", "mailing")


def _refresh_search_text(company: Company) -> None:
    names = [n.name for n in company.other_names.all()] if company.pk else []
    company.search_text = company_search_text(company.name, names)


@transaction.atomic
def company_create(
    *,
    identity: str,
    name: str,
    name_protection_no: int = 0,
    tags: Iterable[Tag] = (),
    actor: Any = None,
    via: str = "",
    **fields: Any,
) -> Company:
    try:
        parsed = parse_identity(identity)
    except IdentityError as exc:
        raise ValidationError({"identity": str(exc)}) from None
    unknown = set(fields) - set(COMPANY_EDITABLE)
    if unknown:
        raise TypeError(f"company_create got unknown fields: {sorted(unknown)}")
    company = Company(
        identity=parsed.digits,
        identity_kind=parsed.kind,
        name_protection_no=name_protection_no,
        name=name,
        **fields,
    )
    if company.status == Company.Status.ACTIVE:
        company.deregistered_on = None
    company.search_text = company_search_text(name)
    company.full_clean()
    company.save()
    REGISTER_VERSION.changed()
    search_words_add([company.search_text])
    tag_list = list(tags)
    if tag_list:
        company.tags.set(tag_list)
    after = snapshot(company, ("identity", "name_protection_no", *COMPANY_EDITABLE))
    if tag_list:
        after["tags"] = sorted(t.name for t in tag_list)
    audit_record(
        action=AuditEntry.Action.CREATE,
        subject=company,
        changes=diff({}, {k: v for k, v in after.items() if v not in ("", None, False, [])}),
        actor=actor,
        via=via,
    )
    return company


@transaction.atomic
def company_update(
    *,
    company: Company,
    data: Mapping[str, Any],
    tags: Iterable[Tag] | None = None,
    actor: Any = None,
    via: str = "",
) -> Company:
    """Apply ``data`` (a subset of COMPANY_EDITABLE) and log what really changed."""
    unknown = set(data) - set(COMPANY_EDITABLE)
    if unknown:
        raise TypeError(f"company_update got unknown fields: {sorted(unknown)}")
    fields = list(data)
    before = snapshot(company, fields)
    for key, value in data.items():
        setattr(company, key, value)
    if company.status == Company.Status.ACTIVE and company.deregistered_on is not None:
        company.deregistered_on = None
        if "deregistered_on" not in fields:
            before["deregistered_on"] = snapshot(company, ["deregistered_on"])["deregistered_on"]
            fields.append("deregistered_on")
    changes = diff(before, snapshot(company, fields))
    if tags is not None:
        old_tags = sorted(t.name for t in company.tags.all())
        new_tag_list = list(tags)
        new_tags = sorted(t.name for t in new_tag_list)
        if old_tags != new_tags:
            company.tags.set(new_tag_list)
            changes["tags"] = [old_tags, new_tags]
    if not changes:
        return company
    company.full_clean()
    changed_fields = [f for f in changes if f != "tags"]
    if "name" in changed_fields:
        _refresh_search_text(company)
        changed_fields.append("search_text")
    company.save(update_fields=[*changed_fields, "updated_at"])
    if FIGURE_FIELDS.intersection(changed_fields):
        REGISTER_VERSION.changed()
    if "search_text" in changed_fields:
        search_words_add([company.search_text])
    audit_record(
        action=AuditEntry.Action.UPDATE, subject=company, changes=changes, actor=actor, via=via
    )
    return company


@transaction.atomic
def company_delete(*, company: Company, actor: Any = None, via: str = "") -> None:
    audit_record(
        action=AuditEntry.Action.DELETE,
        subject=company,
        changes={"identity": [company.identity_masked, None], "name": [company.name, None]},
        actor=actor,
        via=via,
    )
    company.delete()
    REGISTER_VERSION.changed()


def _consent_fields(kind: str) -> tuple[str, str, str]:
    if kind not in CONSENT_KINDS:
        raise ValueError(f"Unknown consent kind {kind!r}")
    return f"consent_{kind}", f"consent_{kind}_source", f"consent_{kind}_at"


def _apply_consents(contact: Contact, consents: Mapping[str, bool], source: str) -> list[str]:
    changed: list[str] = []
    now = timezone.now()
    for kind, given in consents.items():
        flag, source_field, at_field = _consent_fields(kind)
        if bool(getattr(contact, flag)) != bool(given) or not getattr(contact, source_field):
            setattr(contact, flag, bool(given))
            setattr(contact, source_field, source)
            setattr(contact, at_field, now)
            changed.extend([flag, source_field, at_field])
    return changed


AUDITED_CONTACT_FIELDS = (
    *CONTACT_EDITABLE,
    "consent_processing",
    "consent_processing_source",
    "consent_processing_at",
    "consent_mailing",
    "consent_mailing_source",
    "consent_mailing_at",
)


@transaction.atomic
def contact_create(
    *,
    company: Company,
    name: str,
    role: str = "",
    email: str = "",
    phone: str = "",
    consents: Mapping[str, bool] | None = None,
    consent_source: str = ConsentSource.STAFF,
    actor: Any = None,
    via: str = "",
) -> Contact:
    contact = Contact(company=company, name=name, role=role, email=email.strip(), phone=phone)
    _apply_consents(contact, consents or {}, consent_source)
    contact.full_clean()
    contact.save()
    after = snapshot(contact, AUDITED_CONTACT_FIELDS)
    audit_record(
        action=AuditEntry.Action.CREATE,
        subject=contact,
        parent=company,
        changes=diff({}, {k: v for k, v in after.items() if v not in ("", None, False)}),
        actor=actor,
        via=via,
    )
    return contact


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    data: Mapping[str, Any],
    consents: Mapping[str, bool] | None = None,
    consent_source: str = ConsentSource.STAFF,
    actor: Any = None,
    via: str = "",
) -> Contact:
    unknown = set(data) - set(CONTACT_EDITABLE)
    if unknown:
        raise TypeError(f"contact_update got unknown fields: {sorted(unknown)}")
    before = snapshot(contact, AUDITED_CONTACT_FIELDS)
    for key, value in data.items():
        setattr(contact, key, value.strip() if isinstance(value, str) else value)
    _apply_consents(contact, consents or {}, consent_source)
    changes = diff(before, snapshot(contact, AUDITED_CONTACT_FIELDS))
    if not changes:
        return contact
    contact.full_clean()
    contact.save(update_fields=[*changes, "updated_at"])
    audit_record(
        action=AuditEntry.Action.UPDATE,
        subject=contact,
        parent=contact.company,
        changes=changes,
        actor=actor,
        via=via,
    )
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact, actor: Any = None, via: str = "") -> None:
    audit_record(
        action=AuditEntry.Action.DELETE,
        subject=contact,
        parent=contact.company,
        changes={"name": [contact.name, None]},
        actor=actor,
        via=via,
    )
    contact.delete()


@transaction.atomic
def note_create(*, company: Company, text: str, author: Any) -> Note:
    note = Note(company=company, text=text.strip(), author=author)
    note.full_clean()
    note.save()
    audit_record(
        action=AuditEntry.Action.CREATE,
        subject=note,
        parent=company,
        changes={"text": [None, note.text]},
        actor=author,
    )
    return note


@transaction.atomic
def note_update(*, note: Note, text: str, actor: Any) -> Note:
    before = note.text
    note.text = text.strip()
    if note.text == before:
        return note
    note.full_clean()
    note.save(update_fields=["text", "updated_at"])
    audit_record(
        action=AuditEntry.Action.UPDATE,
        subject=note,
        parent=note.company,
        changes={"text": [before, note.text]},
        actor=actor,
    )
    return note


@transaction.atomic
def note_delete(*, note: Note, actor: Any) -> None:
    audit_record(
        action=AuditEntry.Action.DELETE,
        subject=note,
        parent=note.company,
        changes={"text": [note.text, None]},
        actor=actor,
    )
    note.delete()

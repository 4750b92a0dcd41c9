"""What the register holds on one person, found by e-mail address or personnummer.

Used by ``person_extract`` (the data subject's right of access) and by the
erasure service, so both always agree on what "everything we hold" means.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q, QuerySet

from brygga.core.models import AuditEntry
from brygga.core.privacy import extract_elsewhere
from brygga.register.identity import PERSON, IdentityError, format_identity, parse_identity
from brygga.register.models import Company, Contact, Correction, CorrectionLink, Note

COMPANY = "register.company"
CONTACT = "register.contact"
NOTE = "register.note"


class PersonKeyError(ValueError):
    pass


@dataclass(frozen=True)
class PersonKey:
    kind: str  # "email" or "pnr"
    value: str  # lower-cased e-mail address, or 12 personnummer digits

    @property
    def needles(self) -> list[str]:
        """The strings that identify the person wherever they were copied to."""
        if self.kind == "email":
            return [self.value]
        return [self.value, format_identity(PERSON, self.value), self.value[2:]]


def person_key(raw: str) -> PersonKey:
    """An e-mail address or a 12-digit personnummer (with or without hyphen)."""
    raw = raw.strip()
    if "@" in raw:
        try:
            validate_email(raw)
        except ValidationError:
            raise PersonKeyError(f"{raw!r} är ingen giltig e-postadress.") from None
        return PersonKey("email", raw.lower())
    try:
        identity = parse_identity(raw)
    except IdentityError as exc:
        raise PersonKeyError(f"{raw!r} är varken e-postadress eller personnummer: {exc}.") from None
    if identity.kind != PERSON:
        raise PersonKeyError(
            f"{raw!r} är ett organisationsnummer. Ange personnumret med tolv siffror "
            "(ÅÅÅÅMMDD-NNNN) eller en e-postadress."
        )
    return PersonKey("pnr", identity.digits)


@dataclass
class Holdings:
    key: PersonKey
    contacts: list[Contact] = field(default_factory=list)  # by e-mail, any company
    companies: list[Company] = field(default_factory=list)  # sole trader, every löpnummer
    companies_with_email: list[Company] = field(default_factory=list)
    correction_links: list[CorrectionLink] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    audit_entries: list[AuditEntry] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.contacts
            or self.companies
            or self.companies_with_email
            or self.correction_links
            or self.corrections
            or self.audit_entries
        )


def _mentions(key: PersonKey, lookup: str) -> Q:
    q = Q()
    for needle in key.needles:
        q |= Q(**{lookup: needle})
    return q


def audit_entries_about(
    *, contact_ids: list[int], company_ids: list[int], key: PersonKey
) -> QuerySet[AuditEntry]:
    """Entries on the person's contacts, on their sole-trader companies (and everything
    under those), and any other entry whose values mention the e-mail or personnummer."""
    about = Q(subject_type=CONTACT, subject_id__in=[str(i) for i in contact_ids])
    about |= Q(subject_type=COMPANY, subject_id__in=[str(i) for i in company_ids])
    about |= Q(parent_type=COMPANY, parent_id__in=[str(i) for i in company_ids])
    about |= _mentions(key, "changes__icontains") | _mentions(key, "subject_repr__icontains")
    return AuditEntry.objects.filter(about).select_related("actor").order_by("at", "id")


def person_holdings(key: PersonKey) -> Holdings:
    holdings = Holdings(key=key)
    if key.kind == "email":
        holdings.contacts = list(
            Contact.objects.filter(email__iexact=key.value)
            .select_related("company")
            .order_by("company__name", "id")
        )
        holdings.companies_with_email = list(
            Company.objects.filter(email__iexact=key.value).order_by("name", "id")
        )
        holdings.correction_links = list(
            CorrectionLink.objects.filter(email__iexact=key.value).select_related("company")
        )
    else:
        holdings.companies = list(
            Company.objects.filter(identity=key.value, identity_kind=PERSON)
            .prefetch_related("other_names", "sni_codes", "tags", "contacts")
            .prefetch_related("notes__author")
            .order_by("name_protection_no")
        )
    company_ids = [c.pk for c in holdings.companies]
    corrections = Q(company_id__in=company_ids) | _mentions(key, "changes__icontains")
    if key.kind == "email":
        corrections |= Q(submitted_by_email__iexact=key.value)
    holdings.corrections = list(
        Correction.objects.filter(corrections).select_related("company").order_by("submitted_at")
    )
    contact_ids = [c.pk for c in holdings.contacts]
    contact_ids += [c.pk for company in holdings.companies for c in company.contacts.all()]
    holdings.audit_entries = list(
        audit_entries_about(contact_ids=contact_ids, company_ids=company_ids, key=key)
    )
    return holdings


def _at(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _contact_data(contact: Contact, *, with_company: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": contact.pk,
        "name": contact.name,
        "role": contact.role,
        "email": contact.email,
        "phone": contact.phone,
        "consents": {
            kind: {
                "given": getattr(contact, f"consent_{kind}"),
                "source": getattr(contact, f"consent_{kind}_source"),
                "at": _at(getattr(contact, f"consent_{kind}_at")),
            }
            for kind in ("processing", "mailing")
        },
        "created_at": _at(contact.created_at),
        "updated_at": _at(contact.updated_at),
    }
    if with_company:
        company = contact.company
        data["company"] = {"org_number": company.identity_display, "name": company.name}
    return data


def _company_data(company: Company) -> dict[str, Any]:
    notes: list[Note] = list(company.notes.all())
    return {
        "id": company.pk,
        "org_number": company.identity_display,
        "name_protection_no": company.name_protection_no,
        "name": company.name,
        "other_names": [n.name for n in company.other_names.all()],
        "legal_form": company.legal_form,
        "status": company.status,
        "registered_on": _at(company.registered_on),
        "deregistered_on": _at(company.deregistered_on),
        "address": {
            "street": company.street_address,
            "co": company.co_address,
            "postal_code": company.postal_code,
            "postal_town": company.postal_town,
        },
        "phone": company.phone,
        "email": company.email,
        "website": company.website,
        "sni_codes": [s.code for s in sorted(company.sni_codes.all(), key=lambda s: s.position)],
        "tags": sorted(t.name for t in company.tags.all()),
        "advertising_block": company.advertising_block,
        "contacts": [_contact_data(c, with_company=False) for c in company.contacts.all()],
        "notes": [
            {
                "text": n.text,
                "author": str(n.author) if n.author else None,
                "created_at": _at(n.created_at),
            }
            for n in notes
        ],
        "created_at": _at(company.created_at),
        "updated_at": _at(company.updated_at),
    }


def person_extract_data(holdings: Holdings) -> dict[str, Any]:
    """Everything in ``holdings`` as JSON-ready data (the right-of-access extract)."""
    key = holdings.key
    elsewhere = extract_elsewhere(key.value) if key.kind == "email" else {}
    return {
        "person": {
            "kind": key.kind,
            "value": key.value if key.kind == "email" else format_identity(PERSON, key.value),
        },
        "contacts": [_contact_data(c, with_company=True) for c in holdings.contacts],
        "sole_trader_companies": [_company_data(c) for c in holdings.companies],
        "companies_with_this_email": [
            {"org_number": c.identity_display, "name": c.name, "email": c.email}
            for c in holdings.companies_with_email
        ],
        "correction_links": [
            {
                "company": link.company.name,
                "email": link.email,
                "created_at": _at(link.created_at),
                "expires_at": _at(link.expires_at),
                "last_used_at": _at(link.last_used_at),
            }
            for link in holdings.correction_links
        ],
        "corrections": [
            {
                "company": c.company.name,
                "submitted_at": _at(c.submitted_at),
                "submitted_by_email": c.submitted_by_email,
                "state": c.state,
                "changes": c.changes,
            }
            for c in holdings.corrections
        ],
        "audit_entries": [
            {
                "at": _at(e.at),
                "action": e.action,
                "actor": str(e.actor) if e.actor else None,
                "via": e.via,
                "subject": f"{e.subject_type}#{e.subject_id}",
                "subject_repr": e.subject_repr,
                "changes": e.changes,
            }
            for e in holdings.audit_entries
        ],
        **elsewhere,
    }

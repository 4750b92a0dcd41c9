"""Self-service correction links: made by staff or asked for by the company.

A link is a random token mailed to an address the register already holds for the
company; only the token's SHA-256 is stored. Proposals made through a link are
handled in :mod:`brygga.register.services.corrections`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.core.audit import audit_record, diff, snapshot
from brygga.core.models import AuditEntry
from brygga.core.outbox import mail_enqueue
from brygga.register.identity import IdentityError, parse_identity
from brygga.register.models import Company, CorrectionLink
from brygga.register.selectors_corrections import company_email_addresses, token_hash

VIA = "självservice"


@transaction.atomic
def correction_link_create(
    *,
    company: Company,
    email: str,
    actor: Any = None,
    requested_by_company: bool = False,
) -> CorrectionLink:
    """Make a link for ``company`` and mail it to ``email``, an address we hold for it.

    Only the token's SHA-256 is stored; the token itself exists only in the e-mail.
    """
    wanted = email.strip().lower()
    matches = [a for a in company_email_addresses(company) if a.lower() == wanted]
    if not matches:
        raise ValidationError(
            {"email": _("Adressen finns inte bland företagets e-postadresser i registret.")}
        )
    token = secrets.token_urlsafe(32)
    link = CorrectionLink(
        company=company,
        email=matches[0],
        token_hash=token_hash(token),
        requested_by_company=requested_by_company,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=timezone.now() + dt.timedelta(days=settings.BRYGGA_CORRECTION_LINK_DAYS),
    )
    link.full_clean()
    link.save()
    audit_record(
        action=AuditEntry.Action.CREATE,
        subject=link,
        parent=company,
        changes=diff({}, snapshot(link, ["email", "expires_at"])),
        actor=actor,
        via=VIA if requested_by_company else "",
    )
    # Written in this transaction; the worker sends it. A mail server that is down
    # therefore never turns into an error page (which, on the public form, would
    # also reveal that the company and address matched).
    mail_enqueue(
        to=link.email,
        template="register/email/correction_link",
        context={
            "company": company,
            "link": link,
            "url": correction_link_url(token),
            "sender": link.created_by,
        },
        kind="register.correction_link",
        sensitive=True,  # the link opens the company's details to whoever holds it
    )
    return link


def correction_link_request(*, identity: str, email: str) -> int:
    """A company asks for a link by its org number and an address we already hold.

    Sends a link to every business under that identity holding the address and
    returns how many were sent; callers show the same answer whatever it is.
    """
    try:
        digits = parse_identity(identity).digits
    except IdentityError:
        return 0
    wanted = email.strip().lower()
    sent = 0
    companies = Company.objects.filter(identity=digits).prefetch_related("contacts")
    for company in companies:
        if wanted in {a.lower() for a in company_email_addresses(company)}:
            correction_link_create(company=company, email=email, requested_by_company=True)
            sent += 1
    return sent


def correction_link_url(token: str) -> str:
    return settings.SITE_URL + reverse("register:correction_form", kwargs={"token": token})

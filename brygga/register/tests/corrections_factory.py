"""Test data and helpers for the self-service correction tests."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from brygga.accounts.models import User
from brygga.register.models import Company
from brygga.register.services.companies import company_create, contact_create
from brygga.register.tests.companies_factory import orgnr

LINK_RE = re.compile(r"https?://[^\s\"<]+/mitt-foretag/rattelse/[A-Za-z0-9_-]+/")


def make_company_with_contacts(actor: User, *, number: int = 1, contacts: int = 2) -> Company:
    company = company_create(
        identity=orgnr(number),
        name=f"Mariefreds Båtvarv {number} AB",
        email=f"info{number}@batvarv.example.se",
        phone="0159-100 00",
        postal_town="Mariefred",
        actor=actor,
    )
    for i in range(contacts):
        contact_create(
            company=company,
            name=f"Sara Lind {i}",
            role="VD",
            email=f"sara{i}.{number}@batvarv.example.se",
            consents={"processing": True, "mailing": True},
            actor=actor,
        )
    return company


def link_path_from(body: str) -> str:
    match = LINK_RE.search(body)
    assert match, f"no correction link in:\n{body}"
    return urlparse(match.group(0)).path


def token_from(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def form_data(response: Any) -> dict[str, Any]:
    """What a browser would post back from the correction page, unchanged."""
    context: Any = response.context
    data: dict[str, Any] = {}
    company_form = context["company_form"]
    for name in company_form.fields:
        value = company_form.initial.get(name)
        data[company_form.add_prefix(name)] = "" if value is None else value
    formset = context["formset"]
    management = formset.management_form
    for name in management.fields:
        data[management.add_prefix(name)] = management.initial[name]
    for form in formset.forms:
        for name in form.fields:
            value = form.initial.get(name)
            if isinstance(value, bool) or name in {"consent_processing", "consent_mailing"}:
                if value:
                    data[form.add_prefix(name)] = "on"
                continue
            data[form.add_prefix(name)] = "" if value is None else value
    return data


def contact_prefix(response: Any, contact_id: int) -> str:
    """The form prefix of an existing contact on the correction page."""
    context: Any = response.context
    for form in context["formset"].forms:
        if form.initial.get("contact_id") == contact_id:
            return str(form.prefix)
    raise AssertionError(f"contact {contact_id} not on the page")


def use_own_cache(settings: Any, tmp_path: Path) -> None:
    """A cache of the test's own, so rate-limit counts start at zero and stay private
    (the shared file cache under var/ is used by the dev server and other test runs)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }

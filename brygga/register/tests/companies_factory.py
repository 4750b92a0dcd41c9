"""Test data for the staff-interface tests: valid identities and companies in bulk."""

from __future__ import annotations

from typing import Any

from brygga.register.models import Company
from brygga.register.search_text import company_search_text
from brygga.register.versions import REGISTER_VERSION


def luhn_complete(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return nine + str((10 - total % 10) % 10)


def orgnr(i: int) -> str:
    """A valid 10-digit org number (aktiebolag series 55…)."""
    return luhn_complete(f"55{i:07d}")


def pnr(i: int) -> str:
    """A valid 12-digit personnummer born 1980-01-01."""
    return "19" + luhn_complete(f"800101{i:03d}")


def make_companies(
    n: int, *, prefix: str = "Företag", start: int = 0, **fields: Any
) -> list[Company]:
    companies = [
        Company(
            identity=orgnr(start + i),
            name=f"{prefix} {start + i:05d} AB",
            search_text=company_search_text(f"{prefix} {start + i:05d} AB"),
            **fields,
        )
        for i in range(n)
    ]
    made = Company.objects.bulk_create(companies, batch_size=500)
    REGISTER_VERSION.changed()
    return made


def make_company(name: str, *, identity: str | None = None, **fields: Any) -> Company:
    company = Company(
        identity=identity or orgnr(9_000_000 + Company.objects.count()),
        name=name,
        search_text=company_search_text(name, fields.pop("other_names", ())),
        **fields,
    )
    company.save()
    REGISTER_VERSION.changed()  # as the services and imports do
    return company

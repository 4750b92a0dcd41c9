"""A small office year for the insights page tests: a target, held and planned visits,
companies in three sections and two towns, and a follow-up of the developer's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from brygga.register.tests.companies_factory import make_company
from brygga.visits.services.targets import target_set
from brygga.visits.tests.factories import make_follow_up, make_visit, set_sni


def office_year(developer: Any, *, target: int | None = 300) -> dict[str, Any]:
    today = timezone.localdate()
    jan = dt.date(today.year, 1, 1)
    companies = []
    for i, (sni, town, size) in enumerate(
        [
            ("43210", "Mariefred", "1-4 anställda"),
            ("43220", "Strängnäs", "5-9 anställda"),
            ("47110", "Strängnäs", "1-4 anställda"),
            ("47190", "Mariefred", "10-19 anställda"),
            ("56100", "Strängnäs", ""),
            ("", "", "0 anställda"),
        ]
    ):
        company = make_company(f"Företag {i} <b>AB</b>", postal_town=town, size_class=size)
        if sni:
            set_sni(company, sni)
        companies.append(company)
    held = [make_visit([c], date=jan, staff=[developer]) for c in companies[:2]]
    planned = make_visit(
        [companies[2]], date=today + dt.timedelta(days=7), status="planned", staff=[developer]
    )
    follow_up = make_follow_up(held[0], owner=developer, due_on=jan, title="Ring om bygglovet")
    if target is not None:
        target_set(year=today.year, visits=target)
    return {"companies": companies, "held": held, "planned": planned, "follow_up": follow_up}

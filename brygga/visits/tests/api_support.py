"""What the visit and follow-up API tests share: token clients and a few visits."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from brygga.accounts.models import User
from brygga.register.models import Company
from brygga.register.tests.companies_factory import make_company, pnr
from brygga.visits.models import Visit
from brygga.visits.tests.factories import make_feedback, make_visit

VISITS = "/api/v1/visits/"
FOLLOW_UPS = "/api/v1/follow-ups/"


def token_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def send(client: Any, method: str, url: str, data: Any) -> Any:
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


@pytest.fixture
def companies(db: None) -> dict[str, Company]:
    return {
        "bygg": make_company("Mariefreds Bygg AB", identity="5560360793", postal_town="Mariefred"),
        "cafe": make_company("Kafé Ugglan", postal_town="Strängnäs"),
        "sole": make_company("Tolvans Snickeri", identity=pnr(3), identity_kind="pnr"),
    }


@pytest.fixture
def visits(companies: dict[str, Company], developer: User) -> list[Visit]:
    first = make_visit(
        [companies["bygg"]],
        date=dt.date(2025, 4, 1),
        staff=[developer],
        notes="Vill bygga ut.",
        rating=4,
        politicians="Kommunstyrelsens ordförande",
    )
    make_feedback(first, "tillstand", "negative", "Bygglovet dröjer.", company=companies["bygg"])
    second = make_visit(
        [companies["cafe"], companies["sole"]], date=dt.date(2026, 2, 3), kind="lunch"
    )
    third = make_visit([companies["cafe"]], date=dt.date(2026, 5, 5), status="planned")
    return [first, second, third]

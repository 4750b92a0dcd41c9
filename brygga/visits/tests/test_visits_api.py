"""Visits in the API: reads, writes through the services, roles, filters, bad input
(400 naming the field, never 500), query counts and the schema."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from brygga.core.models import AuditEntry
from brygga.register.tests.companies_factory import make_company
from brygga.visits.models import Visit
from brygga.visits.tests.api_support import (
    FOLLOW_UPS,
    VISITS,
    companies,
    send,
    token_client,
    visits,
)
from brygga.visits.tests.factories import make_feedback, make_visit

pytestmark = pytest.mark.django_db
__all__ = ["companies", "visits"]  # fixtures


# ---------------------------------------------------------------- visits: reading


def test_it_lists_visits_newest_first(reader, visits, companies, developer):
    response = token_client(reader).get(VISITS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [v["id"] for v in body["results"]] == [visits[2].pk, visits[1].pk, visits[0].pk]
    first = body["results"][2]
    assert {k: first[k] for k in ("date", "kind", "kind_label", "status", "rating")} == {
        "date": "2025-04-01",
        "kind": "besok",
        "kind_label": "Besök",
        "status": "held",
        "rating": 4,
    }
    assert first["companies"] == [
        {"id": companies["bygg"].pk, "org_number": "556036-0793", "name": "Mariefreds Bygg AB"}
    ]
    assert first["staff"] == [developer.email]
    assert first["notes"] == "Vill bygga ut."
    assert "org_numbers" not in first
    assert "feedback" not in first


def test_a_sole_traders_personnummer_is_masked_for_readers(reader, developer, visits, companies):
    sole = companies["sole"]
    for user, expected in ((reader, sole.identity_masked), (developer, sole.identity_display)):
        body = token_client(user).get(f"{VISITS}{visits[1].pk}/").json()
        numbers = {c["name"]: c["org_number"] for c in body["companies"]}
        assert numbers["Tolvans Snickeri"] == expected


def test_it_retrieves_a_visit_with_its_feedback(reader, visits, companies):
    body = token_client(reader).get(f"{VISITS}{visits[0].pk}/").json()
    assert body["feedback"] == [
        {
            "id": visits[0].feedback.get().pk,
            "company": companies["bygg"].pk,
            "topic": "tillstand",
            "topic_label": "Tillstånd och handläggning",
            "sentiment": "negative",
            "text": "Bygglovet dröjer.",
            "area": None,
            "activity": None,
        }
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2026"}, [2, 1]),
        ({"year": "2025"}, [0]),
        ({"kind": "lunch"}, [1]),
        ({"status": "planned"}, [2]),
        ({"company": "556036-0793"}, [0]),
        ({"company": "5560360793"}, [0]),
        ({"company": "165560360793"}, [0]),
        ({"year": "2026", "status": "held"}, [1]),
        ({"year": "1999"}, []),
    ],
    ids=["year", "other-year", "kind", "status", "org", "digits", "scb", "two", "none"],
)
def test_it_filters_visits(reader, visits, params, expected):
    response = token_client(reader).get(VISITS, params)
    assert response.status_code == 200
    assert [v["id"] for v in response.json()["results"]] == [visits[i].pk for i in expected]


def test_it_filters_on_a_sole_traders_number(developer, visits, companies):
    response = token_client(developer).get(VISITS, {"company": companies["sole"].identity})
    assert [v["id"] for v in response.json()["results"]] == [visits[1].pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "förra året"}, "year"),
        ({"year": "99999999999999999999999"}, "year"),
        ({"year": "0"}, "year"),
        ({"kind": "raket"}, "kind"),
        ({"status": "kanske"}, "status"),
        ({"company": "inte ett nummer"}, "company"),
        ({"company": "556036-0794"}, "company"),
    ],
    ids=["words", "huge", "zero", "kind", "status", "company", "checksum"],
)
def test_bad_visit_filters_answer_400_naming_the_parameter(reader, visits, params, field):
    response = token_client(reader).get(VISITS, params)
    assert response.status_code == 400
    assert field in response.json()


def test_the_visit_list_runs_a_fixed_number_of_queries(
    developer, visits, companies, django_assert_num_queries
):
    client = token_client(developer)
    # token and user, count, page, companies, staff
    with django_assert_num_queries(5):
        assert client.get(VISITS).status_code == 200
    for i in range(10):
        make_visit(
            [companies["bygg"], companies["cafe"]], date=dt.date(2024, 1, 1 + i), staff=[developer]
        )
    with django_assert_num_queries(5):
        assert client.get(VISITS).json()["count"] == 13


def test_a_visit_is_a_fixed_number_of_queries(developer, visits, django_assert_num_queries):
    client = token_client(developer)
    for _i in range(5):
        make_feedback(visits[0], "bemotande", "positive", "Bra.")
    # token and user, visit, companies, staff, feedback
    with django_assert_num_queries(5):
        assert len(client.get(f"{VISITS}{visits[0].pk}/").json()["feedback"]) == 6


# ---------------------------------------------------------------- visits: roles


@pytest.mark.parametrize("url", [VISITS, f"{VISITS}1/", FOLLOW_UPS, f"{FOLLOW_UPS}1/"])
def test_anonymous_callers_get_401(visits, url):
    assert APIClient().get(url).status_code == 401
    assert Client().get(url).status_code in (401, 403)


def test_a_wrong_token_gets_401(visits):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get(VISITS).status_code == 401


def test_readers_may_read_but_not_write_visits(reader, visits, companies):
    client = token_client(reader)
    assert client.get(f"{VISITS}{visits[0].pk}/").status_code == 200
    new = {"date": "2026-03-01", "kind": "besok", "org_numbers": ["556036-0793"]}
    assert send(client, "post", VISITS, new).status_code == 403
    assert send(client, "patch", f"{VISITS}{visits[0].pk}/", {"rating": 1}).status_code == 403
    assert Visit.objects.count() == 3


def test_a_deactivated_user_is_refused(developer, visits):
    client = token_client(developer)
    developer.is_active = False
    developer.save(update_fields=["is_active"])
    assert client.get(VISITS).status_code in (401, 403)


def test_there_is_no_put_or_delete(developer, visits):
    client = token_client(developer)
    url = f"{VISITS}{visits[0].pk}/"
    assert send(client, "put", url, {"rating": 2}).status_code == 405
    assert client.delete(url).status_code == 405
    assert Visit.objects.filter(pk=visits[0].pk).exists()


# ---------------------------------------------------------------- visits: writing


def test_staff_log_a_visit_by_org_numbers(developer, reader, companies):
    response = send(
        token_client(developer),
        "post",
        VISITS,
        {
            "date": "2026-03-01",
            "kind": "telefon",
            "org_numbers": ["5560360793", companies["cafe"].identity_display],
            "staff": [developer.email, reader.email],
            "notes": "Ringde om lokaler.",
            "rating": 5,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    visit = Visit.objects.get(pk=body["id"])
    assert visit.status == Visit.Status.HELD
    assert visit.kind.key == "telefon"
    assert visit.created_by == developer
    assert {c.pk for c in visit.companies.all()} == {companies["bygg"].pk, companies["cafe"].pk}
    assert [c["name"] for c in body["companies"]] == ["Kafé Ugglan", "Mariefreds Bygg AB"]
    assert sorted(body["staff"]) == sorted([developer.email, reader.email])
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE, subject_id=str(visit.pk))
    assert entry.via == "API"
    assert entry.actor == developer


NEW = {"date": "2026-03-01", "kind": "besok", "org_numbers": ["5560360793"]}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"org_numbers": None}, "org_numbers"),
        ({"org_numbers": []}, "org_numbers"),
        ({"org_numbers": ["5569999999"]}, "org_numbers"),
        ({"org_numbers": ["hej"]}, "org_numbers"),
        ({"org_numbers": "5560360793"}, "org_numbers"),
        ({"date": "den första"}, "date"),
        ({"date": "2026-02-30"}, "date"),
        ({"kind": "raket"}, "kind"),
        ({"rating": 9}, "rating"),
        ({"status": "x"}, "status"),
        ({"staff": ["nobody@example.se"]}, "staff"),
        ({"politicians": "x" * 301}, "politicians"),
    ],
)
def test_bad_visits_answer_400_naming_the_field(developer, companies, change, field):
    data = {k: v for k, v in {**NEW, **change}.items() if v is not None}
    response = send(token_client(developer), "post", VISITS, data)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Visit.objects.count() == 0


def test_an_unknown_org_number_is_named_in_the_error(developer, companies):
    response = send(
        token_client(developer),
        "post",
        VISITS,
        {"date": "2026-03-01", "kind": "besok", "org_numbers": ["5560360793", "5569999999"]},
    )
    assert response.status_code == 400
    assert "5569999999" in response.json()["org_numbers"]["1"][0]


def test_a_sole_trader_with_several_businesses_must_be_named_exactly(developer, companies):
    sole = companies["sole"]
    second = make_company(
        "Tolvans Båtvarv", identity=sole.identity, identity_kind="pnr", name_protection_no=2
    )
    client = token_client(developer)
    base = {"date": "2026-03-01", "kind": "besok"}
    response = send(client, "post", VISITS, {**base, "org_numbers": [sole.identity]})
    assert response.status_code == 400
    assert "löpnummer" in response.json()["org_numbers"]["0"][0]
    response = send(client, "post", VISITS, {**base, "org_numbers": [f"{sole.identity}-2"]})
    assert response.status_code == 201
    assert response.json()["companies"][0]["id"] == second.pk


def test_staff_change_a_visit_with_patch(developer, reader, visits, companies):
    visit = visits[0]
    response = send(
        token_client(developer),
        "patch",
        f"{VISITS}{visit.pk}/",
        {
            "status": "cancelled",
            "rating": None,
            "org_numbers": [companies["cafe"].identity],
            "staff": [reader.email],
            "imported": True,
        },
    )
    assert response.status_code == 200, response.content
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CANCELLED
    assert visit.rating is None
    assert visit.imported is False
    assert [c.pk for c in visit.companies.all()] == [companies["cafe"].pk]
    assert [u.pk for u in visit.staff.all()] == [reader.pk]
    body = response.json()
    assert body["companies"][0]["name"] == "Kafé Ugglan"
    assert body["feedback"][0]["text"] == "Bygglovet dröjer."
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).latest("id")
    assert entry.via == "API"
    assert entry.changes["status"] == ["held", "cancelled"]


def test_a_patch_that_empties_the_companies_is_refused(developer, visits):
    response = send(
        token_client(developer), "patch", f"{VISITS}{visits[0].pk}/", {"org_numbers": []}
    )
    assert response.status_code == 400
    assert "org_numbers" in response.json()


def test_a_bad_patch_changes_nothing(developer, visits):
    url = f"{VISITS}{visits[0].pk}/"
    response = send(token_client(developer), "patch", url, {"rating": 0, "notes": "Nytt"})
    assert response.status_code == 400
    assert "rating" in response.json()
    visits[0].refresh_from_db()
    assert visits[0].notes == "Vill bygga ut."


def test_malformed_json_answers_400(developer, visits):
    response = token_client(developer).post(
        VISITS, data="{inte json", content_type="application/json"
    )
    assert response.status_code == 400


def test_a_missing_visit_is_404(reader, visits):
    assert token_client(reader).get(f"{VISITS}999999/").status_code == 404


# ---------------------------------------------------------------- schema


def test_the_schema_describes_the_endpoints_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ("/api/v1/visits/:", "/api/v1/visits/{id}/:", "/api/v1/follow-ups/:"):
        assert path in text
    assert "org_numbers" in text

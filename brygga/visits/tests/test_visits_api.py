"""Visits and follow-ups in the API: reads, writes through the services, roles,
filters, bad input (400 naming the field, never 500), query counts and the schema."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from brygga.accounts.models import User
from brygga.core.models import AuditEntry
from brygga.register.models import Company
from brygga.register.tests.companies_factory import make_company, pnr
from brygga.visits.models import FollowUp, Visit
from brygga.visits.tests.factories import make_feedback, make_follow_up, make_visit

pytestmark = pytest.mark.django_db

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


# ---------------------------------------------------------------- follow-ups


@pytest.fixture
def follow_ups(visits: list[Visit], developer: User, case_officer: User) -> dict[str, FollowUp]:
    today = timezone.localdate()
    mine = make_follow_up(visits[0], owner=developer, due_on=today + dt.timedelta(days=7))
    late = make_follow_up(
        visits[1], owner=case_officer, due_on=today - dt.timedelta(days=3), title="Ring om bygglov"
    )
    done = make_follow_up(visits[1], owner=developer, due_on=today - dt.timedelta(days=10))
    done.status = FollowUp.Status.DONE
    done.save(update_fields=["status"])
    return {"mine": mine, "late": late, "done": done}


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [f["id"] for f in response.json()["results"]]


def test_it_lists_follow_ups_earliest_due_first(reader, follow_ups, visits):
    response = token_client(reader).get(FOLLOW_UPS)
    assert ids(response) == [follow_ups[k].pk for k in ("done", "late", "mine")]
    late = response.json()["results"][1]
    assert late["owner"] == "hanna.handlaggare@example.se"
    assert late["overdue"] is True
    assert late["visit"] == visits[1].pk
    assert late["visit_date"] == "2026-02-03"
    assert late["companies"] == ["Kafé Ugglan", "Tolvans Snickeri"]
    assert "notes" not in json.dumps(late)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"mine": "true"}, ["done", "mine"]),
        ({"mine": "false"}, ["done", "late", "mine"]),
        ({"overdue": "true"}, ["late"]),
        ({"overdue": "false"}, ["done", "mine"]),
        ({"status": "done"}, ["done"]),
        ({"status": "open", "mine": "1"}, ["mine"]),
    ],
    ids=["mine", "not-mine", "overdue", "not-overdue", "status", "open-mine"],
)
def test_it_filters_follow_ups(developer, follow_ups, params, expected):
    response = token_client(developer).get(FOLLOW_UPS, params)
    assert ids(response) == [follow_ups[k].pk for k in expected]


def test_it_filters_follow_ups_by_visit(developer, follow_ups, visits):
    response = token_client(developer).get(FOLLOW_UPS, {"visit": visits[0].pk})
    assert ids(response) == [follow_ups["mine"].pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"mine": "kanske"}, "mine"),
        ({"overdue": "2"}, "overdue"),
        ({"status": "halvklar"}, "status"),
        ({"visit": "ett"}, "visit"),
        ({"visit": "9" * 30}, "visit"),
    ],
)
def test_bad_follow_up_filters_answer_400(developer, follow_ups, params, field):
    response = token_client(developer).get(FOLLOW_UPS, params)
    assert response.status_code == 400
    assert field in response.json()


def test_a_case_officer_reads_only_their_own_follow_ups(case_officer, follow_ups):
    client = token_client(case_officer)
    assert ids(client.get(FOLLOW_UPS)) == [follow_ups["late"].pk]
    assert client.get(f"{FOLLOW_UPS}{follow_ups['late'].pk}/").status_code == 200
    assert client.get(f"{FOLLOW_UPS}{follow_ups['mine'].pk}/").status_code == 404


def test_an_owner_closes_their_follow_up(case_officer, follow_ups):
    late = follow_ups["late"]
    response = send(
        token_client(case_officer),
        "patch",
        f"{FOLLOW_UPS}{late.pk}/",
        {"status": "done", "outcome": "Bygglovet beviljat."},
    )
    assert response.status_code == 200, response.content
    late.refresh_from_db()
    assert late.status == FollowUp.Status.DONE
    assert late.done_at is not None
    assert response.json()["overdue"] is False
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).latest("id")
    assert (entry.via, entry.actor) == ("API", case_officer)


def test_an_owner_without_log_may_change_only_status_and_outcome(case_officer, follow_ups):
    client = token_client(case_officer)
    url = f"{FOLLOW_UPS}{follow_ups['late'].pk}/"
    response = send(client, "patch", url, {"title": "Något annat"})
    assert response.status_code == 403
    other = f"{FOLLOW_UPS}{follow_ups['mine'].pk}/"
    assert send(client, "patch", other, {"status": "done"}).status_code == 404
    assert send(client, "post", FOLLOW_UPS, {"title": "x"}).status_code == 403


def test_readers_may_not_change_follow_ups(reader, follow_ups):
    client = token_client(reader)
    url = f"{FOLLOW_UPS}{follow_ups['mine'].pk}/"
    assert send(client, "patch", url, {"status": "done"}).status_code == 403
    follow_ups["mine"].refresh_from_db()
    assert follow_ups["mine"].status == FollowUp.Status.OPEN


def test_staff_create_a_follow_up(developer, case_officer, visits):
    client = token_client(developer)
    response = send(
        client,
        "post",
        FOLLOW_UPS,
        {"visit": visits[0].pk, "title": "Skicka info om lokaler", "due_on": "2026-09-01"},
    )
    assert response.status_code == 201, response.content
    created = FollowUp.objects.get(pk=response.json()["id"])
    assert created.owner == developer
    assert created.status == FollowUp.Status.OPEN
    response = send(
        client,
        "post",
        FOLLOW_UPS,
        {
            "visit": visits[0].pk,
            "title": "Redan gjort",
            "due_on": "2026-01-01",
            "owner": case_officer.email,
            "status": "done",
            "outcome": "Klart direkt.",
        },
    )
    assert response.status_code == 201, response.content
    closed = FollowUp.objects.get(pk=response.json()["id"])
    assert (closed.owner, closed.status, closed.outcome) == (
        case_officer,
        FollowUp.Status.DONE,
        "Klart direkt.",
    )
    assert closed.done_at is not None
    assert AuditEntry.objects.filter(via="API", subject_id=str(closed.pk)).count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"due_on": "2026-09-01"}, "title"),
        ({"title": "x"}, "due_on"),
        ({"title": "x", "due_on": "snart"}, "due_on"),
        ({"title": "", "due_on": "2026-09-01"}, "title"),
        ({"title": "x" * 301, "due_on": "2026-09-01"}, "title"),
        ({"title": "x", "due_on": "2026-09-01", "owner": "okand@example.se"}, "owner"),
        ({"title": "x", "due_on": "2026-09-01", "status": "halvklar"}, "status"),
        ({"title": "x", "due_on": "2026-09-01", "visit": 999999}, "visit"),
        ({"title": "x", "due_on": "2026-09-01", "visit": "ett"}, "visit"),
    ],
)
def test_bad_follow_ups_answer_400(developer, visits, data, field):
    payload = {"visit": visits[0].pk, **data}
    response = send(token_client(developer), "post", FOLLOW_UPS, payload)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert FollowUp.objects.count() == 0


def test_a_follow_up_cannot_move_to_another_visit(developer, follow_ups, visits):
    url = f"{FOLLOW_UPS}{follow_ups['mine'].pk}/"
    response = send(token_client(developer), "patch", url, {"visit": visits[2].pk})
    assert response.status_code == 400
    assert "visit" in response.json()


def test_a_new_due_date_through_the_api_reopens_the_reminder(developer, follow_ups):
    mine = follow_ups["mine"]
    FollowUp.objects.filter(pk=mine.pk).update(reminded_for=mine.due_on)
    url = f"{FOLLOW_UPS}{mine.pk}/"
    response = send(token_client(developer), "patch", url, {"due_on": "2027-01-10"})
    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.due_on == dt.date(2027, 1, 10)
    assert mine.reminded_for != mine.due_on


def test_the_follow_up_list_runs_a_fixed_number_of_queries(
    developer, follow_ups, visits, django_assert_num_queries
):
    client = token_client(developer)
    # token and user, count, page, the visits' companies
    with django_assert_num_queries(4):
        client.get(FOLLOW_UPS)
    for i in range(10):
        make_follow_up(visits[i % 3], owner=developer, due_on=dt.date(2026, 7, 1 + i))
    with django_assert_num_queries(4):
        assert client.get(FOLLOW_UPS).json()["count"] == 13


# ---------------------------------------------------------------- schema


def test_the_schema_describes_the_endpoints_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ("/api/v1/visits/:", "/api/v1/visits/{id}/:", "/api/v1/follow-ups/:"):
        assert path in text
    assert "org_numbers" in text

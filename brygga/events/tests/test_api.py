"""The meetings' API: who may read and write, creating through the service (times in
Stockholm), bad input as 400 naming the field, the counts, filters, query counts and
the schema."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from brygga.accounts.models import User
from brygga.core.models import AuditEntry, OutboxMessage
from brygga.events.models import Event, Registration
from brygga.events.services.events import event_cancel
from brygga.events.services.registrations import registration_cancel
from brygga.events.tests.factories import in_days, local, make_event, make_registration

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def token_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def send(client: Any, method: str, url: str, data: Any) -> Any:
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


YEAR = dt.date.today().year + 1  # a year ahead: open for registration


NEW = {
    "title": "Frukostmöte i Åkers styckebruk",
    "starts_at": f"{YEAR}-03-12T07:30:00",
    "ends_at": f"{YEAR}-03-12T09:00:00",
    "capacity": 40,
    "location": "Bruksgården",
    "public": True,
    "registration_open": True,
}


# ---------------------------------------------------------------- who may


@pytest.mark.parametrize("url", [EVENTS, f"{EVENTS}1/"])
def test_anonymous_callers_get_401(url: str) -> None:
    make_event()
    assert APIClient().get(url).status_code == 401
    assert send(APIClient(), "post", EVENTS, NEW).status_code == 401
    assert not Event.objects.filter(title=NEW["title"]).exists()


def test_a_wrong_token_gets_401() -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token inte-en-nyckel")
    assert client.get(EVENTS).status_code == 401


def test_a_reader_reads_but_may_not_create_or_change(reader: User) -> None:
    event = make_event()
    client = token_client(reader)
    assert client.get(EVENTS).status_code == 200
    assert client.get(f"{EVENTS}{event.pk}/").status_code == 200
    assert send(client, "post", EVENTS, NEW).status_code == 403
    assert send(client, "patch", f"{EVENTS}{event.pk}/", {"capacity": 3}).status_code == 403
    assert Event.objects.count() == 1


def test_a_case_officer_reads_but_may_not_create(case_officer: User) -> None:
    client = token_client(case_officer)
    assert client.get(EVENTS).status_code == 200
    assert send(client, "post", EVENTS, NEW).status_code == 403


def test_the_session_of_a_logged_in_user_works_too(client_for: Any, developer: User) -> None:
    make_event()
    assert client_for(developer).get(EVENTS).status_code == 200


# ---------------------------------------------------------------- create


def test_a_developer_creates_a_meeting_through_the_service(developer: User) -> None:
    response = send(token_client(developer), "post", EVENTS, NEW)

    assert response.status_code == 201, response.content
    body = response.json()
    event = Event.objects.get(pk=body["id"])
    year = YEAR
    # Naive times are Stockholm's wall clock: 07:30 in March is 06:30 UTC.
    assert event.starts_at == dt.datetime(year, 3, 12, 7, 30, tzinfo=STOCKHOLM)
    assert event.starts_at.astimezone(dt.UTC).hour == 6
    assert event.ends_at == dt.datetime(year, 3, 12, 9, 0, tzinfo=STOCKHOLM)
    assert body["url"] == event.get_absolute_url()
    assert body["url"].startswith(f"/moten/{event.pk}/frukostmote-i-akers-styckebruk")
    assert body["starts_at"] == f"{year}-03-12T07:30:00+01:00"
    assert event.place == "Bruksgården" and body["location"] == "Bruksgården"
    assert event.capacity == 40 and event.public and event.registration_open
    assert event.kind.key == "frukostmote" and body["kind"] == "frukostmote"
    assert event.created_by == developer
    assert (body["registered"], body["waitlisted"], body["seats_left"]) == (0, 0, 40)
    entry = AuditEntry.objects.get(subject_type="events.event", subject_id=str(event.pk))
    assert entry.via == "API" and entry.actor == developer
    # The public page is where the url says.
    assert APIClient().get(body["url"]).status_code == 200


def test_every_field_of_the_issue_and_more(developer: User, admin_user: User) -> None:
    year = YEAR
    data = {
        **NEW,
        "title": "Dialogmöte med krögarna",
        "kind": "dialogmote",
        "description": "Om serveringstillstånd och tillsyn.",
        "locality": "Mariefred",
        "address": "Storgatan 1",
        "starts_at": f"{year}-09-01T15:00:00+02:00",
        "ends_at": f"{year}-09-01T17:00:00+02:00",
        "registration_deadline": f"{year}-08-25T23:59:00",
        "regulatory": True,
        "public": False,
        "capacity": None,
        "organiser": admin_user.email,
    }
    response = send(token_client(developer), "post", EVENTS, data)

    assert response.status_code == 201, response.content
    event = Event.objects.get(pk=response.json()["id"])
    assert event.kind.key == "dialogmote"
    assert (event.locality, event.address, event.place) == (
        "Mariefred",
        "Storgatan 1",
        "Bruksgården",
    )
    assert event.where == "Bruksgården, Storgatan 1, Mariefred"
    assert event.regulatory and not event.public and event.capacity is None
    assert event.organiser == admin_user
    assert event.registration_deadline == dt.datetime(year, 8, 25, 23, 59, tzinfo=STOCKHOLM)
    assert response.json()["seats_left"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": f"{YEAR}-03-12T07:00:00"}, "ends_at"),
        ({"ends_at": f"{YEAR}-03-12T07:30:00"}, "ends_at"),
        ({"starts_at": "12 mars"}, "starts_at"),
        ({"starts_at": f"{YEAR}-02-30T07:30:00"}, "starts_at"),
        ({"ends_at": ""}, "ends_at"),
        ({"capacity": -5}, "capacity"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": "många"}, "capacity"),
        ({"kind": "grillfest"}, "kind"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"location": "x" * 201}, "location"),
        ({"organiser": "ingen@example.se"}, "organiser"),
        ({"registration_deadline": f"{YEAR}-03-13T08:00:00"}, "registration_deadline"),
        ({"public": "kanske"}, "public"),
    ],
)
def test_bad_input_is_400_naming_the_field(developer: User, change: dict, field: str) -> None:
    response = send(token_client(developer), "post", EVENTS, {**NEW, **change})

    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Event.objects.exists()


@pytest.mark.parametrize("missing", ["title", "starts_at", "ends_at"])
def test_the_required_fields(developer: User, missing: str) -> None:
    data = {k: v for k, v in NEW.items() if k != missing}
    response = send(token_client(developer), "post", EVENTS, data)
    assert response.status_code == 400
    assert missing in response.json()


def test_the_service_s_own_errors_name_the_api_s_field(developer: User) -> None:
    # The model's length limit on locality, caught by the service's full_clean.
    response = send(token_client(developer), "post", EVENTS, {**NEW, "locality": "x" * 101})
    assert response.status_code == 400
    assert "locality" in response.json()


def test_broken_json_is_400(developer: User) -> None:
    response = token_client(developer).post(
        EVENTS, data="{inte json", content_type="application/json"
    )
    assert response.status_code == 400


def test_unknown_fields_are_ignored_and_read_only_ones_not_written(developer: User) -> None:
    data = {**NEW, "status": "cancelled", "registered": 99, "url": "/annat/", "uid": "x"}
    response = send(token_client(developer), "post", EVENTS, data)
    assert response.status_code == 201
    event = Event.objects.get(pk=response.json()["id"])
    assert event.status == Event.Status.SCHEDULED and event.uid != "x"


# ---------------------------------------------------------------- read


def test_a_meeting_answers_its_counts_after_registrations(reader: User) -> None:
    event = make_event(capacity=2)
    first = make_registration(event, email="a@example.se")
    make_registration(event, email="b@example.se")
    make_registration(event, email="c@example.se")
    make_registration(event, email="d@example.se")
    client = token_client(reader)

    body = client.get(f"{EVENTS}{event.pk}/").json()
    assert (body["capacity"], body["registered"], body["waitlisted"], body["seats_left"]) == (
        2,
        2,
        2,
        0,
    )

    registration_cancel(registration=first)  # the first waiting gets the seat
    body = client.get(f"{EVENTS}{event.pk}/").json()
    assert (body["registered"], body["waitlisted"], body["seats_left"]) == (2, 1, 0)
    assert body["url"] == event.get_absolute_url()
    assert body["status"] == "scheduled" and body["kind_label"] == "Frukostmöte"


def test_a_cancelled_meeting_says_so(reader: User) -> None:
    event = event_cancel(event=make_event())
    assert token_client(reader).get(f"{EVENTS}{event.pk}/").json()["status"] == "cancelled"


def test_a_missing_meeting_is_404(reader: User) -> None:
    assert token_client(reader).get(f"{EVENTS}999999/").status_code == 404


def test_the_list_is_soonest_first_and_filters_by_day_and_kind(reader: User) -> None:
    later = make_event(title="Senare", starts_at=in_days(30))
    sooner = make_event(title="Tidigare", starts_at=in_days(10))
    lunch = make_event(title="Lunch", kind_key="lunchmote", starts_at=in_days(20, hour=12))
    client = token_client(reader)

    body = client.get(EVENTS).json()
    assert body["count"] == 3
    assert [e["title"] for e in body["results"]] == ["Tidigare", "Lunch", "Senare"]

    day = (in_days(20)).date().isoformat()
    titles = [e["title"] for e in client.get(EVENTS, {"from": day}).json()["results"]]
    assert titles == ["Lunch", "Senare"]
    titles = [e["title"] for e in client.get(EVENTS, {"kind": "lunchmote"}).json()["results"]]
    assert titles == ["Lunch"]
    assert {sooner.pk, later.pk, lunch.pk} == {
        e["id"] for e in client.get(EVENTS).json()["results"]
    }


def test_from_counts_the_day_in_stockholm(reader: User) -> None:
    # 00:30 in Stockholm on 1 June is 22:30 UTC on 31 May: it starts on 1 June.
    year = YEAR
    make_event(title="Tidig", starts_at=local(year, 6, 1, 0, 30))
    client = token_client(reader)
    titles = [e["title"] for e in client.get(EVENTS, {"from": f"{year}-06-01"}).json()["results"]]
    assert titles == ["Tidig"]
    assert client.get(EVENTS, {"from": f"{year}-06-02"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [({"from": "igår"}, "from"), ({"from": "2026-13-01"}, "from"), ({"kind": "grillfest"}, "kind")],
)
def test_a_bad_filter_is_400_naming_it(reader: User, params: dict, field: str) -> None:
    response = token_client(reader).get(EVENTS, params)
    assert response.status_code == 400
    assert field in response.json()


def test_the_list_and_a_meeting_are_a_fixed_number_of_queries(
    reader: User, django_assert_num_queries: Any
) -> None:
    client = token_client(reader)
    events = [make_event(title=f"Möte {n}", capacity=3, starts_at=in_days(5 + n)) for n in range(4)]
    for n, event in enumerate(events):
        for person in range(n + 2):
            make_registration(event, email=f"p{person}@example.se")
    # The token and its user, the count, the page.
    with django_assert_num_queries(3):
        body = client.get(EVENTS).json()
    assert [(e["registered"], e["waitlisted"]) for e in body["results"]] == [
        (2, 0),
        (3, 0),
        (3, 1),
        (3, 2),
    ]
    for _more in range(6):
        make_event(title="Fler", starts_at=in_days(40))
    with django_assert_num_queries(3):
        assert client.get(EVENTS).json()["count"] == 10
    with django_assert_num_queries(2):
        body = client.get(f"{EVENTS}{events[3].pk}/").json()
    assert (body["registered"], body["waitlisted"], body["seats_left"]) == (3, 2, 0)


# ---------------------------------------------------------------- change


def test_patch_moves_the_meeting_and_mails_those_with_a_seat(developer: User) -> None:
    event = make_event(capacity=1)
    make_registration(event, email="a@example.se")
    waiting = make_registration(event, email="b@example.se")
    moved = in_days(15, hour=8)
    client = token_client(developer)

    response = send(
        client,
        "patch",
        f"{EVENTS}{event.pk}/",
        {"starts_at": moved.isoformat(), "ends_at": (moved + dt.timedelta(hours=1)).isoformat()},
    )
    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert event.starts_at == moved and event.sequence == 1
    assert OutboxMessage.objects.filter(kind="events.changed", to="a@example.se").count() == 1

    response = send(client, "patch", f"{EVENTS}{event.pk}/", {"capacity": 2})
    assert response.json()["registered"] == 2 and response.json()["waitlisted"] == 0
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_patch_checks_the_end_against_the_stored_start(developer: User) -> None:
    event = make_event()
    before = event.ends_at
    response = send(
        token_client(developer),
        "patch",
        f"{EVENTS}{event.pk}/",
        {"ends_at": (event.starts_at - dt.timedelta(minutes=1)).isoformat()},
    )
    assert response.status_code == 400 and "ends_at" in response.json()
    event.refresh_from_db()
    assert event.ends_at == before


def test_put_and_delete_are_not_offered(developer: User) -> None:
    event = make_event()
    client = token_client(developer)
    assert send(client, "put", f"{EVENTS}{event.pk}/", NEW).status_code == 405
    assert client.delete(f"{EVENTS}{event.pk}/").status_code == 405


# ---------------------------------------------------------------- schema


def test_the_schema_describes_the_endpoints_without_warnings(tmp_path: Any) -> None:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ("/api/v1/events/:", "/api/v1/events/{id}/:"):
        assert path in text
    for field in ("seats_left:", "waitlisted:", "registration_open:", "location:"):
        assert field in text

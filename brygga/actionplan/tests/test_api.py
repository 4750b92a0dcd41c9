"""The action plan's API: public reads, staff PATCH with the staff page's effects."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from rest_framework.throttling import AnonRateThrottle

from brygga.accounts.models import User
from brygga.actionplan.models import (
    Activity,
    ActivityUpdate,
    Subscriber,
    Subscription,
)
from brygga.actionplan.services.notifications import update_fanout
from brygga.actionplan.services.structure import activity_create, area_create, program_create
from brygga.actionplan.tests.factories import status
from brygga.core.models import AuditEntry, OutboxMessage
from brygga.core.testing.tasks import drain_queued_tasks

LIST = "/api/v1/activities/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(developer: User) -> dict[str, Any]:
    program = program_create(title="Topp 50-2017", published=True, actor=developer)
    area = area_create(
        program=program,
        title="Förbättra dialogen mellan företagare och politiker/tjänstemän",
        published=True,
        actor=developer,
    )
    done = activity_create(
        area=area,
        title="Näringslivslunch med företagare och politiker en gång i månaden",
        status=status("done"),
        status_text="Aktiviteten är avklarad.",
        contact=developer,
        published=True,
        actor=developer,
    )
    investigating = activity_create(
        area=area,
        title="Politiker/tjänstemän erbjuds ”Prao” hos utvalda företag",
        status=status("investigating"),
        status_text="Förslaget behöver förankras.",
        published=True,
        actor=developer,
    )
    draft = activity_create(
        area=area, title="Ett utkast", status=status("planned"), actor=developer
    )
    return {"program": program, "area": area, "done": done, "inv": investigating, "draft": draft}


def patch(client: Client, activity: Activity, data: Any) -> Any:
    return client.patch(
        f"{LIST}{activity.pk}/", data=json.dumps(data), content_type="application/json"
    )


# ---------------------------------------------------------------- reading


def test_it_lists_published_activities_to_anyone(client_for, plan):
    response = client_for(None).get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first["id"] == plan["done"].pk
    assert first["title"] == plan["done"].title
    assert first["status"] == "done"
    assert first["status_label"] == "Avklarad"
    assert first["status_text"] == "Aktiviteten är avklarad."
    assert first["area"] == plan["area"].pk
    assert first["area_title"] == plan["area"].title
    assert first["program"] == plan["program"].pk
    assert first["url"] == plan["done"].get_absolute_url()
    assert first["url"].startswith("/handlingsplan/topp-50-2017/forbattra-dialogen-")
    assert first["contact"]["name"] == "Nils Utvecklare"
    assert [r["status"] for r in body["results"]] == ["done", "investigating"]


def test_it_shows_drafts_to_staff_only(client_for, plan, reader: User):
    draft = plan["draft"]
    assert client_for(None).get(f"{LIST}{draft.pk}/").status_code == 404
    staff = client_for(reader).get(LIST).json()
    assert draft.pk in [r["id"] for r in staff["results"]]
    assert client_for(reader).get(f"{LIST}{draft.pk}/").json()["published"] is False


def test_it_filters_by_area_program_and_status(client_for, plan, developer: User):
    other = program_create(title="Näringslivsstrategi", published=True, actor=developer)
    other_area = area_create(program=other, title="Inflytande", published=True, actor=developer)
    activity_create(area=other_area, title="Dialogmöten", status=status("done"), published=True)
    client = client_for(None)

    def ids(**params: Any) -> set[int]:
        return {r["id"] for r in client.get(LIST, params).json()["results"]}

    assert ids(area=plan["area"].pk) == {plan["done"].pk, plan["inv"].pk}
    assert len(ids(program=other.pk)) == 1
    assert ids(status="investigating") == {plan["inv"].pk}
    response = client.get(LIST, {"area": "inte-ett-tal"})
    assert response.status_code == 400
    assert "area" in response.json()


def test_it_lists_programs_with_goals_and_areas(client_for, plan):
    client = client_for(None)
    programs = client.get("/api/v1/programs/").json()["results"]
    assert [p["title"] for p in programs] == ["Topp 50-2017"]
    assert programs[0]["url"] == "/handlingsplan/topp-50-2017/"
    areas = client.get("/api/v1/areas/", {"program": plan["program"].pk}).json()["results"]
    assert [a["id"] for a in areas] == [plan["area"].pk]
    detail = client.get(f"/api/v1/areas/{plan['area'].pk}/").json()
    assert detail["program_title"] == "Topp 50-2017"


def test_it_reads_a_page_of_activities_in_a_fixed_number_of_queries(
    client_for, plan, django_assert_num_queries
):
    client = client_for(None)
    with django_assert_num_queries(2):  # count, page
        assert client.get(LIST).status_code == 200
    Activity.objects.bulk_create(
        Activity(
            area=plan["area"],
            title=f"Aktivitet {i}",
            slug=f"aktivitet-{i}",
            status=plan["done"].status,
            published=True,
            published_at=plan["done"].published_at,
            contact=plan["done"].contact,
        )
        for i in range(60)
    )
    with django_assert_num_queries(2):
        body = client.get(LIST).json()
    assert body["count"] == 62 and len(body["results"]) == 50


def test_it_gives_the_timeline_with_one_activity(client_for, plan, developer: User):
    from brygga.actionplan.services.status import activity_set_status

    activity_set_status(
        activity=plan["inv"],
        status=status("ongoing"),
        status_text="Vi har börjat.",
        actor=developer,
    )
    body = client_for(None).get(f"{LIST}{plan['inv'].pk}/").json()
    kinds = [(e["kind"], e["status"], e["previous_status"]) for e in body["timeline"]]
    assert kinds == [("status", "ongoing", "investigating"), ("added", "investigating", None)]


# ---------------------------------------------------------------- changing a status


def test_it_changes_a_status_with_the_staff_pages_effects(
    client_for, plan, developer: User, django_capture_on_commit_callbacks
):
    activity = plan["inv"]
    subscriber = Subscriber.objects.create(email="foretagare@example.se", token="t-1")
    Subscription.objects.create(
        subscriber=subscriber, area=plan["area"], token="s-1", confirmed_at="2026-01-01T00:00Z"
    )
    drain_queued_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        response = patch(
            client_for(developer),
            activity,
            {"status": "done", "status_text": "Genomförd hösten 2026."},
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["status_label"]) == ("done", "Avklarad")
    assert body["timeline"][0]["kind"] == "status"
    activity.refresh_from_db()
    assert (activity.status.key, activity.status_text) == ("done", "Genomförd hösten 2026.")
    entry = activity.updates.get(kind=ActivityUpdate.Kind.STATUS)
    assert (entry.previous_status, entry.status, entry.author) == (
        status("investigating"),
        status("done"),
        developer,
    )
    assert entry.notify and entry.notified_at is None
    audit = AuditEntry.objects.filter(subject_type="actionplan.activity").latest("id")
    assert audit.via == "API" and audit.changes["status"] == ["investigating", "done"]
    assert drain_queued_tasks() == [("actionplan.update_fanout", (entry.pk,))]
    assert update_fanout(update_id=entry.pk) == 1
    assert OutboxMessage.objects.get().to == "foretagare@example.se"


def test_it_keeps_the_status_when_only_the_text_changes(client_for, plan, developer: User):
    response = patch(client_for(developer), plan["inv"], {"status_text": "Vi frågar politikerna."})
    assert response.status_code == 200
    entry = plan["inv"].updates.latest("id")
    assert (entry.kind, entry.text) == ("update", "Vi frågar politikerna.")
    assert Activity.objects.get(pk=plan["inv"].pk).status.key == "investigating"


def test_it_writes_nothing_when_nothing_changed(client_for, plan, developer: User):
    before = ActivityUpdate.objects.count()
    response = patch(
        client_for(developer),
        plan["inv"],
        {"status": "investigating", "status_text": "Förslaget behöver förankras."},
    )
    assert response.status_code == 200
    assert ActivityUpdate.objects.count() == before


def test_it_ignores_fields_that_are_edited_elsewhere(client_for, plan, developer: User):
    response = patch(client_for(developer), plan["inv"], {"title": "Nytt namn", "status": "done"})
    assert response.status_code == 200
    activity = Activity.objects.get(pk=plan["inv"].pk)
    assert activity.title != "Nytt namn" and activity.status.key == "done"


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"status": "klar"}, "status", "Det finns ingen status med nyckeln ”klar”."),
        ({"status_text": "x" * 4001}, "status_text", "4000"),
        ({"status": None}, "status", ""),
    ],
)
def test_it_explains_bad_input(client_for, plan, developer: User, data, field, message):
    response = patch(client_for(developer), plan["inv"], data)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert plan["inv"].updates.count() == 1  # only the "added" entry


def test_it_cleans_odd_unicode_and_stores_markup_as_text(client_for, plan, developer: User):
    raw = '{"status_text": "Klart\\u200b <script>alert(1)</script> \\u202egnirts"}'
    response = client_for(developer).patch(
        f"{LIST}{plan['inv'].pk}/", data=raw, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    text = Activity.objects.get(pk=plan["inv"].pk).status_text
    assert text == "Klart <script>alert(1)</script> gnirts"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"status_text": "Klart \\ud800"}',  # a lone surrogate
        b'{"status_text": "Klart \\u0000"}',  # NUL
        b"{\xff",  # not UTF-8, not JSON
        b"[1, 2]",
        b'{"status": ["done"]}',
    ],
)
def test_it_answers_broken_input_with_400(client_for, plan, developer: User, raw: bytes):
    response = client_for(developer).patch(
        f"{LIST}{plan['inv'].pk}/", data=raw, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()
    assert plan["inv"].updates.count() == 1


@pytest.mark.parametrize(
    "persona,expected", [(None, 401), ("reader", 403), ("case_officer", 403), ("admin_user", 200)]
)
def test_it_lets_only_the_office_change_a_status(
    request: pytest.FixtureRequest, client_for, plan, persona, expected
):
    user = request.getfixturevalue(persona) if persona else None
    response = patch(client_for(user), plan["inv"], {"status": "done"})
    assert response.status_code == expected
    changed = Activity.objects.get(pk=plan["inv"].pk).status.key == "done"
    assert changed is (expected == 200)


def test_it_refuses_put_and_delete(client_for, plan, developer: User):
    client = client_for(developer)
    assert client.delete(f"{LIST}{plan['inv'].pk}/").status_code == 405
    assert (
        client.put(f"{LIST}{plan['inv'].pk}/", {}, content_type="application/json").status_code
        == 405
    )


def test_it_slows_down_a_flood_of_anonymous_calls(client_for, plan, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    client = client_for(None)
    answers = [client.get(LIST).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_it_describes_the_endpoints_in_the_schema(client_for, reader: User):
    schema = client_for(reader).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert {
        "/api/v1/activities/",
        "/api/v1/activities/{id}/",
        "/api/v1/programs/",
        "/api/v1/areas/",
    } <= set(paths)
    assert "patch" in paths["/api/v1/activities/{id}/"]
    activity = schema["components"]["schemas"]["ActivityDetail"]["properties"]
    assert {"id", "title", "status", "status_label", "area", "area_title", "url"} <= set(activity)

"""Follow-ups in the API: reads, writes through the services, roles, filters, bad input
(400 naming the field, never 500) and query counts."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from brygga.accounts.models import User
from brygga.core.models import AuditEntry
from brygga.visits.models import FollowUp, Visit
from brygga.visits.tests.api_support import FOLLOW_UPS, companies, send, token_client, visits
from brygga.visits.tests.factories import make_follow_up

pytestmark = pytest.mark.django_db
__all__ = ["companies", "visits"]  # fixtures


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

"""Who may open which staff meeting page (``brygga/events/permissions.py``): the office
manages, invites and edits kinds; case officers see the people and take the check-in
list; readers see meetings, figures and results only; anonymous visitors go to the
login page. Templates offer only what the user may do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from brygga.accounts.models import User
from brygga.events.models import Event, EventKind, Question, Registration, Series
from brygga.events.tests.factories import make_event, make_question, make_registration, make_series

pytestmark = pytest.mark.django_db


@dataclass
class World:
    event: Event
    question: Question
    registration: Registration
    series: Series


@pytest.fixture
def world() -> World:
    event = make_event(capacity=10)
    return World(
        event=event,
        question=make_question(event),
        registration=make_registration(event),
        series=make_series(),
    )


OFFICE = frozenset({"admin_user", "developer"})
PEOPLE = OFFICE | {"case_officer"}
EVERYONE = PEOPLE | {"reader"}


@dataclass(frozen=True)
class Page:
    name: str
    args: Callable[[World], dict[str, Any]]
    allowed: frozenset[str]
    query: str = ""


def none(w: World) -> dict[str, Any]:
    return {}


def event_pk(w: World) -> dict[str, Any]:
    return {"pk": w.event.pk}


PAGES = [
    Page("staff_list", none, EVERYONE),
    Page("staff_detail", event_pk, EVERYONE),
    Page("staff_create", none, OFFICE),
    Page("staff_edit", event_pk, OFFICE),
    Page("staff_cancel", event_pk, OFFICE),
    Page("staff_questions", event_pk, OFFICE),
    Page(
        "staff_question_edit",
        lambda w: {"pk": w.event.pk, "question_pk": w.question.pk},
        OFFICE,
    ),
    Page(
        "staff_question_delete",
        lambda w: {"pk": w.event.pk, "question_pk": w.question.pk},
        OFFICE,
    ),
    Page("staff_invite", event_pk, OFFICE),
    Page("staff_check_in", event_pk, PEOPLE),
    Page("staff_series_create", none, OFFICE),
    Page("staff_series", lambda w: {"pk": w.series.pk}, EVERYONE),
    Page("staff_evaluations", none, EVERYONE),
    Page("staff_evaluations", none, EVERYONE, query="?per=halvar"),
    Page("staff_kinds", none, EVERYONE),
    Page("staff_kind_add", none, OFFICE),
    Page(
        "staff_kind_edit",
        lambda w: {"pk": EventKind.objects.get(key="workshop").pk},
        OFFICE,
    ),
]
PERSONAS = ["admin_user", "developer", "case_officer", "reader"]


@pytest.mark.parametrize("page", PAGES, ids=[p.name + p.query for p in PAGES])
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_gets_the_page_or_403(
    request: pytest.FixtureRequest,
    client_for: Callable[[User | None], Client],
    world: World,
    page: Page,
    persona: str,
) -> None:
    url = reverse(f"events:{page.name}", kwargs=page.args(world)) + page.query
    response = client_for(request.getfixturevalue(persona)).get(url)
    assert response.status_code == (200 if persona in page.allowed else 403)


@pytest.mark.parametrize("page", PAGES, ids=[p.name + p.query for p in PAGES])
def test_anonymous_visitors_go_to_the_login_page(world: World, page: Page) -> None:
    url = reverse(f"events:{page.name}", kwargs=page.args(world)) + page.query
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_readers_cannot_post_changes(
    reader: User, client_for: Callable[[User | None], Client], world: World
) -> None:
    client = client_for(reader)
    pk = world.event.pk
    assert client.post(reverse("events:staff_cancel", kwargs={"pk": pk})).status_code == 403
    assert client.post(reverse("events:staff_invite", kwargs={"pk": pk})).status_code == 403
    assert (
        client.post(
            reverse("events:staff_check_in", kwargs={"pk": pk}),
            {"registration": world.registration.pk, "attended": "1"},
        ).status_code
        == 403
    )
    world.event.refresh_from_db()
    world.registration.refresh_from_db()
    assert not world.event.cancelled
    assert world.registration.attended_at is None


def test_unknown_ids_are_404(developer: User, client_for: Callable[[User | None], Client]) -> None:
    client = client_for(developer)
    for name in ("staff_detail", "staff_edit", "staff_invite", "staff_check_in"):
        assert client.get(reverse(f"events:{name}", kwargs={"pk": 999999})).status_code == 404
    assert client.get(reverse("events:staff_series", kwargs={"pk": 999999})).status_code == 404
    assert client.get(reverse("events:staff_evaluations") + "?event=999999").status_code == 404
    assert client.get(reverse("events:staff_evaluations") + "?event=abc").status_code == 404


def _links(html: str) -> dict[str, bool]:
    return {
        "edit": "/andra/" in html,
        "invite": "/bjud-in/" in html,
        "check_in": "/narvaro/" in html,
        "cancel": "/installa/" in html,
        "people": "anna@example.se" in html,
    }


def test_the_event_page_offers_only_what_the_role_may_do(
    developer: User,
    case_officer: User,
    reader: User,
    client_for: Callable[[User | None], Client],
    world: World,
) -> None:
    url = reverse("events:staff_detail", kwargs={"pk": world.event.pk})
    as_developer = _links(client_for(developer).get(url).content.decode())
    as_officer = _links(client_for(case_officer).get(url).content.decode())
    as_reader = _links(client_for(reader).get(url).content.decode())
    assert as_developer == dict.fromkeys(as_developer, True)
    assert as_officer == {
        "edit": False,
        "invite": False,
        "check_in": True,
        "cancel": False,
        "people": True,
    }
    assert as_reader == dict.fromkeys(as_reader, False)


def test_the_list_offers_create_links_to_the_office_only(
    developer: User, reader: User, client_for: Callable[[User | None], Client], world: World
) -> None:
    url = reverse("events:staff_list")
    create = reverse("events:staff_create")
    assert create in client_for(developer).get(url).content.decode()
    assert create not in client_for(reader).get(url).content.decode()

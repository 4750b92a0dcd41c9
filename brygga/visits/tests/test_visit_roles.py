"""Who may do what on the visit pages (``brygga/visits/permissions.py``): the office logs
and changes; a reader sees visits, follow-ups and lists but changes nothing; a case
officer sees no visits but sees and closes the follow-ups they own; anonymous
visitors go to the login page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from brygga.accounts.models import User
from brygga.register.tests.companies_factory import make_company
from brygga.visits.models import Feedback, FollowUp, Topic, Visit, VisitKind
from brygga.visits.tests.factories import make_feedback, make_follow_up, make_visit

pytestmark = pytest.mark.django_db

PERSONAS = ["admin_user", "developer", "reader", "case_officer"]


@dataclass
class World:
    visit: Visit
    feedback: Feedback
    mine: FollowUp  # the case officer's
    theirs: FollowUp  # the developer's


@pytest.fixture
def world(developer: User, case_officer: User) -> World:
    visit = make_visit([make_company("Mariefreds Bygg AB")], staff=[developer])
    return World(
        visit=visit,
        feedback=make_feedback(visit),
        mine=make_follow_up(visit, owner=case_officer, due_on=dt.date(2026, 1, 1)),
        theirs=make_follow_up(visit, owner=developer, due_on=dt.date(2026, 1, 1)),
    )


@dataclass(frozen=True)
class Page:
    name: str
    args: Callable[[World], dict[str, Any]]
    allowed: frozenset[str]


def none(w: World) -> dict[str, Any]:
    return {}


def visit_pk(w: World) -> dict[str, Any]:
    return {"pk": w.visit.pk}


OFFICE = frozenset({"admin_user", "developer"})
VIEWERS = OFFICE | {"reader"}
EVERYONE = VIEWERS | {"case_officer"}

PAGES = [
    Page("visit_list", none, VIEWERS),
    Page("visit_detail", visit_pk, VIEWERS),
    Page("visit_create", none, OFFICE),
    Page("visit_edit", visit_pk, OFFICE),
    Page("visit_delete", visit_pk, OFFICE),
    Page("feedback_add", visit_pk, OFFICE),
    Page("follow_up_add", visit_pk, OFFICE),
    Page("feedback_edit", lambda w: {"pk": w.feedback.pk}, OFFICE),
    Page("feedback_delete", lambda w: {"pk": w.feedback.pk}, OFFICE),
    Page("my_follow_ups", none, EVERYONE),
    Page("overdue_follow_ups", none, VIEWERS),
    Page("follow_up_edit", lambda w: {"pk": w.mine.pk}, OFFICE | {"case_officer"}),
    Page("follow_up_edit", lambda w: {"pk": w.theirs.pk}, OFFICE),
    Page("lists", none, VIEWERS),
    Page("kind_add", none, OFFICE),
    Page("kind_edit", lambda w: {"pk": VisitKind.objects.get(key="lunch").pk}, OFFICE),
    Page("topic_add", none, OFFICE),
    Page("topic_edit", lambda w: {"pk": Topic.objects.get(key="ovrigt").pk}, OFFICE),
    Page("targets", none, VIEWERS),
]
PAGE_IDS = [f"{p.name}-{i}" for i, p in enumerate(PAGES)]


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_gets_the_pages_it_may_see(
    request: pytest.FixtureRequest, client_for: Any, world: World, page: Page, persona: str
) -> None:
    url = reverse(f"visits:{page.name}", kwargs=page.args(world))
    response = client_for(request.getfixturevalue(persona)).get(url)
    assert response.status_code == (200 if persona in page.allowed else 403)


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_anonymous_visitors_are_sent_to_log_in(client_for: Any, world: World, page: Page) -> None:
    url = reverse(f"visits:{page.name}", kwargs=page.args(world))
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.parametrize("persona", ["reader", "case_officer", None])
def test_only_the_office_writes_visits(
    request: pytest.FixtureRequest, client_for: Any, world: World, persona: str | None
) -> None:
    client = client_for(request.getfixturevalue(persona) if persona else None)
    company = world.visit.companies.get()
    posts = [
        (
            reverse("visits:visit_create"),
            {
                "company": company.identity,
                "date": "2026-03-04",
                "kind": str(VisitKind.objects.get(key="besok").pk),
            },
        ),
        (reverse("visits:visit_plan"), {"company": str(company.pk)}),
        (reverse("visits:visit_delete", kwargs={"pk": world.visit.pk}), {}),
        (reverse("visits:feedback_delete", kwargs={"pk": world.feedback.pk}), {}),
        (
            reverse("visits:feedback_add", kwargs={"pk": world.visit.pk}),
            {"topic": str(Topic.objects.get(key="ovrigt").pk), "sentiment": "neutral"},
        ),
        (
            reverse("visits:follow_up_add", kwargs={"pk": world.visit.pk}),
            {"title": "x", "owner": str(world.theirs.owner_id), "due_on": "2026-03-04"},
        ),
        (reverse("visits:kind_add"), {"label": "Ny", "active": "on"}),
        (reverse("visits:targets"), {"year": "2027", "visits": "10"}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (302, 403), url
        if persona is not None:
            assert response.status_code == 403, url
    assert Visit.objects.count() == 1 and Feedback.objects.count() == 1
    assert FollowUp.objects.count() == 2 and VisitKind.objects.count() == 6


def test_a_case_officer_closes_their_own_follow_up_but_not_anothers(
    client_for: Any, case_officer: User, world: World
) -> None:
    client = client_for(case_officer)
    response = client.post(reverse("visits:follow_up_done", kwargs={"pk": world.theirs.pk}))
    assert response.status_code == 403
    response = client.post(reverse("visits:follow_up_done", kwargs={"pk": world.mine.pk}))
    assert response.status_code == 302
    world.mine.refresh_from_db()
    world.theirs.refresh_from_db()
    assert (world.mine.status, world.theirs.status) == ("done", "open")


def test_a_reader_cannot_close_even_their_own_follow_up(
    client_for: Any, reader: User, world: World
) -> None:
    own = make_follow_up(world.visit, owner=reader, due_on=dt.date(2026, 1, 1))
    client = client_for(reader)
    assert client.post(reverse("visits:follow_up_done", kwargs={"pk": own.pk})).status_code == 403
    assert "Markera som klar" not in client.get(reverse("visits:my_follow_ups")).content.decode()


def test_the_list_shows_the_log_button_only_to_the_office(
    client_for: Any, developer: User, reader: User, world: World
) -> None:
    create = reverse("visits:visit_create")
    assert create in client_for(developer).get(reverse("visits:visit_list")).content.decode()
    assert create not in client_for(reader).get(reverse("visits:visit_list")).content.decode()


@pytest.mark.parametrize(
    "model", ["visitkind", "topic", "visit", "feedback", "followup", "visittarget"]
)
def test_the_admin_lists_the_visit_models_for_administrators_only(
    client_for: Any, admin_user: User, developer: User, world: World, model: str
) -> None:
    url = reverse(f"admin:visits_{model}_changelist")
    assert client_for(admin_user).get(url).status_code == 200
    assert client_for(developer).get(url).status_code == 302  # to the admin's login


def test_the_admin_opens_a_visit_with_its_companies_feedback_and_follow_ups(
    client_for: Any, admin_user: User, world: World
) -> None:
    response = client_for(admin_user).get(
        reverse("admin:visits_visit_change", args=[world.visit.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "visit_companies-TOTAL_FORMS" in html and 'value="1"' in html
    assert "feedback-TOTAL_FORMS" in html and "follow_ups-TOTAL_FORMS" in html
    searched = client_for(admin_user).get(
        reverse("admin:visits_visit_changelist"), {"q": "Mariefreds"}
    )
    assert searched.status_code == 200 and len(searched.context["cl"].result_list) == 1

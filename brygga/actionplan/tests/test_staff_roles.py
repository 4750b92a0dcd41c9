"""Who may and may not use the action plan's staff pages: every route, every role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.actionplan.models import ActivityUpdate
from brygga.actionplan.tests.staff_factory import make_plan, status, subscribe

ALL = ("admin_user", "developer", "case_officer", "reader")
OFFICE = {"admin_user", "developer"}

# name, what the URL takes, who may (None: every staff role)
PAGES = [
    ("staff_home", None, None),
    ("staff_program", "program", None),
    ("staff_area", "area", None),
    ("staff_area_subscribers", "area", None),
    ("staff_activity", "activity", None),
    ("staff_status_list", None, None),
    ("staff_program_create", None, OFFICE),
    ("staff_program_edit", "program", OFFICE),
    ("staff_goal_create", "program", OFFICE),
    ("staff_goal_edit", "goal", OFFICE),
    ("staff_area_create", "program", OFFICE),
    ("staff_area_edit", "area", OFFICE),
    ("staff_activity_create", "area", OFFICE),
    ("staff_activity_edit", "activity", OFFICE),
    ("staff_status_create", None, OFFICE),
    ("staff_status_edit", "status", OFFICE),
]
ACTIONS = ["staff_activity_status", "staff_activity_update"]


@pytest.fixture
def urls(db: None) -> dict[str, str]:
    plan = make_plan(activities=1)
    subscribe("prenumerant@example.se", area=plan.area)
    pks = {
        "program": plan.program.pk,
        "goal": plan.goal.pk,
        "area": plan.area.pk,
        "activity": plan.activity.pk,
        "status": status("done").pk,
    }
    names = [(name, takes) for name, takes, _who in PAGES] + [(n, "activity") for n in ACTIONS]
    return {
        name: reverse(f"actionplan:{name}", kwargs={"pk": pks[takes]} if takes else None)
        for name, takes in names
    }


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_it_lets_each_role_open_exactly_the_pages_it_may(request, client_for, urls, persona):
    client = client_for(request.getfixturevalue(persona))
    for name, _takes, who in PAGES:
        expected = 200 if who is None or persona in who else 403
        assert client.get(urls[name]).status_code == expected, (persona, name)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["case_officer", "reader"])
def test_it_refuses_every_write_to_read_only_roles(request, client_for, urls, persona):
    client = client_for(request.getfixturevalue(persona))
    posts = {
        "staff_program_create": {"title": "Smygprogram", "position": "0"},
        "staff_program_edit": {"title": "Omdöpt", "slug": "omdopt", "position": "0"},
        "staff_goal_create": {"title": "Smygmål", "position": "0"},
        "staff_area_create": {"title": "Smygområde", "position": "0"},
        "staff_activity_create": {"title": "Smyg", "status": str(status("done").pk)},
        "staff_status_create": {"key": "smyg", "label": "Smyg", "progress": "1"},
        "staff_activity_status": {
            "status-status": str(status("done").pk),
            "status-status_text": "Klart!",
        },
        "staff_activity_update": {"uppdatering-text": "Smygnytt"},
    }
    entries = ActivityUpdate.objects.count()
    for name, data in posts.items():
        assert client.post(urls[name], data).status_code == 403, (persona, name)
    assert ActivityUpdate.objects.count() == entries
    html = client.get(urls["staff_activity"]).content.decode()
    assert "Ändra status" not in html and "Publicera en uppdatering" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(OFFICE))
def test_it_lets_the_office_change_a_status_and_post_an_update(request, client_for, urls, persona):
    client = client_for(request.getfixturevalue(persona))
    response = client.post(
        urls["staff_activity_status"],
        {"status-status": str(status("done").pk), "status-status_text": "Klart!"},
    )
    assert response.status_code == 302
    response = client.post(urls["staff_activity_update"], {"uppdatering-text": "Ett nytt steg."})
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("name", ACTIONS)
def test_the_actions_take_only_posts(client_for, admin_user, urls, name):
    assert client_for(admin_user).get(urls[name]).status_code == 405


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(client_for, urls):
    client = client_for(None)
    login = reverse("accounts:login")
    for name, url in urls.items():
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, name
            assert response["Location"].startswith(login), name

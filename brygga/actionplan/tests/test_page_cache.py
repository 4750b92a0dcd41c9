"""Public pages from the cache: fresh after every change, each visitor with their own token."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.test import Client

from brygga.accounts.models import User
from brygga.actionplan.page_cache import CSRF_PLACEHOLDER
from brygga.actionplan.services.participation import contribution_hide
from brygga.actionplan.services.status import activity_set_status
from brygga.actionplan.services.structure import area_update
from brygga.actionplan.tests.factories import (
    make_activity,
    make_area,
    make_comment,
    make_program,
    status,
)

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def activity():
    return make_activity(make_area(make_program()), status_text="Vi planerar.")


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_anonymous_visit_needs_no_database(activity, django_assert_num_queries):
    url = activity.get_absolute_url()
    first = get(Client(), url)
    with django_assert_num_queries(0):
        second = get(Client(), url)
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    assert CSRF_PLACEHOLDER not in second


@pytest.mark.parametrize("page", ["activity", "area", "program", "start"])
def test_every_change_through_the_services_shows_at_once(activity, developer: User, page: str):
    url = {
        "activity": activity.get_absolute_url(),
        "area": activity.area.get_absolute_url(),
        "program": activity.area.program.get_absolute_url(),
        "start": "/handlingsplan/",
    }[page]
    get(Client(), url)
    activity_set_status(
        activity=activity, status=status("done"), status_text="Klart i maj.", actor=developer
    )
    assert "Klart i maj." in get(Client(), url)
    area_update(area=activity.area, data={"title": "Dialog med företagen"}, actor=developer)
    assert "Dialog med företagen" in get(Client(), url)


def test_moderation_shows_at_once(activity, developer: User):
    url = activity.get_absolute_url()
    comment = make_comment(activity, text="Bra att ni lyssnar!")
    assert "Bra att ni lyssnar!" in get(Client(), url)
    contribution_hide(contribution=comment, reason="Fel tråd", actor=developer)
    html = get(Client(), url)
    assert "Bra att ni lyssnar!" not in html and "Fel tråd" in html


def test_each_visitor_gets_a_token_of_their_own_that_works(activity):
    url = activity.area.get_absolute_url()
    get(Client(), url)
    visitor = Client(enforce_csrf_checks=True)
    html = get(visitor, url)  # from the cache
    tokens = set(TOKEN.findall(html))
    assert len(tokens) == 1  # the subscribe and idea forms carry the same token
    other = set(TOKEN.findall(get(Client(), url)))
    assert tokens != other
    response = visitor.post(
        f"{url}prenumerera/",
        {"prenumeration-email": "anna@example.se", "csrfmiddlewaretoken": tokens.pop()},
    )
    assert response.status_code == 302
    refused = Client(enforce_csrf_checks=True).post(
        f"{url}prenumerera/", {"prenumeration-email": "bo@example.se"}
    )
    assert refused.status_code == 403


def test_staff_and_query_strings_get_a_fresh_page(
    activity, developer: User, client_for, django_assert_num_queries
):
    url = activity.get_absolute_url()
    get(Client(), url)
    staff = get(client_for(developer), url)
    assert "Logga ut" in staff
    with django_assert_num_queries(4):  # the activity page's own queries
        get(Client(), f"{url}?utm_source=nyhetsbrev")


def test_a_visitor_with_a_message_waiting_sees_it(activity, settings):
    url = activity.get_absolute_url()
    get(Client(), url)
    client = Client()
    request = HttpRequest()
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "Tack för din kommentar!")
    response = client.get("/healthz")
    storage.update(response)
    client.cookies.update(response.cookies)
    assert "Tack för din kommentar!" in get(client, url)


def test_it_can_be_turned_off(activity, settings, django_assert_num_queries):
    settings.BRYGGA_PUBLIC_PAGE_CACHE_SECONDS = 0
    url = activity.get_absolute_url()
    get(Client(), url)
    with django_assert_num_queries(4):
        get(Client(), url)

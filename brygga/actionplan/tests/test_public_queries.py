"""What every public page must hold however much there is: a fixed number of queries
(with 5 and with 500 activities, comments, timeline entries and ideas), and markup in
any text shown escaped."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from brygga.actionplan.models import Activity, Area, Program
from brygga.actionplan.tests.factories import (
    bulk_activities,
    bulk_comments,
    bulk_ideas,
    bulk_updates,
    make_activity,
    make_area,
    make_comment,
    make_contact,
    make_idea,
    make_program,
    make_update,
)
from brygga.actionplan.tests.public_factory import html, text_of

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- a fixed number of queries


def populate(size: int) -> tuple[Program, Area, Activity]:
    """A published program with ``size`` activities (and as many ideas) in one area, a
    second area, and one activity with ``size`` comments, timeline entries and ideas."""
    program = make_program(goals=3)
    area = make_area(program)
    other = make_area(program, title="Dialog om upphandling")
    contact = make_contact()
    activity = make_activity(area, title="Den stora aktiviteten", contact=contact)
    bulk_activities(area, size, contact=contact)
    bulk_activities(other, size, title="Upphandling")
    bulk_comments(activity, size)
    bulk_updates(activity, size)
    bulk_ideas(area, size, activity=activity)
    make_program(title="Program två")  # another program on the start page
    return program, area, activity


# What each page costs, with 5 or 500 of everything.
PAGE_QUERIES = {"start": 2, "program": 6, "area": 3, "activity": 4, "home": 2}


@pytest.mark.parametrize("size", [5, 500])
def test_it_reads_each_page_with_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any, size: int
) -> None:
    program, area, activity = populate(size)
    urls = {
        "start": reverse("actionplan:start"),
        "program": program.get_absolute_url(),
        "area": area.get_absolute_url(),
        "activity": activity.get_absolute_url(),
        "home": reverse("core:home"),
    }
    for name, url in urls.items():
        with django_assert_num_queries(PAGE_QUERIES[name]):
            page = html(client, url)
        assert "<h1>" in page
    # The pages really show the data they were given.
    area_page = html(client, urls["area"])
    assert f"Aktiviteter ({size + 1})" in text_of(area_page)
    assert area_page.count('<article class="ap-contribution" id="ide-') == size
    activity_page = html(client, urls["activity"])
    assert f"Kommentarer ({size})" in text_of(activity_page)
    assert activity_page.count('<li id="handelse-') == size + 1


# ---------------------------------------------------------------- hostile text

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_it_escapes_markup_in_every_text_on_every_page(client: Client) -> None:
    program = make_program(
        title=f"Program {HOSTILE}", summary=f"Ingress {HOSTILE}", description=HOSTILE, goals=0
    )
    area = make_area(program, title=f"Område {HOSTILE}", description=HOSTILE)
    activity = make_activity(
        area,
        title=f"Aktivitet {HOSTILE}",
        status_text=HOSTILE,
        description=HOSTILE,
        further_info=HOSTILE,
    )
    make_update(activity, f"Uppdatering {HOSTILE}")
    make_comment(activity, name=f"Namn {HOSTILE}", text=HOSTILE, reply=HOSTILE)
    make_idea(area, name=f"Namn {HOSTILE}", title=f"Idé {HOSTILE}", text=HOSTILE)
    for url in [
        reverse("core:home"),
        reverse("actionplan:start"),
        program.get_absolute_url(),
        area.get_absolute_url(),
        activity.get_absolute_url(),
        reverse("actionplan:search") + "?q=aktivitet",
    ]:
        page = html(client, url)
        assert "<script>alert" not in page, url
        assert "<img src=x" not in page and "onerror=alert(1)>" not in page, url
        assert "&lt;script&gt;" in page, url

"""The Atom feeds of a program and an area: what happens in the plan, newest first,
each entry linking to the activity page at the entry. Parsed as XML, as a feed reader
would."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brygga.actionplan.models import Activity, ActivityUpdate, Area, Program
from brygga.actionplan.tests.factories import (
    bulk_activities,
    bulk_updates,
    make_activity,
    make_area,
    make_program,
    make_status_change,
    make_update,
)
from brygga.actionplan.views.feeds import FEED_LIMIT

pytestmark = pytest.mark.django_db

NS = {"atom": "http://www.w3.org/2005/Atom"}
DAY = dt.timedelta(days=1)


@dataclass
class Entry:
    title: str
    link: str
    id: str
    published: dt.datetime
    updated: dt.datetime
    summary: str


def parse(client: Client, url: str) -> tuple[ET.Element, list[Entry]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314  (our own feed)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    entries = []
    for node in root.findall("atom:entry", NS):
        link = node.find("atom:link[@rel='alternate']", NS)
        assert link is not None
        entries.append(
            Entry(
                title=node.findtext("atom:title", "", NS),
                link=link.attrib["href"],
                id=node.findtext("atom:id", "", NS),
                published=dt.datetime.fromisoformat(node.findtext("atom:published", "", NS)),
                updated=dt.datetime.fromisoformat(node.findtext("atom:updated", "", NS)),
                summary=node.findtext("atom:summary", "", NS),
            )
        )
    return root, entries


def program_feed(program: Program) -> str:
    return reverse("actionplan:program_feed", kwargs={"program": program.slug})


def area_feed(area: Area) -> str:
    return reverse("actionplan:area_feed", kwargs={"program": area.program.slug, "area": area.slug})


@dataclass
class Plan:
    program: Program
    area: Area
    other: Area
    visits: Activity
    tenders: Activity


@pytest.fixture
def plan() -> Plan:
    program = make_program(title="Topp 50-2017")
    area = make_area(program, title="Dialog med företagare")
    other = make_area(program, title="Upphandling")
    start = timezone.now() - 30 * DAY
    visits = make_activity(
        area, title="Företagsbesök", status="investigating", status_text="Vi utreder.", at=start
    )
    make_status_change(visits, "done", "Alla 250 besök är gjorda.", at=start + 2 * DAY)
    tenders = make_activity(other, title="Upphandlingsmöte", status="planned", at=start + DAY)
    make_update(tenders, "Första mötet är bokat.\n\nVälkommen!", at=start + 3 * DAY)
    draft = make_activity(area, title="Utkast", published=False)
    make_update(draft, "Syns inte.", at=start + 4 * DAY)
    return Plan(program, area, other, visits, tenders)


def test_it_lists_the_program_timeline_newest_first(client: Client, plan: Plan) -> None:
    root, entries = parse(client, program_feed(plan.program))
    assert root.findtext("atom:title", "", NS) == "Handlingsplanen: Topp 50-2017"
    assert [e.title for e in entries] == [
        "Uppdatering av Upphandlingsmöte",
        "Ny status för Företagsbesök: Avklarad",
        "Ny aktivitet: Upphandlingsmöte",
        "Ny aktivitet: Företagsbesök",
    ]
    dates = [e.published for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert all(e.published.tzinfo is not None for e in entries)
    assert all(e.updated == e.published for e in entries)
    assert "Utkast" not in "".join(e.title for e in entries)


def test_it_gives_each_entry_its_date_link_id_and_text(client: Client, plan: Plan) -> None:
    _root, entries = parse(client, program_feed(plan.program))
    change = plan.visits.updates.get(kind=ActivityUpdate.Kind.STATUS)
    entry = entries[1]
    assert entry.published == change.at
    link = urlparse(entry.link)
    assert link.scheme == "http" and link.netloc == "testserver"
    assert link.path == plan.visits.get_absolute_url()
    assert link.fragment == f"handelse-{change.pk}"
    assert entry.id.startswith("tag:") and entry.id.endswith(f"/handelse/{change.pk}")
    assert len({e.id for e in entries}) == len(entries)
    assert entry.summary == "<p>Alla 250 besök är gjorda.</p>"
    assert entries[0].summary == "<p>Första mötet är bokat.</p><p>Välkommen!</p>"


def test_it_links_each_entry_to_its_place_on_the_activity_page(client: Client, plan: Plan) -> None:
    _root, entries = parse(client, program_feed(plan.program))
    for entry in entries:
        link = urlparse(entry.link)
        page = client.get(link.path).content.decode()
        assert f'id="{link.fragment}"' in page


def test_it_points_to_the_page_and_to_itself(client: Client, plan: Plan) -> None:
    root, _entries = parse(client, area_feed(plan.area))
    links = {link.attrib["rel"]: link.attrib["href"] for link in root.findall("atom:link", NS)}
    assert urlparse(links["alternate"]).path == plan.area.get_absolute_url()
    assert urlparse(links["self"]).path == area_feed(plan.area)
    assert root.findtext("atom:id", "", NS)
    assert root.findtext("atom:updated", "", NS)
    assert root.attrib["{http://www.w3.org/XML/1998/namespace}lang"] == "sv"


def test_it_lists_only_the_area_in_the_area_feed(client: Client, plan: Plan) -> None:
    root, entries = parse(client, area_feed(plan.area))
    assert root.findtext("atom:title", "", NS) == "Handlingsplanen: Dialog med företagare"
    assert [e.title for e in entries] == [
        "Ny status för Företagsbesök: Avklarad",
        "Ny aktivitet: Företagsbesök",
    ]
    _root, other = parse(client, area_feed(plan.other))
    assert [e.title for e in other] == [
        "Uppdatering av Upphandlingsmöte",
        "Ny aktivitet: Upphandlingsmöte",
    ]


def test_it_is_the_feed_the_pages_link_to(client: Client, plan: Plan) -> None:
    for page_url, feed_url in [
        (plan.program.get_absolute_url(), program_feed(plan.program)),
        (plan.area.get_absolute_url(), area_feed(plan.area)),
    ]:
        page = client.get(page_url).content.decode()
        head = page[: page.index("</head>")]
        match = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*>', head)
        assert match, page_url
        assert f'href="{feed_url}"' in match.group(0)
        parse(client, feed_url)


def test_it_keeps_to_the_latest_entries(client: Client, plan: Plan) -> None:
    bulk_updates(plan.visits, FEED_LIMIT + 10)
    make_update(plan.visits, "Det allra senaste.")
    _root, entries = parse(client, area_feed(plan.area))
    assert len(entries) == FEED_LIMIT
    assert entries[0].title == "Uppdatering av Företagsbesök"
    assert entries[0].summary == "<p>Det allra senaste.</p>"


def test_it_answers_404_for_unknown_and_unpublished_feeds(client: Client, plan: Plan) -> None:
    hidden = make_program(title="Utkast", published=False)
    hidden_area = make_area(plan.program, title="Område i utkast", published=False)
    for url in [
        reverse("actionplan:program_feed", kwargs={"program": "finns-inte"}),
        program_feed(hidden),
        reverse("actionplan:area_feed", kwargs={"program": plan.program.slug, "area": "nej"}),
        area_feed(hidden_area),
        area_feed(make_area(hidden, title="Område")),
    ]:
        assert client.get(url).status_code == 404, url


def test_it_escapes_markup_in_titles_and_texts(client: Client) -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    area = make_area(make_program(title=f"Program {hostile}"), title=f"Område {hostile}")
    activity = make_activity(area, title=f"Aktivitet {hostile}", status_text=hostile)
    make_update(activity, f"Text {hostile}")
    for url in [program_feed(area.program), area_feed(area)]:
        root, entries = parse(client, url)
        # Titles are text: what a reader shows is exactly what staff typed.
        assert entries[0].title == f"Uppdatering av Aktivitet {hostile}"
        assert root.findtext("atom:title", "", NS).endswith(hostile)
        # Summaries are HTML: the markup in them is escaped, never live.
        for entry in entries:
            assert "<script" not in entry.summary and "<img" not in entry.summary
        assert "&lt;script&gt;" in entries[0].summary


@pytest.mark.parametrize("size", [5, 500])
def test_it_reads_a_feed_with_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any, size: int
) -> None:
    program = make_program()
    area = make_area(program)
    activities = bulk_activities(area, size)
    bulk_updates(activities[0], size)
    with django_assert_num_queries(2):
        _root, entries = parse(client, program_feed(program))
    assert len(entries) == min(FEED_LIMIT, 3 * size)
    with django_assert_num_queries(2):
        _root, entries = parse(client, area_feed(area))
    assert len(entries) == min(FEED_LIMIT, 3 * size)

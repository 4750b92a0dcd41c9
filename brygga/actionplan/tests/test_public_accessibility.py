"""The public action plan pages meet WCAG 2.1 AA (axe-core in Chromium), have one h1
and Swedish as their language, and the area and activity pages fit a phone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page

from brygga.accounts.models import User
from brygga.actionplan.models import Activity, Area, Idea, Program
from brygga.actionplan.tests.factories import (
    make_activity,
    make_area,
    make_comment,
    make_contact,
    make_idea,
    make_program,
    make_status_change,
    make_update,
)
from brygga.core.testing.browser import axe_violations

pytestmark = pytest.mark.browser

DAY = dt.timedelta(days=1)
# A word longer than a phone is wide, as visitors sometimes write them.
LONG_WORD = "Företagsklimatsförbättringsdialogmötesanteckningsarkivet" * 2
LONG_URL = "https://www.example.se/" + "a" * 120


@dataclass
class Plan:
    program: Program
    area: Area
    activity: Activity


def build_plan(moderator: User) -> Plan:
    """Every kind of thing the public pages show, with a few long words among them."""
    program = make_program(
        title="Topp 50-2017",
        summary="Femtio förbättringar för företagen.",
        description=f"Programmet bygger på en undersökning.\n\n{LONG_URL}",
        period_start=dt.date(2014, 1, 1),
        period_end=dt.date(2017, 12, 31),
        source=Program.Source.SURVEY,
        source_detail="Företagarundersökning 2013",
        goals=2,
    )
    area = make_area(program, title="Förbättra dialogen mellan företagare och politiker")
    make_area(program, title="Upphandling")
    start = timezone.now() - 30 * DAY
    activity = make_activity(
        area,
        title="Näringslivskontoret genomför 250 företagsbesök",
        status="investigating",
        status_text="Vi planerar besöken.",
        description=f"Syftet är närmare kontakt.\n\n1. Lyssna\n2. Informera\n\n{LONG_URL}",
        further_info="Ring oss så bokar vi en tid.",
        contact=make_contact(),
        start_date=dt.date(2014, 1, 15),
        end_date=dt.date(2014, 12, 19),
        at=start,
    )
    make_status_change(activity, "done", "Aktiviteten är avklarad.", at=start + DAY)
    make_update(activity, "Vi summerar året på frukostmötet.", at=start + 2 * DAY)
    for key in ("planned", "ongoing", "cancelled", "done"):
        make_activity(area, title=f"Aktivitet som är {key}", status=key, status_text="Text.")
    make_comment(activity, text=f"Bra initiativ! {LONG_WORD}")
    make_comment(activity, name="Per Persson", text="När?", reply="I maj.", moderator=moderator)
    make_comment(activity, name="Spam", text="Köp!", hidden="Reklam.", moderator=moderator)
    make_idea(area, status=Idea.Status.ACTIVITY, activity=activity, moderator=moderator)
    make_idea(
        area,
        title="Gratis parkering",
        status=Idea.Status.DECLINED,
        reason="Parkeringen ägs inte av kommunen.",
        moderator=moderator,
    )
    make_idea(
        area, title=f"Mingel {LONG_WORD}", status=Idea.Status.CONSIDERING, moderator=moderator
    )
    make_idea(area, title="Olämplig", hidden="Kränkande innehåll.", moderator=moderator)
    return Plan(program, area, activity)


def search_url(query: str) -> Callable[[Plan], str]:
    return lambda plan: reverse("actionplan:search") + (f"?q={query}" if query else "")


PAGES: list[tuple[str, Callable[[Plan], str]]] = [
    ("site-home", lambda plan: reverse("core:home")),
    ("start", lambda plan: reverse("actionplan:start")),
    ("program", lambda plan: plan.program.get_absolute_url()),
    ("area", lambda plan: plan.area.get_absolute_url()),
    ("activity", lambda plan: plan.activity.get_absolute_url()),
    ("search", search_url("")),
    ("search-results", search_url("f%C3%B6retag")),
    ("search-no-results", search_url("simbass%C3%A4ng")),
    ("search-too-long", search_url("ord+" * 100)),
]


@pytest.mark.parametrize("name,url", PAGES, ids=[name for name, _url in PAGES])
def test_it_meets_wcag_21_aa_with_one_h1_in_swedish(
    page: Page, live_server: Any, developer: User, name: str, url: Callable[[Plan], str]
) -> None:
    plan = build_plan(developer)
    response = page.goto(live_server.url + url(plan))
    assert response is not None and response.ok
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n" + "\n".join(violations)
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").count() == 1
    assert page.title().strip() != ""


def test_it_shows_search_results_and_the_error_it_checks(
    page: Page, live_server: Any, developer: User
) -> None:
    # Guards the search rows above: they really are the states they are named after.
    plan = build_plan(developer)
    page.goto(live_server.url + search_url("f%C3%B6retag")(plan))
    assert page.locator("main h2").count() >= 1
    page.goto(live_server.url + search_url("ord+" * 100)(plan))
    assert "Skriv en kortare sökning" in page.locator("main").inner_text()


def test_it_searches_from_the_start_page_without_javascript(
    browser: Browser, live_server: Any, developer: User
) -> None:
    build_plan(developer)
    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(live_server.url + reverse("actionplan:start"))
        tab.get_by_label("Sök i handlingsplanen").fill("företagsbesök")
        tab.get_by_role("button", name="Sök").click()
        tab.wait_for_load_state()
        link = tab.get_by_role("link", name="Näringslivskontoret genomför 250 företagsbesök")
        assert link.count() == 1
        assert tab.locator("input[type=search]").input_value() == "företagsbesök"
    finally:
        context.close()


@pytest.mark.parametrize("which", ["area", "activity", "program", "start"])
def test_it_fits_a_phone_screen_without_horizontal_scrolling(
    phone_page: Page, live_server: Any, developer: User, which: str
) -> None:
    plan = build_plan(developer)
    url = dict(PAGES)[which](plan)
    phone_page.goto(live_server.url + url)
    widths = phone_page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[1] == 375
    assert widths[0] <= widths[1], f"{url} is {widths[0]} px wide on a {widths[1]} px screen"

"""The feedback pages meet WCAG 2.1 A/AA (axe-core) with data, empty and with filter
errors, have one h1, and fit a phone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from brygga.core.testing.browser import axe_violations, log_in
from brygga.visits.tests.test_feedback_pages import build_feedback_data

pytestmark = pytest.mark.browser

OVERVIEW = reverse("visits:feedback_overview")
UNLINKED = reverse("visits:feedback_unlinked")


@dataclass(frozen=True)
class Case:
    id: str
    url: str
    persona: str = "developer"
    with_data: bool = True


CASES = [
    Case("overview", OVERVIEW),
    Case("overview-filtered", OVERVIEW + "?year=2025&town=Mariefred&sni=%3F"),
    Case("overview-empty", OVERVIEW, with_data=False),
    Case("overview-errors", OVERVIEW + "?year=tjugo&topic=finns-inte&from_year=3000"),
    Case("overview-reader", OVERVIEW, persona="reader"),
    Case("overview-case-officer", OVERVIEW, persona="case_officer"),
    Case("unlinked", UNLINKED),
    Case("unlinked-empty", UNLINKED, with_data=False),
    Case("unlinked-case-officer", UNLINKED, persona="case_officer"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_it_has_no_wcag_21_aa_violations(
    request: pytest.FixtureRequest, page: Page, live_server: Any, case: Case
) -> None:
    department = request.getfixturevalue("department_bygglov")
    user = request.getfixturevalue(case.persona)
    if case.with_data:
        build_feedback_data(department)
    log_in(page, live_server.url, user)
    response = page.goto(live_server.url + case.url)
    assert response is not None and response.ok
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n" + "\n".join(violations)
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").count() == 1


def test_filter_errors_are_tied_to_their_fields(
    request: pytest.FixtureRequest, page: Page, live_server: Any
) -> None:
    log_in(page, live_server.url, request.getfixturevalue("developer"))
    page.goto(live_server.url + OVERVIEW + "?year=tjugo")
    assert page.get_by_role("alert").first.is_visible()
    assert page.locator("#id_year").get_attribute("aria-invalid") == "true"
    assert "id_year_error" in (page.locator("#id_year").get_attribute("aria-describedby") or "")


@pytest.mark.parametrize("url", [OVERVIEW, UNLINKED], ids=["overview", "unlinked"])
def test_the_pages_fit_a_phone(
    request: pytest.FixtureRequest, phone_page: Page, live_server: Any, url: str
) -> None:
    build_feedback_data(request.getfixturevalue("department_bygglov"))
    log_in(phone_page, live_server.url, request.getfixturevalue("developer"))
    phone_page.goto(live_server.url + url)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{width} px wide"


@pytest.mark.parametrize("url", [OVERVIEW, UNLINKED], ids=["overview", "unlinked"])
def test_the_pages_on_a_phone_have_no_wcag_21_aa_violations(
    request: pytest.FixtureRequest, phone_page: Page, live_server: Any, url: str
) -> None:
    """On a phone the tables scroll sideways; a keyboard must reach them too."""
    build_feedback_data(request.getfixturevalue("department_bygglov"))
    log_in(phone_page, live_server.url, request.getfixturevalue("developer"))
    phone_page.goto(live_server.url + url)
    violations = axe_violations(phone_page)
    assert not violations, f"{phone_page.url}\n" + "\n".join(violations)

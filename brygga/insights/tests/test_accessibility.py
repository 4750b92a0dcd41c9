"""The staff start page with its pace chart, the coverage tables and the suggestions
meet WCAG 2.1 AA (axe-core), have one h1 and fit a phone (axe-core there too)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from brygga.core.testing.browser import axe_violations, log_in
from brygga.insights.tests.data import office_year

pytestmark = pytest.mark.browser

CASES = [
    ("home", "/hantera/", "developer", True),
    ("home-no-target", "/hantera/", "developer", False),
    ("home-case-officer", "/hantera/", "case_officer", True),
    ("home-reader", "/hantera/", "reader", True),
    ("coverage", "/hantera/tackning/", "developer", True),
    ("coverage-bad-year", "/hantera/tackning/?year=abc", "developer", True),
    ("coverage-empty-year", "/hantera/tackning/?year=2001", "reader", True),
    ("suggestions", "/hantera/forslag/?n=5", "developer", True),
    ("suggestions-reader", "/hantera/forslag/", "reader", True),
    ("suggestions-bad-count", "/hantera/forslag/?n=500", "developer", True),
]


@pytest.mark.parametrize(
    ("url", "persona", "target"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_it_has_no_wcag_21_aa_violations(
    request: pytest.FixtureRequest,
    page: Page,
    live_server: Any,
    url: str,
    persona: str,
    target: bool,
) -> None:
    office_year(request.getfixturevalue("developer"), target=300 if target else None)
    log_in(page, live_server.url, request.getfixturevalue(persona))
    response = page.goto(live_server.url + url)
    assert response is not None and response.ok
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n" + "\n".join(violations)
    assert page.locator("h1").count() == 1


def test_the_chart_is_named_and_its_figures_are_a_table(
    request: pytest.FixtureRequest, page: Page, live_server: Any
) -> None:
    office_year(request.getfixturevalue("developer"))
    log_in(page, live_server.url, request.getfixturevalue("developer"))
    page.goto(live_server.url + "/hantera/")
    chart = page.get_by_role("img", name="mot målets takt")
    assert chart.count() == 1
    table = page.get_by_role("table", name="ackumulerat per månad")
    assert table.locator("tbody tr").count() >= 12


@pytest.mark.parametrize("url", ["/hantera/", "/hantera/tackning/", "/hantera/forslag/"])
def test_it_fits_a_phone(
    request: pytest.FixtureRequest, phone_page: Page, live_server: Any, url: str
) -> None:
    office_year(request.getfixturevalue("developer"))
    log_in(phone_page, live_server.url, request.getfixturevalue("developer"))
    phone_page.goto(live_server.url + url)
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    # Tables wider than the phone scroll in their own box, which keyboards can reach.
    violations = axe_violations(phone_page)
    assert not violations, f"{phone_page.url}\n" + "\n".join(violations)

"""The subscription pages meet WCAG 2.1 AA (axe-core), have one h1 and are in Swedish."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from brygga.actionplan.models import Subscriber
from brygga.actionplan.tests.subscriptions_factory import (
    confirm_url,
    make_plan,
    manage_url,
    subscribe,
    subscribe_url,
    unsubscribe_all_url,
    unsubscribe_url,
)
from brygga.core.testing.browser import axe_violations, submit

pytestmark = pytest.mark.browser

Setup = Callable[[], str]


def _subscriber(*, confirmed: bool = True) -> Subscriber:
    plan = make_plan()
    subscriber = subscribe("anna@example.se", areas=(plan.area,), confirmed=confirmed)
    if confirmed:
        subscribe("anna@example.se", programs=(plan.other_program,), confirmed=False)
    return subscriber


def area_form() -> str:
    return subscribe_url(make_plan().area)


def program_form() -> str:
    return subscribe_url(program=make_plan().program)


def sent_page() -> str:
    return subscribe_url(make_plan().area) + "skickad/"


def confirm_page() -> str:
    return confirm_url(_subscriber(confirmed=False))


def manage_page() -> str:
    return manage_url(_subscriber())


def unsubscribe_page() -> str:
    return unsubscribe_url(_subscriber().subscriptions.order_by("id")[0])


def unsubscribe_all_page() -> str:
    return unsubscribe_all_url(_subscriber())


def submit_bad_address(page: Page) -> None:
    page.get_by_label("E-postadress").fill("<b>inte</b> en adress")
    submit(page)


def submit_add_without_choice(page: Page) -> None:
    page.locator("form:has(input[value=add]) button[type=submit]").click()
    page.wait_for_load_state()


def last_submit(page: Page) -> None:
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()


CASES: list[tuple[str, Setup, Any]] = [
    ("area-form", area_form, None),
    ("area-form-errors", area_form, submit_bad_address),
    ("area-form-empty", area_form, submit),
    ("program-form", program_form, None),
    ("sent", sent_page, None),
    ("confirm", confirm_page, None),
    ("confirmed", confirm_page, submit),
    ("manage", manage_page, None),
    ("manage-errors", manage_page, submit_add_without_choice),
    ("manage-cancelled-all", manage_page, last_submit),
    ("unsubscribe", unsubscribe_page, None),
    ("unsubscribed", unsubscribe_page, submit),
    ("unsubscribe-all", unsubscribe_all_page, None),
    ("unsubscribed-all", unsubscribe_all_page, submit),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_it_has_no_wcag_21_aa_violations(page: Page, live_server: Any, case: Any) -> None:
    _id, url_for, then = case
    response = page.goto(live_server.url + url_for())
    assert response is not None and response.ok
    if then is not None:
        then(page)
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n" + "\n".join(violations)
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").count() == 1


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_it_fits_a_phone_screen(phone_page: Page, live_server: Any, case: Any) -> None:
    _id, url_for, then = case
    phone_page.goto(live_server.url + url_for())
    if then is not None:
        then(phone_page)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.parametrize(
    "url", ["/prenumeration/finns-inte/", "/prenumeration/avsluta/finns-inte/"]
)
def test_the_pages_for_an_unknown_link_have_no_violations(
    page: Page, live_server: Any, url: str
) -> None:
    response = page.goto(live_server.url + url)
    assert response is not None and response.status == 404
    assert not axe_violations(page)
    assert page.locator("h1").count() == 1


def test_the_frequency_is_a_labelled_group_of_radio_buttons(page: Page, live_server: Any) -> None:
    page.goto(live_server.url + manage_page())
    group = page.get_by_role("group", name="Hur ofta vill du få e-post?")
    assert group.get_by_label("Direkt när något händer").is_checked()
    group.get_by_label("En sammanfattning i veckan").check()
    page.locator("form:has(input[value=frequency]) button[type=submit]").click()
    page.wait_for_load_state()
    assert (
        page.get_by_role("group", name="Hur ofta vill du få e-post?")
        .get_by_label("En sammanfattning i veckan")
        .is_checked()
    )
    assert axe_violations(page) == []

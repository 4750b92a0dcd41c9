"""The action plan's staff pages and the outbox pages meet WCAG 2.1 AA (axe-core), have
one h1, and fit a phone — forms shown with their errors included."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from brygga.actionplan.tests.staff_factory import (
    Plan,
    make_plan,
    pending_contributions,
    status,
    subscribe,
)
from brygga.core.models import OutboxMessage
from brygga.core.outbox import Mail, outbox_message
from brygga.core.testing.browser import axe_violations, log_in

pytestmark = pytest.mark.browser

Url = Callable[[pytest.FixtureRequest], str]


@dataclass(frozen=True)
class Case:
    id: str
    url: Url
    persona: str = "developer"
    then: Callable[[Page], None] | None = None


def _plan(request: pytest.FixtureRequest) -> Plan:
    developer = request.getfixturevalue("developer")
    plan = make_plan(activities=3, contact=developer)
    make_plan(activities=1, published=False, title="Näringslivsstrategi för Lerum")
    subscribe("prenumerant@example.se", area=plan.area)
    subscribe("vantar@example.se", area=plan.area, confirmed=False)
    subscribe("hela@example.se", program=plan.program)
    pending_contributions(plan, comments=1, ideas=1)
    return plan


def plain(name: str) -> Url:
    def url(request: pytest.FixtureRequest) -> str:
        _plan(request)
        return reverse(f"actionplan:{name}")

    return url


def of(name: str, pick: Callable[[Plan], Any]) -> Url:
    def url(request: pytest.FixtureRequest) -> str:
        return reverse(f"actionplan:{name}", kwargs={"pk": pick(_plan(request)).pk})

    return url


def status_edit(request: pytest.FixtureRequest) -> str:
    _plan(request)
    return reverse("actionplan:staff_status_edit", kwargs={"pk": status("done").pk})


def _outbox(request: pytest.FixtureRequest) -> list[OutboxMessage]:
    written = []
    for to, state, sensitive in [
        ("fel@example.se", OutboxMessage.State.FAILED, False),
        ("skickat@example.se", OutboxMessage.State.SENT, False),
        ("glomsk@example.se", OutboxMessage.State.QUEUED, True),
    ]:
        message = outbox_message(
            to=to,
            mail=Mail(subject="Ny status: Företagslots", text="Hej!\n\nNy status.", html=""),
            kind="actionplan.update",
            sensitive=sensitive,
        )
        message.state = state
        message.headers["List-Unsubscribe"] = (
            "<https://brygga.example/prenumeration/avsluta/" + "x" * 43 + "/>"
        )
        if state == OutboxMessage.State.FAILED:
            message.attempts = 8
            message.last_error = "fel@example.se: 550 5.1.1 Mailbox unavailable"
        message.save()
        written.append(message)
    retrying = written[2]
    OutboxMessage.objects.filter(pk=retrying.pk).update(attempts=2, last_error="451 senare")
    return written


def outbox(request: pytest.FixtureRequest) -> str:
    _outbox(request)
    return reverse("core:outbox")


def outbox_message_url(index: int) -> Url:
    def url(request: pytest.FixtureRequest) -> str:
        return reverse("core:outbox_message", kwargs={"pk": _outbox(request)[index].pk})

    return url


def submit_first_form(page: Page) -> None:
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()


def clear_and_submit(*fields: str) -> Callable[[Page], None]:
    def run(page: Page) -> None:
        for name in fields:
            page.locator(f"#id_{name}").fill("")
        submit_first_form(page)

    return run


def submit_bad_status(page: Page) -> None:
    page.locator("#id_key").fill("Inte en nyckel")
    page.locator("#id_progress").fill("300")
    submit_first_form(page)


def submit_empty_update(page: Page) -> None:
    page.get_by_role("button", name="Publicera uppdateringen").click()
    page.wait_for_load_state()


def submit_bad_filter(page: Page) -> None:
    page.goto(page.url + "?state=exploderat")


program = lambda plan: plan.program  # noqa: E731
area = lambda plan: plan.area  # noqa: E731
activity = lambda plan: plan.activity  # noqa: E731
goal = lambda plan: plan.goal  # noqa: E731

CASES = [
    Case("home", plain("staff_home")),
    Case("home-reader", plain("staff_home"), persona="reader"),
    Case("program", of("staff_program", program)),
    Case("program-reader", of("staff_program", program), persona="reader"),
    Case("program-create", plain("staff_program_create")),
    Case("program-create-errors", plain("staff_program_create"), then=submit_first_form),
    Case("program-edit", of("staff_program_edit", program)),
    Case("program-edit-errors", of("staff_program_edit", program), then=clear_and_submit("title")),
    Case("goal-create", of("staff_goal_create", program)),
    Case("goal-create-errors", of("staff_goal_create", program), then=submit_first_form),
    Case("goal-edit", of("staff_goal_edit", goal)),
    Case("area", of("staff_area", area)),
    Case("area-create", of("staff_area_create", program)),
    Case("area-create-errors", of("staff_area_create", program), then=submit_first_form),
    Case("area-edit", of("staff_area_edit", area)),
    Case("area-subscribers", of("staff_area_subscribers", area)),
    Case("area-subscribers-reader", of("staff_area_subscribers", area), persona="reader"),
    Case("activity", of("staff_activity", activity)),
    Case("activity-reader", of("staff_activity", activity), persona="case_officer"),
    Case("activity-update-errors", of("staff_activity", activity), then=submit_empty_update),
    Case("activity-status-saved", of("staff_activity", activity), then=submit_first_form),
    Case("activity-create", of("staff_activity_create", area)),
    Case("activity-create-errors", of("staff_activity_create", area), then=submit_first_form),
    Case("activity-edit", of("staff_activity_edit", activity)),
    Case(
        "activity-edit-errors",
        of("staff_activity_edit", activity),
        then=clear_and_submit("title", "slug"),
    ),
    Case("status-list", plain("staff_status_list")),
    Case("status-create", plain("staff_status_create")),
    Case("status-create-errors", plain("staff_status_create"), then=submit_bad_status),
    Case("status-edit", status_edit),
    Case("outbox", outbox),
    Case("outbox-bad-filter", outbox, then=submit_bad_filter),
    Case("outbox-failed-message", outbox_message_url(0)),
    Case("outbox-sent-message", outbox_message_url(1)),
    Case("outbox-sensitive-message", outbox_message_url(2)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_it_has_no_wcag_21_aa_violations(
    request: pytest.FixtureRequest, page: Page, live_server: Any, case: Case
) -> None:
    log_in(page, live_server.url, request.getfixturevalue(case.persona))
    response = page.goto(live_server.url + case.url(request))
    assert response is not None and response.ok
    if case.then is not None:
        case.then(page)
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n" + "\n".join(violations)
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").count() == 1


def test_the_error_pages_say_what_is_wrong(
    request: pytest.FixtureRequest, page: Page, live_server: Any
) -> None:
    log_in(page, live_server.url, request.getfixturevalue("developer"))
    page.goto(live_server.url + plain("staff_status_create")(request))
    submit_bad_status(page)
    assert page.get_by_role("alert").first.is_visible()
    assert page.locator("#id_key_error").is_visible()
    assert page.locator("#id_progress").get_attribute("aria-invalid") == "true"


@pytest.mark.parametrize(
    "url",
    [
        of("staff_activity", activity),
        of("staff_area_subscribers", area),
        plain("staff_status_list"),
        outbox,
        outbox_message_url(1),
    ],
    ids=["activity", "subscribers", "statuses", "outbox", "outbox-message"],
)
def test_the_widest_pages_fit_a_phone(
    request: pytest.FixtureRequest, phone_page: Page, live_server: Any, url: Url
) -> None:
    log_in(phone_page, live_server.url, request.getfixturevalue("developer"))
    phone_page.goto(live_server.url + url(request))
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{width} px wide"

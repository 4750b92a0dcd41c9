"""The comment, idea, verification and moderation pages meet WCAG 2.1 AA (axe-core),
have one h1 and fit a phone, in Swedish; forms are checked with their errors shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from brygga.actionplan.services.participation import comment_submit, idea_submit
from brygga.actionplan.tests.participation_factory import (
    Plan,
    age,
    comment_sent_url,
    idea_sent_url,
    make_plan,
    published_comment,
    published_idea,
    with_token,
)
from brygga.core.testing.browser import axe_violations, log_in
from brygga.register.tests.corrections_factory import use_own_cache

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _own_cache(settings: Any, tmp_path: Path) -> None:
    use_own_cache(settings, tmp_path)


Url = Callable[[pytest.FixtureRequest], str]


def _plan(request: pytest.FixtureRequest, premoderate: bool = False) -> Plan:
    return make_plan(premoderate=premoderate)


def comment_form(request: pytest.FixtureRequest) -> str:
    return _plan(request).comment_url


def idea_form(request: pytest.FixtureRequest) -> str:
    return _plan(request).idea_url


def comment_sent(request: pytest.FixtureRequest) -> str:
    return comment_sent_url(_plan(request).activity)


def idea_sent(request: pytest.FixtureRequest) -> str:
    return idea_sent_url(_plan(request).area)


def comment_link(request: pytest.FixtureRequest, premoderate: bool = False) -> str:
    plan = _plan(request, premoderate)
    comment = comment_submit(
        activity=plan.activity,
        name="Sara Lind",
        email="sara@example.se",
        text="Bra initiativ!\n\nBesök gärna https://www.example.se/ också.",
    )
    return with_token(comment, "kand-token-kommentar")


def idea_link(request: pytest.FixtureRequest) -> str:
    plan = _plan(request)
    idea = idea_submit(
        area=plan.area,
        name="Omar Haddad",
        email="omar@example.se",
        title="Företagarlunch varje kvartal",
        text="En lunch utan dagordning.",
    )
    return with_token(idea, "kand-token-ide")


def expired_link(request: pytest.FixtureRequest) -> str:
    path = comment_link(request)
    from brygga.actionplan.models import Comment

    comment = Comment.objects.get()
    age(comment, 30)
    return path


def unknown_link(request: pytest.FixtureRequest) -> str:
    return reverse("actionplan:idea_verify", kwargs={"token": "finns-inte"})


def _queue_data(request: pytest.FixtureRequest) -> Plan:
    plan = _plan(request, premoderate=True)
    published_comment(plan.activity, text="Kan besöken ske på kvällstid?")
    published_idea(plan.area)
    public = make_plan(title="Ett öppet program")
    published_comment(public.activity, text="Bra!")
    return plan


def queue(request: pytest.FixtureRequest) -> str:
    _queue_data(request)
    return reverse("actionplan:staff_moderation")


def empty_queue(request: pytest.FixtureRequest) -> str:
    return reverse("actionplan:staff_moderation")


def staff_comment(request: pytest.FixtureRequest) -> str:
    plan = _plan(request, premoderate=True)
    comment = published_comment(plan.activity, text="Ring mig på 070-123 45 67.")
    return reverse("actionplan:staff_comment", kwargs={"pk": comment.pk})


def staff_unconfirmed_comment(request: pytest.FixtureRequest) -> str:
    plan = _plan(request)
    comment = comment_submit(activity=plan.activity, name="Sara", email="s@example.se", text="Hej")
    return reverse("actionplan:staff_comment", kwargs={"pk": comment.pk})


def staff_idea(request: pytest.FixtureRequest) -> str:
    plan = _plan(request)
    idea = published_idea(plan.area)
    return reverse("actionplan:staff_idea", kwargs={"pk": idea.pk})


# ---------------------------------------------------------------- interactions


def submit_first_form(page: Page) -> None:
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()


def comment_with_errors(page: Page) -> None:
    page.locator("#id_kommentar-email").fill("inte-en-adress")
    submit_first_form(page)


def idea_with_errors(page: Page) -> None:
    page.locator("#id_ide-name").fill("Omar")
    page.locator("#id_ide-title").fill("x" * 5)
    submit_first_form(page)


def hide_without_reason(page: Page) -> None:
    page.locator("button[value=dolj]").click()
    page.wait_for_load_state()


def decline_without_reason(page: Page) -> None:
    page.locator("#id_status-status").select_option("declined")
    page.locator("button[value=status]").click()
    page.wait_for_load_state()


def reply(page: Page) -> None:
    page.locator("#id_svar-text").fill("Tack, vi återkommer.")
    page.locator("button[value=svara]").click()
    page.wait_for_load_state()


@dataclass(frozen=True)
class Case:
    id: str
    url: Url
    persona: str | None = None
    then: Callable[[Page], None] | None = None
    status: int = 200


CASES = [
    Case("comment-form", comment_form),
    Case("comment-form-errors", comment_form, then=comment_with_errors),
    Case("comment-sent", comment_sent),
    Case("idea-form", idea_form),
    Case("idea-form-errors", idea_form, then=idea_with_errors),
    Case("idea-sent", idea_sent),
    Case("verify-comment", comment_link),
    Case("verify-comment-published", comment_link, then=submit_first_form),
    Case(
        "verify-comment-pending",
        lambda request: comment_link(request, premoderate=True),
        then=submit_first_form,
    ),
    Case("verify-idea", idea_link),
    Case("verify-idea-published", idea_link, then=submit_first_form),
    Case("verify-expired", expired_link, status=410),
    Case("verify-unknown", unknown_link, status=404),
    Case("moderation-queue", queue, "developer"),
    Case("moderation-queue-empty", empty_queue, "developer"),
    Case("comment-moderate", staff_comment, "developer"),
    Case("comment-moderate-errors", staff_comment, "developer", hide_without_reason),
    Case("comment-moderate-replied", staff_comment, "developer", reply),
    Case("comment-moderate-unconfirmed", staff_unconfirmed_comment, "developer"),
    Case("idea-moderate", staff_idea, "developer"),
    Case("idea-moderate-errors", staff_idea, "developer", decline_without_reason),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_it_has_no_wcag_21_aa_violations(
    request: pytest.FixtureRequest, page: Page, live_server: Any, case: Case
) -> None:
    if case.persona is not None:
        log_in(page, live_server.url, request.getfixturevalue(case.persona))
    response = page.goto(live_server.url + case.url(request))
    assert response is not None and response.status == case.status
    if case.then is not None:
        case.then(page)
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n" + "\n".join(violations)
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").count() == 1


def test_the_errors_are_shown_and_announced(
    request: pytest.FixtureRequest, page: Page, live_server: Any
) -> None:
    page.goto(live_server.url + comment_form(request))
    comment_with_errors(page)
    assert page.get_by_role("alert").first.is_visible()
    assert "Fel i formuläret" in page.title()
    assert page.get_by_text("Ange en giltig mejladress.").is_visible()


PHONE_CASES = [
    c for c in CASES if c.id in {"comment-form-errors", "verify-comment", "idea-moderate"}
]


@pytest.mark.parametrize("case", PHONE_CASES, ids=[c.id for c in PHONE_CASES])
def test_it_fits_a_phone_without_sideways_scrolling(
    request: pytest.FixtureRequest, phone_page: Page, live_server: Any, case: Case
) -> None:
    if case.persona is not None:
        log_in(phone_page, live_server.url, request.getfixturevalue(case.persona))
    phone_page.goto(live_server.url + case.url(request))
    if case.then is not None:
        case.then(phone_page)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375

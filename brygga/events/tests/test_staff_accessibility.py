"""The staff meeting pages meet WCAG 2.1 AA (axe-core) with one h1 each, forms shown
with their errors included, and the check-in list fits a tablet and a phone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page

from brygga.core.testing.browser import (
    axe_violations,
    check_and_submit,
    fill_and_submit,
    log_in,
)
from brygga.events.models import Evaluation, Event, EventKind, Question, Registration, Series
from brygga.events.services.events import event_cancel
from brygga.events.services.kinds import kinds_ensure_defaults
from brygga.events.services.registrations import registration_set_attended
from brygga.events.tests.factories import (
    local,
    make_event,
    make_question,
    make_registration,
    make_series,
)
from brygga.register.models import Contact, Segment, Tag
from brygga.register.tests.companies_factory import make_company

pytestmark = pytest.mark.browser

Url = Callable[[pytest.FixtureRequest], str]


@dataclass
class World:
    event: Event
    past: Event
    question: Question
    series: Series


def _world(request: pytest.FixtureRequest) -> World:
    developer = request.getfixturevalue("developer")
    kinds_ensure_defaults()  # a live-server test empties them when it ends
    cafe = make_company("Kafé Ugglan", postal_town="Mariefred")
    Contact.objects.create(company=cafe, name="Anna", email="anna@ugglan.se", consent_mailing=True)
    make_company("Krogen", postal_town="Strängnäs").tags.add(
        Tag.objects.create(name="Krögare", slug="krogare")
    )
    Segment.objects.create(name="Mariefred", filters={"town": "Mariefred"})
    event = make_event(capacity=2, organiser=developer, description="Kaffe och smörgås.")
    question = make_question(event, "Specialkost?")
    make_registration(
        event,
        name="Anna Ask",
        email="anna@example.se",
        company_text="Kafé Ugglan",
        answers={str(question.pk): "Vegetarisk"},
    )
    bo = make_registration(event, name="Bo Berg", email="bo@example.se")
    registration_set_attended(registration=bo, attended=True)
    make_registration(event, name="Cia Ceder", email="cia@example.se")  # waits
    past = make_event(title="Frukost i höstas")
    person = make_registration(past, name="Dan Dahl", email="dan@example.se")
    person = registration_set_attended(registration=person, attended=True)
    when = local(2025, 9, 10, 8)
    Event.objects.filter(pk=past.pk).update(starts_at=when, ends_at=when + dt.timedelta(hours=1))
    Evaluation.objects.create(
        registration=person, event=past, overall=4, dialogue_time=3, comment="Bra!"
    )
    event_cancel(event=make_event(title="Inställd lunch", kind_key="lunchmote"))
    return World(event=event, past=past, question=question, series=make_series())


def plain(name: str, query: str = "") -> Url:
    def url(request: pytest.FixtureRequest) -> str:
        _world(request)
        return reverse(f"events:{name}") + query

    return url


def of(name: str, pick: Callable[[World], Any], query: str = "") -> Url:
    def url(request: pytest.FixtureRequest) -> str:
        return reverse(f"events:{name}", kwargs={"pk": pick(_world(request)).pk}) + query

    return url


def question_url(name: str) -> Url:
    def url(request: pytest.FixtureRequest) -> str:
        world = _world(request)
        return reverse(
            f"events:{name}", kwargs={"pk": world.event.pk, "question_pk": world.question.pk}
        )

    return url


def past_results(request: pytest.FixtureRequest, upcoming: bool = False) -> str:
    world = _world(request)
    pk = world.event.pk if upcoming else world.past.pk
    return reverse("events:staff_evaluations") + f"?event={pk}"


def preview(page: Page) -> None:
    page.locator("#id_target_2").check()
    page.locator("#id_locality").select_option("Mariefred")
    page.get_by_role("button", name="Förhandsgranska").click()
    page.wait_for_load_state()


def preview_incomplete(page: Page) -> None:
    page.locator("#id_target_0").check()
    page.get_by_role("button", name="Förhandsgranska").click()
    page.wait_for_load_state()


event = lambda w: w.event  # noqa: E731
series = lambda w: w.series  # noqa: E731
kind = lambda w: EventKind.objects.get(key="workshop")  # noqa: E731


@dataclass(frozen=True)
class Case:
    id: str
    url: Url
    persona: str = "developer"
    then: Callable[[Page], None] | None = None


CASES = [
    Case("list", plain("staff_list")),
    Case("list-all", plain("staff_list", "?tid=alla")),
    Case("list-reader", plain("staff_list"), persona="reader"),
    Case("list-bad-filter", plain("staff_list", "?tid=x&typ=y")),
    Case("detail", of("staff_detail", event)),
    Case("detail-reader", of("staff_detail", event), persona="reader"),
    Case("detail-officer", of("staff_detail", event), persona="case_officer"),
    Case("create", plain("staff_create")),
    Case(
        "create-errors",
        plain("staff_create"),
        then=fill_and_submit(
            title="", starts_at="2030-03-05T10:00", ends_at="2030-03-05T09:00", capacity="0"
        ),
    ),
    Case("edit", of("staff_edit", event)),
    Case("cancel", of("staff_cancel", event)),
    Case("questions", of("staff_questions", event)),
    Case(
        "questions-errors",
        of("staff_questions", event),
        then=check_and_submit("#id_kind_2", label="", choices="Bara en"),
    ),
    Case("question-edit", question_url("staff_question_edit")),
    Case("question-delete", question_url("staff_question_delete")),
    Case("invite", of("staff_invite", event)),
    Case("invite-preview", of("staff_invite", event), then=preview),
    Case("invite-errors", of("staff_invite", event), then=preview_incomplete),
    Case("check-in", of("staff_check_in", event)),
    Case("check-in-officer", of("staff_check_in", event), persona="case_officer"),
    Case("series-create", plain("staff_series_create")),
    Case(
        "series-create-errors",
        plain("staff_series_create"),
        then=check_and_submit("#id_repeat_2", rule="varannan fredag", duration_minutes="0"),
    ),
    Case("series", of("staff_series", series)),
    Case("series-reader", of("staff_series", series), persona="reader"),
    Case("evaluations", plain("staff_evaluations")),
    Case("evaluations-half-year", plain("staff_evaluations", "?per=halvar")),
    Case("evaluation-event", past_results, persona="reader"),
    Case("evaluation-event-empty", lambda r: past_results(r, upcoming=True)),
    Case("kinds", plain("staff_kinds")),
    Case("kinds-reader", plain("staff_kinds"), persona="reader"),
    Case("kind-add", plain("staff_kind_add")),
    Case("kind-add-errors", plain("staff_kind_add"), then=fill_and_submit(label="Frukostmöte")),
    Case("kind-edit", of("staff_kind_edit", kind)),
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


def test_errors_are_announced_and_tied_to_their_fields(
    request: pytest.FixtureRequest, page: Page, live_server: Any
) -> None:
    log_in(page, live_server.url, request.getfixturevalue("developer"))
    page.goto(live_server.url + plain("staff_create")(request))
    fill_and_submit(title="Frukost", starts_at="2030-03-05T10:00", ends_at="2030-03-05T09:00")(page)
    assert page.get_by_role("alert").first.is_visible()
    assert page.locator("#id_ends_at_error").is_visible()
    assert "sluta efter" in page.locator("#id_ends_at_error").inner_text()
    assert page.locator("#id_ends_at").get_attribute("aria-invalid") == "true"


def test_check_in_on_a_tablet_without_javascript(
    request: pytest.FixtureRequest, browser: Browser, live_server: Any
) -> None:
    """Big buttons, no script: press, the page comes back with the person marked."""
    world = _world(request)
    context = browser.new_context(
        locale="sv-SE",
        viewport={"width": 768, "height": 1024},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    try:
        page = context.new_page()
        log_in(page, live_server.url, request.getfixturevalue("case_officer"))
        page.goto(live_server.url + reverse("events:staff_check_in", kwargs={"pk": world.event.pk}))
        button = page.get_by_role("button", name="Markera närvarande Anna Ask")
        box = button.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44
        button.click()
        page.wait_for_load_state()
        assert page.get_by_text("2 av 2 anmälda närvarande").is_visible()
        anna = Registration.objects.get(event=world.event, name="Anna Ask")
        assert anna.attended
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 768
    finally:
        context.close()


@pytest.mark.parametrize(
    "url",
    [plain("staff_list"), of("staff_detail", event), of("staff_check_in", event)],
    ids=["list", "detail", "check-in"],
)
def test_the_pages_fit_a_phone(
    request: pytest.FixtureRequest, browser: Browser, live_server: Any, url: Url
) -> None:
    context = browser.new_context(
        locale="sv-SE", viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        log_in(page, live_server.url, request.getfixturevalue("developer"))
        page.goto(live_server.url + url(request))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{width} px wide"
        violations = axe_violations(page)
        assert not violations, f"{page.url}\n" + "\n".join(violations)
    finally:
        context.close()

"""The public meeting pages meet WCAG 2.1 AA (axe-core) with one h1 each — the forms shown
with their errors included — and fit a phone."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page

from brygga.accounts.models import User
from brygga.core.testing.browser import axe_violations, fill_and_submit, submit
from brygga.events.models import Event, Invitation, InvitationBatch, Registration
from brygga.events.services.evaluations import evaluation_submit
from brygga.events.services.events import event_cancel
from brygga.events.services.registrations import registration_cancel, registration_set_attended
from brygga.events.tests.factories import (
    in_days,
    make_event,
    make_past,
    make_question,
    make_registration,
    make_series,
)

pytestmark = pytest.mark.browser

Url = Callable[[pytest.FixtureRequest], str]


@dataclass
class World:
    breakfast: Event
    full: Event
    cancelled: Event
    closed: Event
    occurrence: Event
    hidden: Event
    confirmed: Registration
    waiting: Registration
    withdrawn: Registration
    attendee: Registration
    answered: Registration
    early: Registration
    invitation: Invitation


def _world(request: pytest.FixtureRequest) -> World:
    organiser: User = request.getfixturevalue("developer")
    breakfast = make_event(
        title="Frukostmöte i Mariefred",
        capacity=20,
        organiser=organiser,
        description="Välkommen på frukost!\n\nLäs mer på https://example.se",
    )
    # Registered before the questions were added (required answers are checked on the way in).
    early = make_registration(breakfast, email="tidig@example.se")
    withdrawn = make_registration(breakfast, email="tredje@example.se")
    registration_cancel(registration=withdrawn)
    make_question(breakfast, label="Specialkost?", help_text="Till exempel vegetariskt.")
    make_question(breakfast, label="Vill du presentera dig?", kind="yes_no", required=True)
    make_question(breakfast, label="Antal anställda", kind="choice", choices="1-9\n10-49\n50+")
    make_question(
        breakfast,
        label="Bransch",
        kind="choice",
        required=True,
        choices="\n".join(f"Bransch {n}" for n in range(8)),
    )
    full = make_event(title="Lunchmöte i Strängnäs", kind_key="lunchmote", capacity=1)
    confirmed = make_registration(full, email="forst@example.se")
    waiting = make_registration(full, email="andra@example.se")
    cancelled = make_event(title="Workshop om upphandling", kind_key="workshop", capacity=5)
    event_cancel(event=cancelled)
    closed = make_event(title="Dialogmöte krögare", kind_key="dialogmote", registration_open=False)
    series = make_series()
    occurrence = series.occurrences.order_by("starts_at").first()
    assert occurrence is not None
    hidden = make_event(title="Dialog med alkoholhandläggarna", public=False, starts_at=in_days(30))
    batch = InvitationBatch.objects.create(
        event=hidden, target=InvitationBatch.Target.LOCALITY, locality="Mariefred", description="x"
    )
    invitation = Invitation.objects.create(
        event=hidden, batch=batch, name="Bertil Berg", email="bertil@example.se", token="inbjudan"
    )
    held = make_event(title="Frukostmöte i Åkers styckebruk")
    attendee = registration_set_attended(
        registration=make_registration(held, email="kom@example.se"), attended=True
    )
    answered = registration_set_attended(
        registration=make_registration(held, email="svarat@example.se"), attended=True
    )
    make_past(held)
    answered = Registration.objects.select_related("event").get(pk=answered.pk)
    evaluation_submit(registration=answered, overall=5, dialogue_time=4, comment="Bra!")
    return World(
        breakfast,
        full,
        cancelled,
        closed,
        occurrence,
        hidden,
        confirmed,
        waiting,
        withdrawn,
        attendee,
        answered,
        early,
        invitation,
    )


def event_page(pick: Callable[[World], Event]) -> Url:
    return lambda request: pick(_world(request)).get_absolute_url()


def token_page(name: str, pick: Callable[[World], Registration | Invitation]) -> Url:
    return lambda request: reverse(f"events:{name}", kwargs={"token": pick(_world(request)).token})


def the_list(request: pytest.FixtureRequest) -> str:
    _world(request)
    return reverse("events:list")


def empty_list(request: pytest.FixtureRequest) -> str:
    return reverse("events:list")


def unknown_link(request: pytest.FixtureRequest) -> str:
    return reverse("events:registration", kwargs={"token": "finns-inte"})


@dataclass(frozen=True)
class Case:
    id: str
    url: Url
    then: Callable[[Page], None] | None = None
    status: int = 200


CASES = [
    Case("list", the_list),
    Case("list-empty", empty_list),
    Case("event", event_page(lambda w: w.breakfast)),
    Case("event-errors", event_page(lambda w: w.breakfast), then=fill_and_submit(email="anna@")),
    Case("event-full", event_page(lambda w: w.full)),
    Case("event-cancelled", event_page(lambda w: w.cancelled)),
    Case("event-closed", event_page(lambda w: w.closed)),
    Case("event-in-series", event_page(lambda w: w.occurrence)),
    Case(
        "registered",
        event_page(lambda w: w.full),
        then=fill_and_submit(name="Anna Andersson", email="anna@example.se"),
    ),
    Case("registration-confirmed", token_page("registration", lambda w: w.confirmed)),
    Case("registration-waiting", token_page("registration", lambda w: w.waiting)),
    Case("registration-cancelled", token_page("registration", lambda w: w.withdrawn)),
    Case("registration-cancel", token_page("registration", lambda w: w.confirmed), then=submit),
    Case("invitation", token_page("invitation", lambda w: w.invitation)),
    Case(
        "invitation-errors",
        token_page("invitation", lambda w: w.invitation),
        then=fill_and_submit(name=""),
    ),
    Case("evaluation", token_page("evaluate", lambda w: w.attendee)),
    Case("evaluation-errors", token_page("evaluate", lambda w: w.attendee), then=submit),
    Case("evaluation-done", token_page("evaluate", lambda w: w.answered)),
    Case("evaluation-closed", token_page("evaluate", lambda w: w.early)),
    Case("unknown-link", unknown_link, status=404),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_it_has_no_wcag_21_aa_violations(
    request: pytest.FixtureRequest, page: Page, live_server: Any, case: Case
) -> None:
    response = page.goto(live_server.url + case.url(request))
    assert response is not None and response.status == case.status
    if case.then is not None:
        case.then(page)
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n" + "\n".join(violations)
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").count() == 1


def test_the_form_asks_for_an_e_mail_address_and_ties_errors_to_fields(
    request: pytest.FixtureRequest, page: Page, live_server: Any
) -> None:
    world = _world(request)
    page.goto(live_server.url + world.breakfast.get_absolute_url())
    email = page.locator("#id_email")
    assert email.get_attribute("type") == "email"
    assert email.get_attribute("autocomplete") == "email"
    assert page.locator("#id_phone").get_attribute("type") == "tel"
    # The honeypot is out of sight and out of the tab order.
    honeypot = page.locator("#id_website")
    assert honeypot.get_attribute("tabindex") == "-1"
    box = honeypot.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0
    fill_and_submit(name="", email="anna@")(page)
    assert page.get_by_role("alert").first.is_visible()
    assert email.get_attribute("aria-invalid") == "true"
    assert "id_email_error" in (email.get_attribute("aria-describedby") or "")
    assert page.locator("#id_email_error").is_visible()
    assert not Registration.objects.filter(event=world.breakfast, email="anna@").exists()


@pytest.fixture
def narrow_page(browser: Browser) -> Iterator[Page]:
    """The narrowest phone WCAG reflow asks for: 320 CSS pixels."""
    context = browser.new_context(
        locale="sv-SE", viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True
    )
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.id in {"list", "event", "event-errors", "evaluation-errors"}],
    ids=lambda c: c.id,
)
def test_the_pages_fit_a_phone(
    request: pytest.FixtureRequest, narrow_page: Page, live_server: Any, case: Case
) -> None:
    narrow_page.goto(live_server.url + case.url(request))
    if case.then is not None:
        case.then(narrow_page)
    width = narrow_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{width} px wide"
    violations = axe_violations(narrow_page)
    assert not violations, f"{narrow_page.url}\n" + "\n".join(violations)

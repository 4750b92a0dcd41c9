"""The visit pages meet WCAG 2.1 AA (axe-core) with one h1 each — forms shown with their
errors and the company choice list included — and the quick log form and the lists
fit a phone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page

from brygga.accounts.models import User
from brygga.actionplan.tests.factories import (
    ensure_default_statuses,
    make_activity,
    make_area,
    make_program,
)
from brygga.core.testing.browser import (
    axe_violations,
    check_and_submit,
    fill_and_submit,
    log_in,
    submit,
)
from brygga.register.models import Company
from brygga.register.tests.companies_factory import make_company, orgnr
from brygga.visits.models import Feedback, FollowUp, Topic, Visit, VisitKind
from brygga.visits.services.targets import target_set
from brygga.visits.tests.factories import make_feedback, make_follow_up, make_visit

pytestmark = pytest.mark.browser

Url = Callable[[pytest.FixtureRequest], str]


@dataclass
class World:
    bygg: Company
    visit: Visit
    feedback: Feedback
    follow_up: FollowUp
    officers: FollowUp


def _world(request: pytest.FixtureRequest) -> World:
    developer: User = request.getfixturevalue("developer")
    officer: User = request.getfixturevalue("case_officer")
    ensure_default_statuses()  # a live-server test empties them when it ends
    bygg = make_company("Mariefreds Bygg AB", identity=orgnr(4711), postal_town="Mariefred")
    make_company("Mariefreds Byggservice HB", postal_town="Mariefred")
    cafe = make_company("Kafé Ugglan", postal_town="Strängnäs")
    area = make_area(make_program(), title="Snabbare bygglov")
    activity = make_activity(area, title="Bygglovslots")
    visit = make_visit(
        [bygg, cafe], staff=[developer], rating=4, notes="Vill bygga ut.", politicians="Eva Ek"
    )
    make_visit([cafe], date=dt.date(2026, 4, 2), status=Visit.Status.PLANNED)
    make_visit([bygg], date=dt.date(2025, 9, 1), status=Visit.Status.CANCELLED, kind="telefon")
    feedback = make_feedback(visit, "tillstand", "negative", "Tog tid.", company=bygg, area=area)
    make_feedback(visit, "bemotande", "positive", "Bra.", activity=activity)
    follow_up = make_follow_up(visit, owner=developer, due_on=dt.date(2020, 1, 1), title="Ring")
    make_follow_up(visit, owner=developer, due_on=dt.date(2099, 1, 1), title="Boka möte")
    done = make_follow_up(visit, owner=developer, due_on=dt.date(2026, 1, 1), title="Klar")
    FollowUp.objects.filter(pk=done.pk).update(status="done", done_at=dt.datetime.now(dt.UTC))
    officers = make_follow_up(visit, owner=officer, due_on=dt.date(2020, 1, 1), title="Svara")
    target_set(year=2026, visits=300)
    return World(bygg, visit, feedback, follow_up, officers)


def plain(name: str, query: str = "") -> Url:
    def url(request: pytest.FixtureRequest) -> str:
        _world(request)
        return reverse(f"visits:{name}") + query

    return url


def of(name: str, pick: Callable[[World], Any], query: str = "") -> Url:
    def url(request: pytest.FixtureRequest) -> str:
        return reverse(f"visits:{name}", kwargs={"pk": pick(_world(request)).pk}) + query

    return url


def prefilled(request: pytest.FixtureRequest) -> str:
    world = _world(request)
    return reverse("visits:visit_create") + f"?company={world.bygg.url_key}"


def company_page(request: pytest.FixtureRequest) -> str:
    return reverse("register:company_detail", kwargs={"key": _world(request).bygg.url_key})


def bad_filter(page: Page) -> None:
    page.goto(page.url + "?year=tjugo&kind=nope")


visit = lambda w: w.visit  # noqa: E731
feedback = lambda w: w.feedback  # noqa: E731
follow_up = lambda w: w.follow_up  # noqa: E731
kind = lambda w: VisitKind.objects.get(key="lunch")  # noqa: E731
topic = lambda w: Topic.objects.get(key="ovrigt")  # noqa: E731


@dataclass(frozen=True)
class Case:
    id: str
    url: Url
    persona: str = "developer"
    then: Callable[[Page], None] | None = None


CASES = [
    Case("list", plain("visit_list")),
    Case("list-reader", plain("visit_list"), persona="reader"),
    Case("list-bad-filter", plain("visit_list"), then=bad_filter),
    Case("detail", of("visit_detail", visit)),
    Case("detail-reader", of("visit_detail", visit), persona="reader"),
    Case("log", plain("visit_create")),
    Case("log-prefilled", prefilled),
    Case("log-errors", plain("visit_create"), then=fill_and_submit(date="", feedback_text="x")),
    Case("log-choices", plain("visit_create"), then=fill_and_submit(company="Mariefreds Bygg")),
    Case(
        "log-unknown-company",
        plain("visit_create"),
        then=fill_and_submit(company="Finns inte AB", follow_up_title="Ring"),
    ),
    Case("edit", of("visit_edit", visit)),
    Case(
        "edit-errors",
        of("visit_edit", visit),
        then=check_and_submit("#id_rating_0", add_company="Mariefreds Bygg", date=""),
    ),
    Case("delete", of("visit_delete", visit)),
    Case("feedback-add", of("feedback_add", visit)),
    Case("feedback-add-errors", of("feedback_add", visit), then=submit),
    Case("feedback-edit", of("feedback_edit", feedback)),
    Case("feedback-delete", of("feedback_delete", feedback)),
    Case("follow-up-add", of("follow_up_add", visit)),
    Case("follow-up-add-errors", of("follow_up_add", visit), then=fill_and_submit(title="")),
    Case("my-follow-ups", plain("my_follow_ups")),
    Case("my-follow-ups-officer", plain("my_follow_ups"), persona="case_officer"),
    Case("overdue", plain("overdue_follow_ups")),
    Case("overdue-reader", plain("overdue_follow_ups"), persona="reader"),
    Case("follow-up-edit", of("follow_up_edit", follow_up, "?next=/hantera/uppfoljningar/")),
    Case(
        "follow-up-edit-errors",
        of("follow_up_edit", follow_up),
        then=fill_and_submit(title="", due_on=""),
    ),
    Case(
        "follow-up-edit-officer",
        of("follow_up_edit", lambda w: w.officers),
        persona="case_officer",
    ),
    Case("lists", plain("lists")),
    Case("lists-reader", plain("lists"), persona="reader"),
    Case("kind-add", plain("kind_add")),
    Case("kind-add-errors", plain("kind_add"), then=fill_and_submit(label="Lunch", key="x y")),
    Case("kind-edit", of("kind_edit", kind)),
    Case("topic-add", plain("topic_add")),
    Case("topic-edit", of("topic_edit", topic)),
    Case("targets", plain("targets")),
    Case("targets-reader", plain("targets"), persona="reader"),
    Case("targets-errors", plain("targets"), then=fill_and_submit(year="1999", visits="-1")),
    Case("company-page", company_page),
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
    page.goto(live_server.url + plain("visit_create")(request))
    fill_and_submit(company="", date="")(page)
    assert page.get_by_role("alert").first.is_visible()
    assert page.locator("#id_company_error").is_visible()
    assert page.locator("#id_date").get_attribute("aria-invalid") == "true"
    assert "id_date_error" in (page.locator("#id_date").get_attribute("aria-describedby") or "")


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
    ("url", "then"),
    [
        (plain("visit_create"), None),
        (plain("visit_create"), fill_and_submit(company="Mariefreds Bygg", date="")),
        (of("visit_detail", visit), None),
        (plain("visit_list"), None),
        (plain("my_follow_ups"), None),
        (plain("overdue_follow_ups"), None),
        (plain("lists"), None),
        (plain("targets"), None),
    ],
    ids=[
        "log",
        "log-choices-and-errors",
        "detail",
        "list",
        "my-follow-ups",
        "overdue",
        "lists",
        "targets",
    ],
)
def test_the_pages_fit_a_phone_and_stay_accessible_there(
    request: pytest.FixtureRequest,
    narrow_page: Page,
    live_server: Any,
    url: Url,
    then: Callable[[Page], None] | None,
) -> None:
    log_in(narrow_page, live_server.url, request.getfixturevalue("developer"))
    narrow_page.goto(live_server.url + url(request))
    if then is not None:
        then(narrow_page)
    width = narrow_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{width} px wide"
    # Wide tables scroll inside their own region, which the keyboard must reach.
    violations = axe_violations(narrow_page)
    assert not violations, f"{narrow_page.url}\n" + "\n".join(violations)


def test_a_visit_is_logged_from_a_phone(
    request: pytest.FixtureRequest, narrow_page: Page, live_server: Any
) -> None:
    """The whole flow with a thumb: type a part of the name, choose, rate, save."""
    world = _world(request)
    log_in(narrow_page, live_server.url, request.getfixturevalue("developer"))
    narrow_page.goto(live_server.url + reverse("visits:visit_create"))
    narrow_page.locator("#id_company").fill("Mariefreds Bygg")
    submit(narrow_page)
    narrow_page.get_by_label("Mariefreds Bygg AB").check()
    narrow_page.get_by_label("4", exact=True).check()
    narrow_page.get_by_role("button", name="Spara besöket").click()
    narrow_page.wait_for_load_state()
    assert narrow_page.get_by_text("Besöket är sparat.").is_visible()
    logged = Visit.objects.exclude(pk=world.visit.pk).filter(rating=4).get()
    assert list(logged.companies.all()) == [world.bygg]

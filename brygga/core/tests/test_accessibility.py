"""Every page meets WCAG 2.1 AA (axe-core), has sound structure and works by keyboard.

Add a row to PAGES for every new page: the URL name, a factory for its URL
arguments (it gets the pytest request, so it can ask for fixtures), the persona
who looks at it, and optionally an interaction that brings the page into the
state to check (a submitted form with errors, say).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page

from brygga.accounts.models import User
from brygga.core.testing.browser import axe_violations, log_in
from brygga.register.filters import CompanyFilters
from brygga.register.models import (
    Company,
    CompanyName,
    ImportRejection,
    ImportRun,
    SniCode,
    Tag,
)
from brygga.register.services.companies import (
    company_create,
    company_update,
    contact_create,
    note_create,
)
from brygga.register.services.segments import segment_create
from brygga.register.tests.companies_factory import orgnr

pytestmark = pytest.mark.browser

Kwargs = Callable[[pytest.FixtureRequest], dict[str, Any]]


def no_kwargs(request: pytest.FixtureRequest) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class PageCase:
    id: str
    url_name: str
    kwargs: Kwargs = no_kwargs
    persona: str | None = None  # a fixture name from conftest.py; None: anonymous
    then: Callable[[Page], None] | None = None


def _company(request: pytest.FixtureRequest) -> Company:
    """A company with everything the company page shows: names, codes, contacts, history."""
    developer: User = request.getfixturevalue("developer")
    tag = Tag.objects.create(name="Besöksnäring", slug="besoksnaring")
    company = company_create(
        identity=orgnr(42),
        name="Mariefreds Båtvarv AB",
        postal_town="Mariefred",
        tags=[tag],
        actor=developer,
    )
    CompanyName.objects.create(company=company, name="Varvet i Mariefred", kind="bifirma")
    SniCode.objects.create(company=company, system="sni2007", code="33150", position=0)
    contact_create(
        company=company,
        name="Sara Lind",
        email="sara@example.se",
        consents={"processing": True, "mailing": False},
        actor=developer,
    )
    note_create(company=company, text="Vill diskutera bryggplatser.", author=developer)
    company_update(company=company, data={"phone": "0159-100 00"}, actor=developer)
    return company


def company_key(request: pytest.FixtureRequest) -> dict[str, Any]:
    return {"key": _company(request).url_key}


def contact_key(request: pytest.FixtureRequest) -> dict[str, Any]:
    company = _company(request)
    contact = company.contacts.get()
    return {"key": company.url_key, "contact_id": contact.pk}


def segment_key(request: pytest.FixtureRequest) -> dict[str, Any]:
    company = _company(request)
    segment = segment_create(
        name="Mariefred",
        filters=CompanyFilters(town=company.postal_town),
        actor=request.getfixturevalue("developer"),
    )
    return {"pk": segment.pk}


def import_run_key(request: pytest.FixtureRequest) -> dict[str, Any]:
    """A finished run with rejected rows: the report table and its pagination."""
    run = ImportRun.objects.create(
        format=ImportRun.Format.BOLAGSVERKET,
        original_name="bolagsverket_bulkfil.zip",
        state=ImportRun.State.DONE,
        rows_read=3,
        created=1,
        rejected=2,
        created_by=request.getfixturevalue("developer"),
    )
    ImportRejection.objects.create(run=run, line_no=2, reason="Felaktig kontrollsiffra.")
    ImportRejection.objects.create(run=run, line_no=3, reason="Omöjligt datum 2023-02-30.")
    return {"pk": run.pk}


def running_import_key(request: pytest.FixtureRequest) -> dict[str, Any]:
    run = ImportRun.objects.create(
        format=ImportRun.Format.SCB,
        original_name="scb.txt",
        state=ImportRun.State.RUNNING,
        bytes_total=1000,
        bytes_done=400,
    )
    return {"pk": run.pk}


def invalid_reset_link(request: pytest.FixtureRequest) -> dict[str, Any]:
    return {"uidb64": "MQ", "token": "ogiltig-lank"}


def valid_reset_link(request: pytest.FixtureRequest) -> dict[str, Any]:
    user: User = request.getfixturevalue("developer")
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def submit_wrong_login(page: Page) -> None:
    page.get_by_label("E-postadress").fill("nils.utvecklare@example.se")
    page.get_by_label("Lösenord").fill("fel-losenord-123")
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_load_state()


def submit_empty_form(page: Page) -> None:
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()


def submit_bad_email(page: Page) -> None:
    page.get_by_label("E-postadress").fill("inte-en-adress")
    submit_empty_form(page)


def submit_mismatched_passwords(page: Page) -> None:
    page.locator("input[type=password]").nth(0).fill("Bryggan-vid-sjon-41")
    page.locator("input[type=password]").nth(1).fill("Bryggan-vid-sjon-42")
    submit_empty_form(page)


PAGES: list[PageCase] = [
    # Public pages.
    PageCase("home", "core:home"),
    PageCase("home-staff", "core:home", persona="developer"),
    PageCase("login", "accounts:login"),
    PageCase("login-errors", "accounts:login", then=submit_wrong_login),
    PageCase("password-reset", "accounts:password_reset"),
    PageCase("password-reset-errors", "accounts:password_reset", then=submit_bad_email),
    PageCase("password-reset-done", "accounts:password_reset_done"),
    PageCase("password-reset-invalid-link", "accounts:password_reset_confirm", invalid_reset_link),
    PageCase("password-reset-confirm", "accounts:password_reset_confirm", valid_reset_link),
    PageCase(
        "password-reset-confirm-errors",
        "accounts:password_reset_confirm",
        valid_reset_link,
        then=submit_mismatched_passwords,
    ),
    PageCase("password-reset-complete", "accounts:password_reset_complete"),
    # Staff pages.
    PageCase("company-list", "register:company_list", persona="developer"),
    PageCase("company-list-reader", "register:company_list", persona="reader"),
    PageCase("company-detail", "register:company_detail", company_key, persona="developer"),
    PageCase("company-detail-reader", "register:company_detail", company_key, persona="reader"),
    PageCase("company-create", "register:company_create", persona="developer"),
    PageCase(
        "company-create-errors",
        "register:company_create",
        persona="developer",
        then=submit_empty_form,
    ),
    PageCase("company-edit", "register:company_edit", company_key, persona="developer"),
    PageCase("contact-create", "register:contact_create", company_key, persona="developer"),
    PageCase("contact-edit", "register:contact_edit", contact_key, persona="developer"),
    PageCase("contact-delete", "register:contact_delete", contact_key, persona="developer"),
    PageCase("segment-list", "register:segment_list", persona="developer"),
    PageCase("segment-detail", "register:segment_detail", segment_key, persona="developer"),
    PageCase("segment-delete", "register:segment_delete", segment_key, persona="developer"),
    PageCase("import-list", "register:import_list", persona="developer"),
    PageCase(
        "import-list-errors", "register:import_list", persona="developer", then=submit_empty_form
    ),
    PageCase("import-detail", "register:import_detail", import_run_key, persona="developer"),
    PageCase("import-running", "register:import_detail", running_import_key, persona="developer"),
    # Not here: the correction pages, checked in
    # brygga/register/tests/test_corrections_accessibility.py.
    # register:segment_create only answers POST (from the company list's filter form).
]


def _open(request: pytest.FixtureRequest, page: Page, live_server: Any, case: PageCase) -> None:
    if case.persona is not None:
        log_in(page, live_server.url, request.getfixturevalue(case.persona))
    url = live_server.url + reverse(case.url_name, kwargs=case.kwargs(request))
    response = page.goto(url)
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    if case.then is not None:
        case.then(page)


FIRST_FOCUSABLE = """() => {
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, '
        + '[tabindex]:not([tabindex="-1"])';
    const first = [...document.querySelectorAll(selector)].find((el) => !el.disabled);
    return first ? first.className : null;
}"""


@pytest.mark.parametrize("case", PAGES, ids=[case.id for case in PAGES])
def test_it_has_no_wcag_21_aa_violations(
    request: pytest.FixtureRequest, page: Page, live_server: Any, case: PageCase
) -> None:
    _open(request, page, live_server, case)
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n" + "\n".join(violations)


@pytest.mark.parametrize("case", PAGES, ids=[case.id for case in PAGES])
def test_it_has_swedish_language_one_h1_and_one_main(
    request: pytest.FixtureRequest, page: Page, live_server: Any, case: PageCase
) -> None:
    _open(request, page, live_server, case)
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").count() == 1
    assert page.locator("main").count() == 1
    assert page.title().strip() != ""
    assert page.evaluate(FIRST_FOCUSABLE) == "skip-link"


def test_it_reports_form_errors_on_the_login_page(page: Page, live_server: Any, developer: User):
    # Guards the "login-errors" row above: the interaction really produced an error.
    page.goto(live_server.url + reverse("accounts:login"))
    submit_wrong_login(page)
    assert page.get_by_role("alert").inner_text().startswith("Fel e-postadress eller lösenord")


@pytest.mark.parametrize(
    "url_name,persona",
    # Not the login page: its e-mail field takes focus on load (autofocus).
    [
        ("core:home", None),
        ("accounts:password_reset", None),
        ("register:company_list", "developer"),
    ],
)
def test_it_makes_the_skip_link_the_first_stop_and_moves_focus_to_main(
    request: pytest.FixtureRequest, page: Page, live_server: Any, url_name: str, persona: str | None
) -> None:
    if persona is not None:
        log_in(page, live_server.url, request.getfixturevalue(persona))
    page.goto(live_server.url + reverse(url_name))
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.className, document.activeElement.textContent.trim()]"
    )
    assert focused == ["skip-link", "Hoppa till huvudinnehållet"]
    # Visible once focused: a skip link nobody can see helps nobody.
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.tagName") == "MAIN"
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


def test_it_shows_a_visible_focus_outline(page: Page, live_server: Any) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    field = page.get_by_label("E-postadress")
    field.focus()
    page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert outline[0] != "none" and outline[1] >= 2


@pytest.mark.parametrize(
    "url_name,persona",
    [
        ("core:home", None),
        ("accounts:login", None),
        ("register:company_list", "developer"),
    ],
)
def test_it_fits_a_phone_screen_without_horizontal_scrolling(
    request: pytest.FixtureRequest,
    phone_page: Page,
    live_server: Any,
    url_name: str,
    persona: str | None,
) -> None:
    if persona is not None:
        log_in(phone_page, live_server.url, request.getfixturevalue(persona))
    phone_page.goto(live_server.url + reverse(url_name))
    widths = phone_page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[1] == 375
    assert widths[0] <= widths[1], f"page is {widths[0]} px wide on a {widths[1]} px screen"


def test_it_catches_a_violation_when_there_is_one(page: Page, live_server: Any) -> None:
    # The harness itself: an unlabelled field and an image without alt must be reported.
    page.goto(live_server.url + reverse("core:home"))
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML(
            "beforeend", '<input type="text"><img src="/x.png">')"""
    )
    violations = axe_violations(page)
    assert [v.split(" ", 1)[0] for v in violations] == ["image-alt", "label"]
    assert '<img src="/x.png">' in violations[0]

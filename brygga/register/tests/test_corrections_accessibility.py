"""The correction pages meet WCAG 2.1 AA (axe-core) and have one h1, in Swedish."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from brygga.accounts.models import User
from brygga.core.testing.browser import axe_violations, log_in
from brygga.register.models import Company
from brygga.register.selectors_corrections import token_hash
from brygga.register.services.correction_links import correction_link_create
from brygga.register.services.corrections import (
    ContactProposal,
    correction_submit,
)
from brygga.register.tests.corrections_factory import make_company_with_contacts, use_own_cache

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _own_cache(settings: Any, tmp_path: Path) -> None:
    use_own_cache(settings, tmp_path)


def _company(request: pytest.FixtureRequest) -> Company:
    return make_company_with_contacts(request.getfixturevalue("developer"))


def public_form(request: pytest.FixtureRequest) -> str:
    company = _company(request)
    link = correction_link_create(company=company, email=company.email)
    # The token lives only in the e-mail; give this link one we know.
    link.token_hash = token_hash("kand-token-for-test")
    link.save(update_fields=["token_hash"])
    return reverse("register:correction_form", kwargs={"token": "kand-token-for-test"})


def review_list(request: pytest.FixtureRequest) -> str:
    company = _company(request)
    contact = company.contacts.order_by("name").first()
    assert contact is not None
    link = correction_link_create(company=company, email=company.email)
    correction_submit(
        link=link,
        company_data={"phone": "0159-999 99"},
        contacts=[ContactProposal(contact.pk, {"role": "Ägare"}, {})],
    )
    return reverse("register:correction_list")


def send_page(request: pytest.FixtureRequest) -> str:
    return reverse("register:correction_link_send", kwargs={"key": _company(request).url_key})


def fixed(name: str) -> Callable[[pytest.FixtureRequest], str]:
    return lambda request: reverse(name)


def submit_empty(page: Page) -> None:
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()


def break_contact_name(page: Page) -> None:
    page.locator("#id_kontakt-0-name").fill("")
    page.locator("#id_foretag-email").fill("inte-en-adress")
    submit_empty(page)


CASES: list[tuple[str, Callable[[pytest.FixtureRequest], str], str | None, Any]] = [
    ("request", fixed("register:correction_request"), None, None),
    ("request-errors", fixed("register:correction_request"), None, submit_empty),
    ("request-done", fixed("register:correction_request_done"), None, None),
    ("form", public_form, None, None),
    ("form-errors", public_form, None, break_contact_name),
    ("form-sent", public_form, None, submit_empty),
    ("review-list", review_list, "developer", None),
    ("review-list-empty", fixed("register:correction_list"), "developer", None),
    ("send-link", send_page, "developer", None),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_it_has_no_wcag_21_aa_violations(
    request: pytest.FixtureRequest, page: Page, live_server: Any, case: Any
) -> None:
    _id, url_for, persona, then = case
    if persona is not None:
        log_in(page, live_server.url, request.getfixturevalue(persona))
    response = page.goto(live_server.url + url_for(request))
    assert response is not None and response.ok
    if then is not None:
        then(page)
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n" + "\n".join(violations)
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").count() == 1


def test_it_labels_the_consent_checkboxes_in_a_named_group(
    request: pytest.FixtureRequest, page: Page, live_server: Any, developer: User
) -> None:
    page.goto(live_server.url + public_form(request))
    group = page.get_by_role("group", name="Samtycken för Sara Lind 0")
    assert group.get_by_label("Vill få inbjudningar och nyhetsbrev").is_checked()
    assert group.get_by_label("Får finnas med i näringslivskontorets register").is_checked()


def test_the_invalid_link_page_has_no_violations(page: Page, live_server: Any) -> None:
    url = reverse("register:correction_form", kwargs={"token": "finns-inte"})
    response = page.goto(live_server.url + url)
    assert response is not None and response.status == 404
    assert not axe_violations(page)

"""Self-service corrections from the company's side: links by e-mail, the public pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brygga.accounts.models import User
from brygga.core.models import AuditEntry
from brygga.core.outbox_delivery import outbox_deliver_due
from brygga.core.testing.smtp import SmtpServer
from brygga.register.models import Company, ConsentSource, Contact, Correction, CorrectionLink
from brygga.register.selectors_corrections import token_hash
from brygga.register.services.correction_links import correction_link_create
from brygga.register.tests.companies_factory import orgnr
from brygga.register.tests.corrections_factory import (
    contact_prefix,
    form_data,
    link_path_from,
    make_company_with_contacts,
    token_from,
    use_own_cache,
)

REQUEST_URL = reverse("register:correction_request")
DONE_URL = reverse("register:correction_request_done")


@pytest.fixture(autouse=True)
def _own_cache(settings: Any, tmp_path: Path) -> None:
    use_own_cache(settings, tmp_path)


@pytest.fixture
def company(developer: User) -> Company:
    return make_company_with_contacts(developer)


def send_url(company: Company) -> str:
    return reverse("register:correction_link_send", kwargs={"key": company.url_key})


def issue_link(company: Company, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any):
    with django_capture_on_commit_callbacks(execute=True):
        correction_link_create(company=company, email=company.email)
    outbox_deliver_due()
    return link_path_from(SmtpServer.body(smtp_server.messages[-1]))


# ---------------------------------------------------------------- staff send a link


@pytest.mark.django_db
def test_it_mails_a_working_three_part_link_when_staff_send_one(
    client_for,
    developer: User,
    company: Company,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
):
    contact = company.contacts.order_by("name").first()
    assert contact is not None
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(developer).post(send_url(company), {"email": contact.email})
    outbox_deliver_due()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "register:company_detail", kwargs={"key": company.url_key}
    )

    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == contact.email
    assert company.name in message["Subject"]
    text = SmtpServer.body(message, "plain")
    html = SmtpServer.body(message, "html")
    path = link_path_from(text)
    assert path == link_path_from(html)
    assert text.startswith("Hej!")

    # Only the token's hash is kept.
    link = CorrectionLink.objects.get()
    token = token_from(path)
    assert link.token_hash == token_hash(token) != token
    assert link.created_by == developer and not link.requested_by_company
    assert link.expires_at - timezone.now() > dt.timedelta(days=29)

    page = Client().get(path)
    assert page.status_code == 200
    assert company.name in page.content.decode()
    assert contact.name in page.content.decode()


@pytest.mark.django_db
def test_it_puts_the_site_url_in_the_link(
    settings: Any,
    company: Company,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
):
    settings.SITE_URL = "https://brygga.example.se"
    with django_capture_on_commit_callbacks(execute=True):
        correction_link_create(company=company, email=company.email)
    outbox_deliver_due()
    assert "https://brygga.example.se/mitt-foretag/rattelse/" in SmtpServer.body(
        smtp_server.messages[0]
    )


@pytest.mark.django_db
def test_it_refuses_to_send_a_link_to_an_address_the_company_does_not_have(
    client_for,
    developer: User,
    company: Company,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(developer).post(send_url(company), {"email": "ond@example.com"})
    outbox_deliver_due()
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert smtp_server.messages == []
    assert not CorrectionLink.objects.exists()


# ---------------------------------------------------------------- companies ask for a link


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["{org}", "{dash}", "16{org}"])
def test_it_mails_a_link_when_a_company_asks_with_an_address_we_hold(
    company: Company,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
    typed: str,
):
    contact = company.contacts.order_by("name").last()
    assert contact is not None
    org = company.identity
    identity = typed.format(org=org, dash=f"{org[:6]}-{org[6:]}")
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            REQUEST_URL, {"identity": identity, "email": contact.email.upper()}
        )
    outbox_deliver_due()
    assert response.status_code == 302 and response["Location"] == DONE_URL
    assert [m["To"] for m in smtp_server.messages] == [contact.email]
    link = CorrectionLink.objects.get()
    assert link.requested_by_company and link.created_by is None
    assert Client().get(link_path_from(SmtpServer.body(smtp_server.messages[0]))).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "identity,email",
    [
        (orgnr(777), "info1@batvarv.example.se"),  # no such company
        (orgnr(1), "nagon.annan@example.com"),  # an address we do not hold
    ],
    ids=["unknown-company", "unknown-address"],
)
def test_it_answers_the_same_and_sends_nothing_when_nothing_matches(
    company: Company,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
    identity: str,
    email: str,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(REQUEST_URL, {"identity": identity, "email": email})
    outbox_deliver_due()
    assert response.status_code == 302 and response["Location"] == DONE_URL
    assert smtp_server.messages == []
    assert not CorrectionLink.objects.exists()
    done = Client().get(DONE_URL).content.decode()
    assert "Om organisationsnumret och e-postadressen hör ihop" in done


@pytest.mark.django_db
def test_it_explains_an_invalid_org_number_in_swedish(smtp_server: SmtpServer):
    response = Client().post(REQUEST_URL, {"identity": "556677-8890", "email": "a@example.se"})
    assert response.status_code == 200
    assert "inte ett giltigt nummer" in response.content.decode()
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_it_requires_csrf_on_the_public_form(company: Company):
    client = Client(enforce_csrf_checks=True)
    response = client.post(REQUEST_URL, {"identity": company.identity, "email": company.email})
    assert response.status_code == 403
    assert not CorrectionLink.objects.exists()


@pytest.mark.django_db
def test_it_limits_requests_per_ip_with_a_swedish_429_page(
    settings: Any, company: Company, smtp_server: SmtpServer
):
    settings.BRYGGA_PUBLIC_RATE_LIMIT = 3
    client = Client(REMOTE_ADDR="203.0.113.7")
    # A different org number each time, so only the per-IP count can be the one that trips.
    for i in range(3):
        data = {"identity": orgnr(10 + i), "email": "x@example.se"}
        assert client.post(REQUEST_URL, data).status_code == 302
    response = client.post(REQUEST_URL, {"identity": orgnr(6), "email": "y@example.se"})
    assert response.status_code == 429
    assert "För många försök" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    # Another visitor is not affected, and looking at the form is never limited.
    assert client.get(REQUEST_URL).status_code == 200
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert (
        other.post(REQUEST_URL, {"identity": orgnr(20), "email": "x@example.se"}).status_code == 302
    )


@pytest.mark.django_db
def test_it_limits_requests_per_org_number_across_ips(
    settings: Any,
    company: Company,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
):
    settings.BRYGGA_PUBLIC_RATE_LIMIT = 2
    data = {"identity": company.identity, "email": company.email}
    with django_capture_on_commit_callbacks(execute=True):
        for ip in ("192.0.2.1", "192.0.2.2"):
            assert Client(REMOTE_ADDR=ip).post(REQUEST_URL, data).status_code == 302
        response = Client(REMOTE_ADDR="192.0.2.3").post(REQUEST_URL, data)
    outbox_deliver_due()
    assert response.status_code == 429
    assert len(smtp_server.messages) == 2


# ---------------------------------------------------------------- the link itself


@pytest.mark.django_db
def test_it_says_so_when_a_link_has_expired(
    company: Company, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
):
    path = issue_link(company, smtp_server, django_capture_on_commit_callbacks)
    CorrectionLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    for response in (Client().get(path), Client().post(path, {})):
        assert response.status_code == 410
        assert "Länken har gått ut" in response.content.decode()
    assert not Correction.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", ["flip", "short", "long"])
def test_it_says_so_when_a_link_is_unknown_or_tampered(
    company: Company,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
    tamper: str,
):
    path = issue_link(company, smtp_server, django_capture_on_commit_callbacks)
    token = token_from(path)
    bad = {
        "flip": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "short": token[:10],
        "long": token * 4,
    }[tamper]
    response = Client().get(reverse("register:correction_form", kwargs={"token": bad}))
    assert response.status_code == 404
    assert "Länken fungerar inte" in response.content.decode()


@pytest.mark.django_db
def test_it_withdraws_a_consent_at_once_and_logs_it(
    company: Company, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
):
    path = issue_link(company, smtp_server, django_capture_on_commit_callbacks)
    contact = company.contacts.order_by("name").first()
    assert contact is not None and contact.consent_mailing
    client = Client()
    page = client.get(path)
    data = form_data(page)
    del data[f"{contact_prefix(page, contact.pk)}-consent_mailing"]

    response = client.post(path, data, follow=True)

    assert response.status_code == 200
    assert "gäller från och med nu" in response.content.decode()
    contact.refresh_from_db()
    assert contact.consent_mailing is False
    assert contact.consent_mailing_source == ConsentSource.SELF_SERVICE
    assert contact.consent_processing is True  # the other consent is untouched
    entry = AuditEntry.objects.filter(subject_type="register.contact").latest("id")
    assert entry.via == "självservice" and entry.actor is None
    assert entry.changes["consent_mailing"] == [True, False]
    # Nothing else changed, so nothing waits for review.
    assert not Correction.objects.exists()


@pytest.mark.django_db
def test_it_keeps_other_changes_pending_without_touching_the_register(
    company: Company, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
):
    path = issue_link(company, smtp_server, django_capture_on_commit_callbacks)
    first, second = company.contacts.order_by("name")
    client = Client()
    page = client.get(path)
    data = form_data(page)
    data["foretag-phone"] = "0159-999 99"
    data["foretag-employees"] = "12"
    data[f"{contact_prefix(page, first.pk)}-role"] = "Ekonomiansvarig"
    data[f"{contact_prefix(page, second.pk)}-remove"] = "on"
    new = f"kontakt-{len(page.context['formset'].forms) - 1}"
    data.update({f"{new}-name": "Per Holm", f"{new}-email": "per@batvarv.example.se"})
    data[f"{new}-consent_processing"] = "on"

    response = client.post(path, data)

    assert response.status_code == 302 and response["Location"] == path
    correction = Correction.objects.get()
    assert correction.state == Correction.State.PENDING
    assert correction.submitted_by_email == company.email
    assert correction.changes["company"] == {
        "employees": [None, 12],
        "phone": ["0159-100 00", "0159-999 99"],
    }
    by_action = {e["action"]: e for e in correction.changes["contacts"]}
    assert by_action["update"]["id"] == first.pk
    assert by_action["update"]["changes"] == {"role": ["VD", "Ekonomiansvarig"]}
    assert by_action["delete"]["id"] == second.pk
    assert by_action["create"]["changes"]["name"] == [None, "Per Holm"]
    assert by_action["create"]["consents"] == {"processing": True, "mailing": False}
    # The register itself is unchanged until staff approve.
    company.refresh_from_db()
    assert company.phone == "0159-100 00" and company.employees is None
    assert Contact.objects.filter(company=company).count() == 2
    entry = AuditEntry.objects.get(subject_type="register.correction")
    assert entry.action == AuditEntry.Action.CREATE and entry.via == "självservice"
    assert entry.parent_id == str(company.pk)
    assert entry.changes["company.phone"] == ["0159-100 00", "0159-999 99"]
    assert CorrectionLink.objects.get().last_used_at is not None


@pytest.mark.django_db
def test_it_lets_a_link_be_used_more_than_once(
    company: Company, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
):
    path = issue_link(company, smtp_server, django_capture_on_commit_callbacks)
    client = Client()
    for phone in ("0159-111 11", "0159-222 22"):
        data = form_data(client.get(path))
        data["foretag-phone"] = phone
        assert client.post(path, data).status_code == 302
    assert [c.changes["company"]["phone"][1] for c in Correction.objects.order_by("id")] == [
        "0159-111 11",
        "0159-222 22",
    ]


@pytest.mark.django_db
def test_it_refuses_a_contact_of_another_company(
    developer: User,
    company: Company,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
):
    other = make_company_with_contacts(developer, number=2, contacts=1)
    victim = other.contacts.get()
    path = issue_link(company, smtp_server, django_capture_on_commit_callbacks)
    client = Client()
    page = client.get(path)
    data = form_data(page)
    prefix = contact_prefix(page, company.contacts.order_by("name").first().pk)  # type: ignore[union-attr]
    data[f"{prefix}-contact_id"] = str(victim.pk)
    data[f"{prefix}-name"] = "Kapad"
    response = client.post(path, data)
    assert response.status_code == 200
    assert "Kontaktpersonen hör inte till företaget" in response.content.decode()
    victim.refresh_from_db()
    assert victim.name != "Kapad"
    assert not Correction.objects.exists()


@pytest.mark.django_db
def test_it_shows_form_errors_and_writes_nothing_on_bad_input(
    company: Company, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
):
    path = issue_link(company, smtp_server, django_capture_on_commit_callbacks)
    contact = company.contacts.order_by("name").first()
    assert contact is not None
    client = Client()
    page = client.get(path)
    data = form_data(page)
    data["foretag-email"] = "inte-en-adress"
    data[f"{contact_prefix(page, contact.pk)}-name"] = ""
    del data[f"{contact_prefix(page, contact.pk)}-consent_mailing"]
    response = client.post(path, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ange en giltig mejladress" in body
    assert "Ange kontaktpersonens namn" in body
    contact.refresh_from_db()
    assert contact.consent_mailing is True  # nothing half-written
    assert not Correction.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("contacts", [1, 6])
def test_it_shows_the_public_page_in_a_fixed_number_of_queries(
    developer: User,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
    django_assert_num_queries: Any,
    contacts: int,
):
    company = make_company_with_contacts(developer, number=3, contacts=contacts)
    path = issue_link(company, smtp_server, django_capture_on_commit_callbacks)
    client = Client()
    # link (with company), company, contacts, SNI codes
    with django_assert_num_queries(4):
        assert client.get(path).status_code == 200

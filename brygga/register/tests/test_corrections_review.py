"""Self-service corrections from the staff side: who may do what, review, conflicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from brygga.accounts.models import User
from brygga.core.models import AuditEntry
from brygga.register.models import Company, ConsentSource, Contact, Correction, CorrectionLink
from brygga.register.services.companies import company_update
from brygga.register.services.correction_links import correction_link_create
from brygga.register.services.corrections import (
    ContactProposal,
    correction_submit,
)
from brygga.register.tests.corrections_factory import make_company_with_contacts, use_own_cache

LIST_URL = reverse("register:correction_list")


@pytest.fixture(autouse=True)
def _own_cache(settings: Any, tmp_path: Path) -> None:
    use_own_cache(settings, tmp_path)


@pytest.fixture
def company(developer: User) -> Company:
    return make_company_with_contacts(developer)


def submit(company: Company, *, company_data: dict[str, Any], contacts=()) -> Correction:
    """A correction as the public page makes one (the link's e-mail is never sent here)."""
    link = correction_link_create(company=company, email=company.email)
    result = correction_submit(link=link, company_data=company_data, contacts=list(contacts))
    assert result.correction is not None
    return result.correction


def review_url(correction: Correction) -> str:
    return reverse("register:correction_review", kwargs={"pk": correction.pk})


def decide(client: Client, correction: Correction, decision: str, **extra: str) -> Any:
    data = {f"r{correction.pk}-decision": decision}
    data.update({f"r{correction.pk}-{k}": v for k, v in extra.items()})
    return client.post(review_url(correction), data, follow=True)


# ---------------------------------------------------------------- roles


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona,status",
    [("admin_user", 200), ("developer", 200), ("case_officer", 403), ("reader", 403)],
)
def test_it_lets_only_the_office_review_and_send_links(
    request: pytest.FixtureRequest,
    client_for,
    company: Company,
    persona: str,
    status: int,
    smtp_server: Any,
):
    correction = submit(company, company_data={"phone": "070-1"})
    client = client_for(request.getfixturevalue(persona))
    assert client.get(LIST_URL).status_code == status
    send = reverse("register:correction_link_send", kwargs={"key": company.url_key})
    assert client.get(send).status_code == status
    response = client.post(review_url(correction), {f"r{correction.pk}-decision": "approve"})
    assert response.status_code == (302 if status == 200 else 403)
    correction.refresh_from_db()
    expected = Correction.State.APPROVED if status == 200 else Correction.State.PENDING
    assert correction.state == expected


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(company: Company):
    correction = submit(company, company_data={"phone": "070-1"})
    send = reverse("register:correction_link_send", kwargs={"key": company.url_key})
    for response in (
        Client().get(LIST_URL),
        Client().get(send),
        Client().post(send, {"email": company.email}),
        Client().post(review_url(correction), {f"r{correction.pk}-decision": "approve"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    correction.refresh_from_db()
    assert correction.state == Correction.State.PENDING
    assert CorrectionLink.objects.count() == 1  # only the one submit() made


# ---------------------------------------------------------------- review


@pytest.mark.django_db
def test_it_applies_an_approved_correction_through_the_register_services(
    client_for, developer: User, company: Company
):
    first, second = company.contacts.order_by("name")
    correction = submit(
        company,
        company_data={"phone": "0159-999 99", "employees": 12},
        contacts=[
            ContactProposal(first.pk, {"role": "Ekonomiansvarig"}, {}),
            ContactProposal(second.pk, {}, {}, remove=True),
            ContactProposal(
                None, {"name": "Per Holm", "email": "per@example.se"}, {"processing": True}
            ),
        ],
    )
    page = client_for(developer).get(LIST_URL).content.decode()
    assert "0159-100 00" in page and "0159-999 99" in page

    response = decide(client_for(developer), correction, "approve", comment="Stämmer.")

    assert "Rättelsen för Mariefreds Båtvarv 1 AB är godkänd." in response.content.decode()
    company.refresh_from_db()
    assert (company.phone, company.employees) == ("0159-999 99", 12)
    first.refresh_from_db()
    assert first.role == "Ekonomiansvarig"
    assert not Contact.objects.filter(pk=second.pk).exists()
    per = Contact.objects.get(name="Per Holm")
    assert per.consent_processing and per.consent_processing_source == ConsentSource.SELF_SERVICE
    assert not per.consent_mailing
    correction.refresh_from_db()
    assert correction.state == Correction.State.APPROVED
    assert correction.reviewed_by == developer and correction.review_comment == "Stämmer."
    entry = AuditEntry.objects.filter(subject_type="register.company").latest("id")
    assert entry.actor == developer
    assert entry.via == "självservice, godkänd av Nils Utvecklare"
    assert entry.changes["phone"] == ["0159-100 00", "0159-999 99"]
    # Reviewed corrections leave the list.
    assert "0159-999 99" not in client_for(developer).get(LIST_URL).content.decode()


@pytest.mark.django_db
def test_it_rejects_with_a_comment_and_changes_nothing(
    client_for, developer: User, company: Company
):
    correction = submit(company, company_data={"phone": "0159-999 99"})
    response = decide(client_for(developer), correction, "reject")
    assert "Skriv varför rättelsen avslås." in response.content.decode()
    correction.refresh_from_db()
    assert correction.state == Correction.State.PENDING

    decide(client_for(developer), correction, "reject", comment="Fel nummer.")
    correction.refresh_from_db()
    assert correction.state == Correction.State.REJECTED
    assert correction.review_comment == "Fel nummer."
    company.refresh_from_db()
    assert company.phone == "0159-100 00"
    entry = AuditEntry.objects.filter(subject_type="register.correction").latest("id")
    assert entry.actor == developer and entry.changes["state"] == ["pending", "rejected"]


@pytest.mark.django_db
def test_it_does_not_review_a_correction_twice(client_for, developer: User, company: Company):
    correction = submit(company, company_data={"phone": "0159-999 99"})
    decide(client_for(developer), correction, "reject", comment="Nej.")
    response = decide(client_for(developer), correction, "approve")
    assert "Rättelsen är redan granskad." in response.content.decode()
    company.refresh_from_db()
    assert company.phone == "0159-100 00"


@pytest.mark.django_db
def test_it_shows_and_keeps_changes_made_in_the_register_meanwhile(
    client_for, developer: User, admin_user: User, company: Company
):
    correction = submit(company, company_data={"phone": "0159-999 99", "postal_town": "Åker"})
    company_update(company=company, data={"phone": "0159-555 55"}, actor=admin_user)

    page = client_for(developer).get(LIST_URL).content.decode()
    assert "(ändrad sedan inskickningen)" in page and "0159-555 55" in page

    response = decide(client_for(developer), correction, "approve")
    assert "de ändrats i registret sedan företaget skickade in: Telefon" in (
        response.content.decode()
    )
    company.refresh_from_db()
    assert company.phone == "0159-555 55"  # not silently overwritten
    assert company.postal_town == "Åker"  # the rest went through
    correction.refresh_from_db()
    assert "Telefon" in correction.review_comment


@pytest.mark.django_db
def test_it_overwrites_a_changed_value_only_when_asked(
    client_for, developer: User, admin_user: User, company: Company
):
    correction = submit(company, company_data={"phone": "0159-999 99"})
    company_update(company=company, data={"phone": "0159-555 55"}, actor=admin_user)
    decide(client_for(developer), correction, "approve", overwrite_conflicts="on")
    company.refresh_from_db()
    assert company.phone == "0159-999 99"


@pytest.mark.django_db
def test_it_rolls_back_an_approval_with_an_invalid_value(
    client_for, developer: User, company: Company
):
    link = correction_link_create(company=company, email=company.email)
    correction = Correction.objects.create(
        company=company,
        link=link,
        submitted_by_email=company.email,
        changes={
            "company": {"phone": ["0159-100 00", "0159-999 99"], "email": [company.email, "x@"]},
            "contacts": [],
        },
    )
    response = decide(client_for(developer), correction, "approve")
    assert response.status_code == 200
    assert "Ange en giltig mejladress" in response.content.decode()
    company.refresh_from_db()
    assert company.phone == "0159-100 00"  # nothing half-written
    correction.refresh_from_db()
    assert correction.state == Correction.State.PENDING


@pytest.mark.django_db
def test_it_escapes_what_companies_send(client_for, developer: User, company: Company):
    evil = '<script>alert("x")</script>'
    contact = company.contacts.order_by("name").first()
    assert contact is not None
    submit(
        company,
        company_data={"name": evil},
        contacts=[ContactProposal(contact.pk, {"role": '"><img src=x onerror=alert(1)>'}, {})],
    )
    page = client_for(developer).get(LIST_URL).content.decode()
    assert evil not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 20])
def test_it_lists_pending_corrections_in_a_fixed_number_of_queries(
    client_for, developer: User, django_assert_num_queries: Any, count: int
):
    for number in range(count):
        company = make_company_with_contacts(developer, number=100 + number, contacts=2)
        contact = company.contacts.order_by("name").first()
        assert contact is not None
        submit(
            company,
            company_data={"phone": f"070-{number}"},
            contacts=[ContactProposal(contact.pk, {"role": "Ägare"}, {})],
        )
    client = client_for(developer)
    # session, user, count, corrections (with company and link), contacts
    with django_assert_num_queries(5):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert response.content.decode().count('class="card" id="rattelse-') == count

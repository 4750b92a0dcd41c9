from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.accounts.models import User
from brygga.core.models import AuditEntry
from brygga.register.models import Company, Contact, Note, Tag
from brygga.register.tests.companies_factory import make_company, orgnr

CREATE = reverse("register:company_create")


def detail(company: Company, name: str = "company_detail", **kw) -> str:
    return reverse(f"register:{name}", kwargs={"key": company.url_key, **kw})


@pytest.mark.django_db
def test_it_creates_a_company_from_an_org_number_with_hyphen(client_for, developer: User):
    tag = Tag.objects.create(name="Besöksnäring", slug="besoksnaring")
    d = orgnr(5)
    response = client_for(developer).post(
        CREATE,
        {"identity": f"{d[:6]}-{d[6:]}", "name": "Nytt AB", "status": "active", "tags": [tag.pk]},
    )
    company = Company.objects.get(identity=d)
    assert response.status_code == 302
    assert response["Location"] == detail(company)
    assert list(company.tags.all()) == [tag]
    assert company.search_text == "nytt ab"
    assert AuditEntry.objects.filter(subject_id=str(company.pk), action="create").count() == 1


@pytest.mark.django_db
def test_it_rejects_a_wrong_check_digit_in_swedish_and_writes_nothing(client_for, developer):
    bad = orgnr(5)[:9] + str((int(orgnr(5)[9]) + 1) % 10)
    response = client_for(developer).post(
        CREATE, {"identity": bad, "name": "Fel AB", "status": "active"}
    )
    assert response.status_code == 200
    assert "kontrollsiffra" in response.content.decode()
    assert not Company.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_duplicate_company_with_a_message(client_for, developer: User):
    make_company("Finns AB", identity=orgnr(6))
    response = client_for(developer).post(
        CREATE, {"identity": orgnr(6), "name": "Dubblett AB", "status": "active"}
    )
    assert response.status_code == 200
    assert "finns redan" in response.content.decode()
    assert Company.objects.count() == 1


@pytest.mark.django_db
def test_it_requires_a_date_when_deregistering(client_for, developer: User):
    company = make_company("Gammalt AB")
    url = detail(company, "company_edit")
    response = client_for(developer).post(url, {"name": "Gammalt AB", "status": "deregistered"})
    assert "Ange datum" in response.content.decode()
    company.refresh_from_db()
    assert company.status == "active"


@pytest.mark.django_db
def test_it_edits_a_company_and_logs_old_and_new(client_for, developer: User):
    company = make_company("Gammalt Namn AB", postal_town="Mariefred")
    client = client_for(developer)
    form = client.get(detail(company, "company_edit")).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k != "tags"}
    data.update(name="Nytt Namn AB", advertising_block="")
    response = client.post(detail(company, "company_edit"), data)
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.name == "Nytt Namn AB"
    assert company.postal_town == "Mariefred"
    assert company.search_text == "nytt namn ab"
    entry = AuditEntry.objects.get(subject_id=str(company.pk), action="update")
    assert entry.changes == {"name": ["Gammalt Namn AB", "Nytt Namn AB"]}
    assert entry.actor == developer


@pytest.mark.django_db
def test_it_adds_edits_and_deletes_a_contact_with_consents(client_for, developer: User):
    company = make_company("Kontakt AB")
    client = client_for(developer)
    client.post(
        detail(company, "contact_create"),
        {"name": "Eva Björk", "email": "eva@example.se", "consent_mailing": "on"},
    )
    contact = Contact.objects.get(company=company)
    assert contact.consent_mailing and not contact.consent_processing
    assert contact.consent_mailing_source == "staff" and contact.consent_mailing_at
    client.post(
        detail(company, "contact_edit", contact_id=contact.pk),
        {"name": "Eva Björk", "email": "eva@example.se", "consent_processing": "on"},
    )
    contact.refresh_from_db()
    assert contact.consent_processing and not contact.consent_mailing
    client.post(detail(company, "contact_delete", contact_id=contact.pk))
    assert not Contact.objects.exists()
    actions = list(
        AuditEntry.objects.filter(parent_id=str(company.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "delete", "update"]


@pytest.mark.django_db
def test_it_rejects_an_invalid_contact_email(client_for, developer: User):
    company = make_company("Kontakt AB")
    response = client_for(developer).post(
        detail(company, "contact_create"), {"name": "X", "email": "inte-en-adress"}
    )
    assert response.status_code == 200
    assert "giltig mejladress" in response.content.decode()
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_it_adds_a_note_and_refuses_an_empty_one(client_for, case_officer: User):
    company = make_company("Anteckning AB")
    client = client_for(case_officer)
    response = client.post(detail(company, "note_create"), {"text": "  Ringde om lokal.  "})
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.text, note.author) == ("Ringde om lokal.", case_officer)
    response = client.post(detail(company, "note_create"), {"text": "   "})
    assert response.status_code == 200
    assert Note.objects.count() == 1

from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.accounts.models import User
from brygga.core.models import AuditEntry
from brygga.register.models import Company, CompanyName, Contact, Note, SniCode, Tag
from brygga.register.services.companies import (
    company_create,
    company_update,
    contact_create,
    note_create,
)
from brygga.register.tests.companies_factory import make_companies, orgnr, pnr


def page_url(company: Company) -> str:
    return reverse("register:company_detail", kwargs={"key": company.url_key})


@pytest.fixture
def company(developer: User) -> Company:
    tag = Tag.objects.create(name="Företagarna Stallarholmen", slug="foretagarna-stallarholmen")
    c = company_create(
        identity=orgnr(1),
        name="Stallarholmens Trä AB",
        postal_town="Stallarholmen",
        tags=[tag],
        actor=developer,
    )
    CompanyName.objects.create(company=c, name="Trä & Virke i Stallarholmen", kind="bifirma")
    SniCode.objects.create(company=c, system="sni2007", code="16100", position=0)
    SniCode.objects.create(company=c, system="sni2025", code="16110", position=1)
    contact_create(
        company=c,
        name="Karin Ek",
        email="karin@example.se",
        consents={"processing": True, "mailing": True},
        actor=developer,
    )
    note_create(company=c, text="Besökt i maj, vill ha hjälp med bygglov.", author=developer)
    company_update(company=c, data={"phone": "0152-123 45"}, actor=developer)
    return c


@pytest.mark.django_db
def test_it_shows_details_names_codes_tags_contacts_notes_and_history(
    client_for, developer: User, company: Company
):
    body = client_for(developer).get(page_url(company)).content.decode()
    for text in [
        "Stallarholmens Trä AB",
        f"{orgnr(1)[:6]}-{orgnr(1)[6:]}",
        "Trä &amp; Virke i Stallarholmen",
        "16100",
        "SNI 2025",
        "Företagarna Stallarholmen",
        "Karin Ek",
        "Registrerat av personal",
        "Besökt i maj",
        "0152-123 45",
        "Nils Utvecklare",
        "Historik",
    ]:
        assert text in body, text
    # old → new on the phone change
    assert "telefon: \N{EN DASH} → 0152-123 45" in body


@pytest.mark.django_db
def test_it_hides_contacts_and_history_from_a_reader(client_for, reader: User, company: Company):
    body = client_for(reader).get(page_url(company)).content.decode()
    assert "Stallarholmens Trä AB" in body
    assert "Karin Ek" not in body
    assert "Historik" not in body
    assert "Ny anteckning" not in body


@pytest.mark.django_db
def test_it_masks_a_sole_traders_personnummer_in_details_and_history(
    client_for, developer: User, case_officer: User
):
    p = pnr(7)
    c = company_create(identity=p, name="Firma Per Lind", actor=developer)
    body = client_for(case_officer).get(page_url(c)).content.decode()
    # Not even in links: a sole trader's URL key is not the personnummer.
    assert f"{p[:8]}-{p[8:]}" not in body
    assert p not in body
    assert p not in page_url(c)
    assert f"{p[:8]}-****" in body
    assert f"{p[:8]}-{p[8:]}" in client_for(developer).get(page_url(c)).content.decode()


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_company(client_for, developer: User):
    url = reverse("register:company_detail", kwargs={"key": orgnr(999)})
    assert client_for(developer).get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 60])
@pytest.mark.parametrize("others", [10, 1000])
def test_it_renders_the_company_page_in_constant_queries(
    client_for,
    developer: User,
    company: Company,
    django_assert_num_queries,
    extra: int,
    others: int,
):
    make_companies(others, start=100)
    for i in range(extra):
        contact_create(company=company, name=f"Kontakt {i}", actor=developer)
        note_create(company=company, text=f"Anteckning {i}", author=developer)
    client = client_for(developer)
    # session, user, company, other names, SNI codes, tags, notes+authors, contacts,
    # history with its actors, the latest visits with their kinds.
    with django_assert_num_queries(10):
        response = client.get(page_url(company))
    assert response.status_code == 200
    assert len(response.context["history"]) == 3 + 2 * extra + 1
    assert Contact.objects.filter(company=company).count() == 1 + extra
    assert Note.objects.filter(company=company).count() == 1 + extra


@pytest.mark.django_db
def test_it_lists_history_newest_first_including_contacts_and_notes(
    client_for, developer: User, company: Company
):
    history = client_for(developer).get(page_url(company)).context["history"]
    types = [row.entry.subject_type for row in history]
    assert types == ["register.company", "register.note", "register.contact", "register.company"]
    assert history[0].entry.action == AuditEntry.Action.UPDATE


@pytest.mark.django_db
def test_it_offers_a_correction_link_only_to_those_who_may_send_one(
    client_for, developer: User, case_officer: User, company: Company
):
    link = reverse("register:correction_link_send", kwargs={"key": company.url_key})
    assert link in client_for(developer).get(page_url(company)).content.decode()
    assert link not in client_for(case_officer).get(page_url(company)).content.decode()

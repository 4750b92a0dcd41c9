from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.accounts.models import User
from brygga.register.models import Company, Contact, SniCode, Tag
from brygga.register.tests.companies_factory import make_companies, make_company, orgnr, pnr

URL = reverse("register:company_list")


def names(response) -> list[str]:
    return [c.name for c in response.context["page_obj"]]


@pytest.mark.django_db
def test_it_finds_companies_by_part_of_name_case_insensitively(client_for, developer: User):
    make_company("Mariefreds Bygg AB")
    make_company("Åkers Måleri HB")
    make_company("Strängnäs Bageri AB")
    response = client_for(developer).get(URL, {"q": "BYGG"})
    assert names(response) == ["Mariefreds Bygg AB"]
    response = client_for(developer).get(URL, {"q": "åkers måleri"})
    assert names(response) == ["Åkers Måleri HB"]


@pytest.mark.django_db
def test_it_finds_companies_by_other_names(client_for, developer: User):
    make_company("Nya Namnet AB", other_names=["Gamla Snickeriet"])
    response = client_for(developer).get(URL, {"q": "snickeriet"})
    assert names(response) == ["Nya Namnet AB"]


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["{d}", "{d6}-{d4}", "16{d}", " {d6} {d4} "])
def test_it_finds_a_company_by_org_number_in_any_form(client_for, developer: User, form: str):
    d = orgnr(4711)
    make_company("Rätt AB", identity=d)
    make_company("Fel AB", identity=orgnr(4712))
    query = form.format(d=d, d6=d[:6], d4=d[6:])
    assert names(client_for(developer).get(URL, {"q": query})) == ["Rätt AB"]


@pytest.mark.django_db
def test_it_finds_a_sole_trader_by_ten_or_twelve_digit_personnummer(client_for, developer: User):
    p = pnr(12)
    make_company("Firma Eva Ek", identity=p, identity_kind="pnr")
    client = client_for(developer)
    assert names(client.get(URL, {"q": p[2:8] + "-" + p[8:]})) == ["Firma Eva Ek"]
    assert names(client.get(URL, {"q": p})) == ["Firma Eva Ek"]


@pytest.mark.django_db
def test_it_sorts_names_in_swedish_order(client_for, developer: User):
    for name in ["Östra AB", "ängen AB", "Zeta AB", "Åkern AB", "alfa AB", "Beta AB"]:
        make_company(name)
    response = client_for(developer).get(URL)
    assert names(response) == ["alfa AB", "Beta AB", "Zeta AB", "Åkern AB", "ängen AB", "Östra AB"]


@pytest.mark.django_db
def test_it_filters_on_town_status_tag_consent_advertising_block_and_sni(
    client_for, developer: User
):
    tag = Tag.objects.create(name="Besöksnäring", slug="besoksnaring")
    a = make_company("A-bolaget", postal_town="MARIEFRED", advertising_block=True)
    b = make_company("B-bolaget", postal_town="Strängnäs")
    c = make_company(
        "C-bolaget", postal_town="Mariefred", status="deregistered", deregistered_on="2024-01-01"
    )
    a.tags.add(tag)
    Contact.objects.create(company=b, name="Kim", consent_mailing=True)
    Contact.objects.create(company=c, name="Ola", consent_mailing=False)
    SniCode.objects.create(company=b, system="sni2007", code="43210")
    SniCode.objects.create(company=c, system="sni2007", code="56100")
    client = client_for(developer)
    assert names(client.get(URL, {"town": "mariefred"})) == ["A-bolaget", "C-bolaget"]
    assert names(client.get(URL, {"status": "deregistered"})) == ["C-bolaget"]
    assert names(client.get(URL, {"tag": "besoksnaring"})) == ["A-bolaget"]
    assert names(client.get(URL, {"consent": "1"})) == ["B-bolaget"]
    assert names(client.get(URL, {"ad_block": "yes"})) == ["A-bolaget"]
    assert names(client.get(URL, {"ad_block": "no"})) == ["B-bolaget", "C-bolaget"]
    assert names(client.get(URL, {"sni": "F"})) == ["B-bolaget"]
    assert names(client.get(URL, {"sni": "I", "town": "Mariefred"})) == ["C-bolaget"]


@pytest.mark.django_db
def test_it_shows_a_swedish_error_for_an_unknown_filter_value(client_for, developer: User):
    response = client_for(developer).get(URL, {"sni": "Ö", "status": "nonsense"})
    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert "Välj ett giltigt alternativ" in response.content.decode()


@pytest.mark.django_db
def test_it_paginates_fifty_per_page(client_for, developer: User):
    make_companies(120)
    client = client_for(developer)
    first = client.get(URL)
    assert len(names(first)) == 50
    assert first.context["page_obj"].paginator.num_pages == 3
    last = client.get(URL, {"sida": "3"})
    assert names(last)[-1] == "Företag 00119 AB"
    assert len(names(client.get(URL, {"sida": "nonsense"}))) == 50


@pytest.mark.django_db
def test_it_masks_personnummer_for_roles_without_the_right(
    client_for, developer: User, case_officer: User
):
    p = pnr(3)
    make_company("Firma Test", identity=p, identity_kind="pnr")
    full = f"{p[:8]}-{p[8:]}"
    assert full in client_for(developer).get(URL).content.decode()
    body = client_for(case_officer).get(URL).content.decode()
    assert full not in body
    assert f"{p[:8]}-****" in body


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 1000])
def test_it_lists_companies_in_constant_queries(
    client_for, developer: User, django_assert_num_queries, size: int
):
    make_companies(size, postal_town="Mariefred")
    client = client_for(developer)
    # session, user, tags for the filter form, count, page
    with django_assert_num_queries(5):
        response = client.get(URL, {"town": "Mariefred"})
    assert response.status_code == 200
    assert len(names(response)) == min(size, 50)
    # a name search finds and orders the matching ids in one query (the count is
    # their number), then reads the page's companies
    with django_assert_num_queries(5):
        response = client.get(URL, {"q": "företag"})
    assert len(names(response)) == min(size, 50)
    assert Company.objects.count() == size

"""The quick log form's company choice without JavaScript: an org number in any form
or a name; one match is used, several are offered as a radio list (at most 20), none
or nothing is explained; a misspelling is offered, never guessed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from brygga.accounts.models import User
from brygga.register.models import Company
from brygga.register.services.search_words import search_words_refresh
from brygga.register.tests.companies_factory import make_companies, make_company, orgnr, pnr
from brygga.visits.models import Visit, VisitKind

pytestmark = pytest.mark.django_db

URL = reverse("visits:visit_create")


def post(client: Any, **data: Any) -> Any:
    payload: dict[str, Any] = {
        "company": "",
        "company_pick": "",
        "company_searched": "",
        "date": "2026-03-04",
        "kind": str(VisitKind.objects.get(key="besok").pk),
        "feedback_sentiment": "neutral",
    }
    payload.update(data)
    return client.post(URL, {k: v for k, v in payload.items() if v is not None})


def errors(response: Any, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


@pytest.fixture
def bygg() -> Company:
    return make_company("Mariefreds Bygg AB", identity=orgnr(4711), postal_town="Mariefred")


# ---------------------------------------------------------------- finding the company


@pytest.mark.parametrize("typed", ["5500047112", "550004-7112", " 550004-7112 ", "16550004-7112"])
def test_an_org_number_in_any_form_finds_the_company(
    client_for: Any, developer: User, bygg: Company, typed: str
) -> None:
    assert orgnr(4711) == "5500047112"
    response = post(client_for(developer), company=typed)
    assert response.status_code == 302, response.context["form"].errors
    assert list(Visit.objects.get().companies.all()) == [bygg]


def test_a_name_matching_one_company_is_used(
    client_for: Any, developer: User, bygg: Company
) -> None:
    make_company("Strängnäs Kafé AB")
    response = post(client_for(developer), company="mariefreds bygg")
    assert response.status_code == 302
    assert list(Visit.objects.get().companies.all()) == [bygg]


def test_a_name_matching_several_shows_them_to_choose_from(
    client_for: Any, developer: User, bygg: Company
) -> None:
    other = make_company("Mariefreds Byggservice HB", postal_town="Mariefred")
    make_company(
        "Mariefreds Bygg Konkursbo AB",
        status=Company.Status.DEREGISTERED,
        deregistered_on=dt.date(2020, 1, 1),
    )
    client = client_for(developer)
    response = post(client, company="Mariefreds Bygg", follow_up_title="")
    assert response.status_code == 200
    assert not Visit.objects.exists()
    # An exact name would have been clear; "Mariefreds Bygg" is a part of two names.
    # The deregistered company is not offered.
    assert errors(response, "company") == [
        "2 företag matchar ”Mariefreds Bygg”. Välj ett av dem nedan."
    ]
    picker = response.context["form"].pickers["company"]
    assert {c.pk for c in picker.candidates} == {bygg.pk, other.pk}
    assert picker.checked is None and picker.searched == "Mariefreds Bygg"
    html = response.content.decode()
    assert 'name="company_searched" value="Mariefreds Bygg"' in html
    assert "Mariefreds Byggservice HB" in html and "Konkursbo" not in html

    # Choosing one from the list saves it.
    response = post(
        client,
        company="Mariefreds Bygg",
        company_searched="Mariefreds Bygg",
        company_pick=str(other.pk),
    )
    assert response.status_code == 302
    assert list(Visit.objects.get().companies.all()) == [other]


def test_an_exact_name_among_several_matches_is_used(
    client_for: Any, developer: User, bygg: Company
) -> None:
    make_company("Mariefreds Bygg AB Filial")
    response = post(client_for(developer), company="Mariefreds  bygg ab")
    assert response.status_code == 302
    assert list(Visit.objects.get().companies.all()) == [bygg]


def test_typing_something_new_searches_again_instead_of_the_old_choice(
    client_for: Any, developer: User, bygg: Company
) -> None:
    cafe = make_company("Kafé Ugglan", identity=orgnr(4712))
    response = post(
        client_for(developer),
        company="kafé ugglan",
        company_searched="Mariefreds Bygg",
        company_pick=str(bygg.pk),
    )
    assert response.status_code == 302
    assert list(Visit.objects.get().companies.all()) == [cafe]


def test_more_than_twenty_matches_shows_twenty_and_asks_for_more(
    client_for: Any, developer: User
) -> None:
    make_companies(25, prefix="Strängnäs Snickeri")
    response = post(client_for(developer), company="snickeri")
    picker = response.context["form"].pickers["company"]
    assert len(picker.candidates) == 20 and picker.more == 5
    assert errors(response, "company") == [
        "25 företag matchar ”snickeri”. Välj ett av de 20 första nedan, "
        "eller skriv mer av namnet eller organisationsnumret."
    ]
    assert "5 företag till matchar" in response.content.decode()


def test_a_misspelt_name_is_offered_but_never_guessed(
    client_for: Any, developer: User, bygg: Company
) -> None:
    # A misspelling both databases correct: pg_trgm similarity 0.57, difflib 0.89.
    search_words_refresh()
    response = post(client_for(developer), company="Mariefreds Byggx")
    assert response.status_code == 200 and not Visit.objects.exists()
    assert errors(response, "company") == [
        "Inget företag matchade ”Mariefreds Byggx”. Menade du något av företagen nedan?"
    ]
    picker = response.context["form"].pickers["company"]
    assert picker.candidates == [bygg] and picker.checked is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Ange ett företag: organisationsnummer eller namn."),
        ("   ", "Ange ett företag: organisationsnummer eller namn."),
        ("Finns Inte AB", "Inget aktivt företag i registret matchar ”Finns Inte AB”."),
        ("556677-8899", "Inget aktivt företag i registret har organisationsnumret ”556677-8899”."),
    ],
    ids=["empty", "blank", "unknown-name", "unknown-number"],
)
def test_a_missing_or_unknown_company_is_explained(
    client_for: Any, developer: User, bygg: Company, typed: str, message: str
) -> None:
    response = post(client_for(developer), company=typed)
    assert response.status_code == 200
    assert errors(response, "company") == [message]
    assert not Visit.objects.exists()


def test_a_pick_of_a_company_that_is_gone_is_explained(client_for: Any, developer: User) -> None:
    response = post(client_for(developer), company_pick="999999")
    assert errors(response, "company") == [
        "Det valda företaget finns inte längre i registret. Sök igen."
    ]
    response = post(client_for(developer), company_pick="abc")
    assert errors(response, "company") == ["Ange ett företag: organisationsnummer eller namn."]


def test_the_choices_name_each_company_as_the_register_does(
    client_for: Any, developer: User
) -> None:
    make_company("Anna Andersson Måleri", identity=pnr(1), identity_kind="pnr")
    make_company("Anna Andersson Städ", identity=pnr(2), identity_kind="pnr", postal_town="Åker")
    response = post(client_for(developer), company="anna andersson")
    html = response.content.decode()
    # The office sees personnummer in the register too (RegisterPerm.VIEW_PERSONAL_NUMBER).
    assert f"{pnr(1)[:8]}-{pnr(1)[8:]}" in html
    assert f"{pnr(2)[:8]}-{pnr(2)[8:]}, Åker" in html


HOSTILE = [
    '"',
    "'",
    "%",
    "_",
    "*",
    'NEAR("bygg" "ab")',
    "bygg OR kafé",
    "\\",
    "<script>alert(1)</script>",
    "--",
    "16",
    "0000000000",
    "99-99-99",
    "x" * 201,
    "\x00",
]


@pytest.mark.parametrize("typed", HOSTILE)
def test_hostile_company_text_is_answered_never_a_500(
    client_for: Any, developer: User, bygg: Company, typed: str
) -> None:
    client = client_for(developer)
    response = post(client, company=typed)
    assert response.status_code == 200
    assert response.context["form"].errors["company"]
    assert "<script>alert" not in response.content.decode()
    listed = client.get(reverse("visits:visit_list"), {"company": typed})
    assert listed.status_code == 200

"""The API: authentication, permissions, masking, search, lookup by key, schema."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from brygga.accounts.models import User
from brygga.register import search
from brygga.register.models import Company, SniCode, Tag
from brygga.register.services.companies import company_create

LIST_URL = "/api/v1/companies/"
PNR = "191212121212"


def _company(identity: str, name: str, **fields: object) -> Company:
    return company_create(identity=identity, name=name, **fields)  # type: ignore[arg-type]


@pytest.fixture
def register(db: None) -> dict[str, Company]:
    tag = Tag.objects.create(name="Besöksnäring", slug="besoksnaring", kind=Tag.Kind.TRADE)
    cafe = _company(
        "556036-0793",
        "Mariefreds Kafé AB",
        legal_form="AB",
        postal_code="64730",
        postal_town="MARIEFRED",
        tags=[tag],
    )
    SniCode.objects.create(company=cafe, system="sni2007", code="56100", position=0)
    SniCode.objects.create(company=cafe, system="sni2007", code="47240", position=1)
    gone = _company(
        "2120000365",
        "Gamla Bryggeriet HB",
        legal_form="HB",
        status=Company.Status.DEREGISTERED,
        deregistered_on=dt.date(2021, 3, 1),
        postal_town="STRÄNGNÄS",
    )
    sole = _company(PNR, "Tolvans Snickeri", legal_form="E", postal_town="STALLARHOLMEN")
    sole_second = company_create(
        identity=PNR, name="Tolvans Båtvarv", name_protection_no=2, legal_form="E"
    )
    return {"cafe": cafe, "gone": gone, "sole": sole, "sole_second": sole_second}


def _token_client(user: User) -> APIClient:
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_it_lists_companies_with_a_token(register, developer):
    response = _token_client(developer).get(LIST_URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    cafe = next(c for c in body["results"] if c["name"] == "Mariefreds Kafé AB")
    assert cafe == {
        "org_number": "556036-0793",
        "identity_kind": "org",
        "name_protection_no": 0,
        "name": "Mariefreds Kafé AB",
        "legal_form": "AB",
        "status": "active",
        "deregistered_on": None,
        "registered_on": None,
        "sni_codes": ["56100", "47240"],
        "sni_system": "sni2007",
        "postal_code": "64730",
        "postal_town": "MARIEFRED",
        "tags": ["Besöksnäring"],
    }


def test_it_accepts_a_token_made_by_drf_create_token(register, developer):
    out = io.StringIO()
    call_command("drf_create_token", developer.email, stdout=out)
    key = Token.objects.get(user=developer).key
    assert key in out.getvalue()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(LIST_URL).status_code == 200


def test_it_accepts_a_staff_session(register, reader, client_for):
    response = client_for(reader).get(LIST_URL)
    assert response.status_code == 200
    assert response.json()["count"] == 4


@pytest.mark.parametrize(
    "url", [LIST_URL, f"{LIST_URL}5560360793/", "/api/schema/"], ids=["list", "detail", "schema"]
)
def test_it_refuses_anonymous_callers(register, url):
    response = Client().get(url)
    assert response.status_code in (401, 403)
    assert "Kafé" not in response.content.decode()


def test_it_refuses_a_wrong_token(register):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get(LIST_URL).status_code == 401


def test_it_refuses_a_deactivated_user(register, developer):
    client = _token_client(developer)
    developer.is_active = False
    developer.save(update_fields=["is_active"])
    assert client.get(LIST_URL).status_code in (401, 403)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin_user", "19121212-1212"),
        ("developer", "19121212-1212"),
        ("case_officer", "19121212-****"),
        ("reader", "19121212-****"),
    ],
)
def test_it_masks_the_personnummer_per_role(register, request, persona, expected):
    client = _token_client(request.getfixturevalue(persona))
    listed = client.get(LIST_URL, {"search": "tolvans"}).json()["results"]
    assert {c["org_number"] for c in listed} == {expected}
    detail = client.get(f"{LIST_URL}{PNR}-2/").json()
    assert detail["org_number"] == expected
    if expected.endswith("****"):
        assert "1212-1212" not in client.get(LIST_URL).content.decode()


def test_it_searches_by_name_case_insensitively(register, reader):
    results = _token_client(reader).get(LIST_URL, {"search": "KAFÉ"}).json()["results"]
    assert [c["name"] for c in results] == ["Mariefreds Kafé AB"]


@pytest.mark.parametrize("form", ["556036-0793", "5560360793", "165560360793", "556036"])
def test_it_searches_by_org_number_in_any_form(register, reader, form):
    results = _token_client(reader).get(LIST_URL, {"search": form}).json()["results"]
    assert [c["name"] for c in results] == ["Mariefreds Kafé AB"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"town": "mariefred"}, ["Mariefreds Kafé AB"]),
        ({"status": "deregistered"}, ["Gamla Bryggeriet HB"]),
        ({"sni": "I"}, ["Mariefreds Kafé AB"]),
        ({"tag": "besoksnaring", "search": "kafé"}, ["Mariefreds Kafé AB"]),
        ({"tag": "besoksnaring", "search": "tolvans"}, []),
    ],
)
def test_it_filters_like_the_staff_list(register, reader, params, expected):
    results = _token_client(reader).get(LIST_URL, params).json()["results"]
    assert [c["name"] for c in results] == expected


def test_it_explains_a_bad_filter(register, reader):
    response = _token_client(reader).get(LIST_URL, {"status": "sovande", "search": "x" * 10})
    assert response.status_code == 400
    assert list(response.json()) == ["status"]


def test_it_finds_nothing_for_an_unknown_name(register, reader):
    body = _token_client(reader).get(LIST_URL, {"search": "finns inte"}).json()
    assert body["count"] == 0
    assert body["results"] == []


@pytest.mark.parametrize("form", ["556036-0793", "5560360793", "165560360793"])
def test_it_fetches_a_company_by_org_number_in_any_form(register, reader, form):
    response = _token_client(reader).get(f"{LIST_URL}{form}/")
    assert response.status_code == 200
    assert response.json()["name"] == "Mariefreds Kafé AB"


def test_it_reports_a_deregistered_company(register, reader):
    body = _token_client(reader).get(f"{LIST_URL}212000-0365/").json()
    assert body["status"] == "deregistered"
    assert body["deregistered_on"] == "2021-03-01"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (PNR, "Tolvans Snickeri"),
        ("19121212-1212", "Tolvans Snickeri"),
        (f"{PNR}-2", "Tolvans Båtvarv"),
        ("19121212-1212-2", "Tolvans Båtvarv"),
        (f"{PNR}-0", "Tolvans Snickeri"),
    ],
)
def test_it_picks_a_sole_traders_business_by_lopnummer(register, developer, key, expected):
    response = _token_client(developer).get(f"{LIST_URL}{key}/")
    assert response.status_code == 200
    assert response.json()["name"] == expected


@pytest.mark.parametrize("key", ["5560360792", "5566778899", "not-a-number", f"{PNR}-7", "12345"])
def test_it_answers_404_for_an_unknown_or_malformed_key(register, reader, key):
    assert _token_client(reader).get(f"{LIST_URL}{key}/").status_code == 404


def _many_companies(n: int) -> None:
    tags = [Tag.objects.create(name=f"Nätverk {i}", slug=f"natverk-{i}") for i in range(3)]
    base = 5560000000
    made = 0
    candidate = base
    from stdnum.se import orgnr

    while made < n:
        candidate += 1
        if not orgnr.is_valid(str(candidate)):
            continue
        company = _company(str(candidate), f"Företag {made}", tags=tags[: made % 3])
        SniCode.objects.create(company=company, system="sni2007", code="62010", position=0)
        made += 1


@pytest.mark.parametrize("n", [10, 120])
def test_it_lists_in_a_constant_number_of_queries(developer, django_assert_num_queries, n):
    _many_companies(n)
    client = _token_client(developer)
    # token+user, tag choices for the filter form, count, page, SNI codes, tags
    with django_assert_num_queries(6):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(n, 50)
    # a search: token+user, tag choices, matching ids in order, page, SNI codes, tags
    with django_assert_num_queries(6):
        response = client.get(LIST_URL, {"search": "företag"})
    assert response.status_code == 200
    assert response.json()["count"] == n
    assert response.json()["truncated"] is False
    assert len(response.json()["results"]) == min(n, 50)


def test_it_fetches_one_company_in_a_constant_number_of_queries(
    register, developer, django_assert_num_queries
):
    client = _token_client(developer)
    # token+user, company, SNI codes, tags
    with django_assert_num_queries(4):
        response = client.get(f"{LIST_URL}5560360793/")
    assert response.status_code == 200


def test_it_serves_a_valid_openapi_schema_to_staff(reader, client_for):
    from drf_spectacular.validation import validate_schema

    response = client_for(reader).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/companies/" in schema["paths"]
    assert "/api/v1/companies/{org_number}/" in schema["paths"]
    company = schema["components"]["schemas"]["Company"]["properties"]
    for field in ("org_number", "name", "legal_form", "status", "sni_codes", "postal_town"):
        assert field in company


def test_it_generates_the_schema_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/companies/" in out.read_text()


def test_it_says_when_a_search_matched_more_than_it_lists(
    developer, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(search, "SEARCH_LIMIT", 4)
    _many_companies(6)
    client = _token_client(developer)
    response = client.get(LIST_URL, {"search": "företag"})
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["truncated"], len(body["results"])) == (4, True, 4)
    assert client.get(LIST_URL).json()["truncated"] is False

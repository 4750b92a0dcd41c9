"""The insights API: who may call it, what it says about bad parameters, the schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from brygga.insights.tests.data import office_year

VISITS = "/api/v1/insights/visits/"
SUGGESTIONS = "/api/v1/insights/visit-suggestions/"


@pytest.mark.parametrize("url", [VISITS, SUGGESTIONS])
def test_anonymous_callers_are_refused(db: None, url: str) -> None:
    assert Client().get(url).status_code in (401, 403)


def test_case_officers_see_figures_but_not_suggestions(client_for: Any, case_officer: Any) -> None:
    client = client_for(case_officer)
    assert client.get(VISITS).status_code == 200
    assert client.get(SUGGESTIONS).status_code == 403


def test_the_year_defaults_to_this_year(client_for: Any, reader: Any, developer: Any) -> None:
    office_year(developer)
    body = client_for(reader).get(VISITS).json()
    assert body["year"] == timezone.localdate().year
    assert (body["visits"], body["companies_visited"], body["active_companies"]) == (2, 2, 6)
    assert body["target"] == 300


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"year": "abc"}, "year", "Ange året med fyra siffror"),
        ({"year": "1999"}, "year", "2000 eller senare"),
        ({"year": "2101"}, "year", "2100 eller tidigare"),
    ],
)
def test_a_bad_year_is_a_400_with_a_reason(
    client_for: Any, reader: Any, query: dict[str, str], field: str, message: str
) -> None:
    for url in (VISITS, SUGGESTIONS):
        response = client_for(reader).get(url, query)
        assert response.status_code == 400
        assert message in response.json()[field][0]


@pytest.mark.parametrize(
    ("n", "message"), [("0", "minst 1"), ("101", "Högst 100"), ("x", "heltal")]
)
def test_a_bad_count_is_a_400_with_a_reason(
    client_for: Any, reader: Any, n: str, message: str
) -> None:
    response = client_for(reader).get(SUGGESTIONS, {"n": n})
    assert response.status_code == 400
    assert message in response.json()["n"][0]


def test_suggestions_have_the_documented_fields(
    client_for: Any, developer: Any, reader: Any
) -> None:
    office_year(developer)
    body = client_for(reader).get(SUGGESTIONS, {"n": 3}).json()
    assert len(body) == 3
    assert {"org_number", "name", "reason"} <= set(body[0])
    assert all(item["reason"] for item in body)


def test_the_schema_documents_both_endpoints_without_warnings(db: None, capsys: Any) -> None:
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert VISITS in paths and SUGGESTIONS in paths
    params = {p["name"] for p in paths[SUGGESTIONS]["get"]["parameters"]}
    assert params == {"year", "n"}

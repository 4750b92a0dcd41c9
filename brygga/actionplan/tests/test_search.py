"""Search over the public programs, areas and activities: results with counts, clear
messages for an empty query or no match, and hostile queries that never break the page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from brygga.actionplan.models import Activity
from brygga.actionplan.selectors import SEARCH_LIMIT
from brygga.actionplan.tests.factories import (
    bulk_activities,
    make_activity,
    make_area,
    make_program,
)
from brygga.actionplan.views.public import QUERY_MAX

pytestmark = pytest.mark.django_db

SEARCH = reverse("actionplan:search")


def search(client: Client, query: str) -> str:
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def search_raw(client: Client, raw_query_string: str) -> str:
    response = client.get(f"{SEARCH}?{raw_query_string}")
    assert response.status_code == 200
    return response.content.decode()


def text_of(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def box_value(page: str) -> str | None:
    match = re.search(r'<input type="search" name="q" value="([^"]*)"', page)
    return match.group(1) if match else None


@pytest.fixture
def plan() -> Activity:
    program = make_program(title="Topp 50-2017", summary="Upphandling och dialog.")
    area = make_area(program, title="Bättre upphandling", description="Om offentlig upphandling.")
    make_activity(
        area,
        title="Inför återkommande upphandlingsmöte",
        status="done",
        status_text="Ett första möte ägde rum på Mötesplats Stallarholmen.",
    )
    make_activity(area, title="Utvärdering för anbudsgivare", status="investigating")
    make_activity(area, title="Hemligt upphandlingsutkast", published=False)
    make_activity(
        make_area(program, title="Åkers styckebruk"),
        title="Nystart för näringslivet i Åker",
        description="En workshop i Motstugan.",
    )
    return make_activity(
        make_area(make_program(title="Dold upphandlingsplan", published=False), title="Dolt"),
        title="Upphandling i ett dolt program",
    )


def test_it_finds_programs_areas_and_activities_with_counts(client: Client, plan: Any) -> None:
    page = search(client, "upphandling")
    text = text_of(page)
    assert "<title>Sökresultat för ”upphandling”" in page
    assert "3 träffar på ”upphandling”." in text
    assert "Program (1)" in text and "Topp 50-2017" in text
    assert "Förbättringsområden (1)" in text and "Bättre upphandling" in text
    assert "Aktiviteter (1)" in text and "Inför återkommande upphandlingsmöte" in text
    activity = Activity.objects.get(title="Inför återkommande upphandlingsmöte")
    assert f'href="{activity.get_absolute_url()}"' in page
    assert '<span class="ap-status ap-status-done">Avklarad</span>' in page
    # Drafts and unpublished programs are not found.
    assert "Hemligt upphandlingsutkast" not in page
    assert "Dold upphandlingsplan" not in page and "dolt program" not in page
    assert box_value(page) == "upphandling"


def test_it_needs_every_word_and_searches_the_texts(client: Client, plan: Any) -> None:
    text = text_of(search(client, "möte stallarholmen"))
    assert "1 träff på ”möte stallarholmen”." in text
    assert "Inför återkommande upphandlingsmöte" in text


def test_it_ignores_case_in_swedish_letters(client: Client, plan: Any) -> None:
    for query in ["åker", "ÅKER", "Åker"]:
        text = text_of(search(client, query))
        assert "Nystart för näringslivet i Åker" in text, query
        assert "Åkers styckebruk" in text, query


def test_it_says_so_when_nothing_matched(client: Client, plan: Any) -> None:
    page = search(client, "simbassäng")
    assert "Ingen träff på ”simbassäng”." in text_of(page)
    assert "Aktiviteter (" not in page
    assert box_value(page) == "simbassäng"


@pytest.mark.parametrize("query", ["", "   ", "\t"])
def test_it_asks_for_words_when_the_query_is_empty(client: Client, plan: Any, query: str) -> None:
    page = search(client, query)
    assert "<title>Sök i handlingsplanen" in page
    assert "Skriv ett eller flera ord" in text_of(page)
    assert "träff" not in text_of(page)


def test_it_asks_for_words_without_any_query_at_all(client: Client) -> None:
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert "Skriv ett eller flera ord" in text_of(response.content.decode())


def test_it_escapes_markup_in_the_query(client: Client, plan: Any) -> None:
    query = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
    page = search(client, query)
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert (
        box_value(page)
        == "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
    )


def test_it_refuses_a_very_long_query_with_a_clear_message(client: Client, plan: Any) -> None:
    page = search(client, "upphandling " * 2000)
    text = text_of(page)
    assert f"Skriv en kortare sökning, högst {QUERY_MAX} tecken." in text
    assert "Sökningen gjordes inte." in text
    assert "<title>Fel i sökningen: Sök i handlingsplanen" in page
    assert 'aria-invalid="true" aria-describedby="id_q_error"' in page
    assert 'id="id_q_error"' in page
    assert "Aktiviteter (" not in page


def test_it_searches_a_query_of_the_longest_allowed_length(client: Client, plan: Any) -> None:
    query = ("upphandling " * 20)[:QUERY_MAX]
    assert "3 träffar" in text_of(search(client, query))


@pytest.mark.parametrize(
    "raw",
    [
        "q=%00upphandling",  # NUL
        "q=upphandling%E2%80%AE",  # right-to-left override
        "q=%ED%A0%80",  # a lone surrogate, as UTF-8 (invalid)
        "q=%FF%FE",  # not UTF-8 at all
        "q=%F0%9F%9A%80+%F0%9F%8C%8D",  # emoji
        "q=%E2%80%8B",  # zero-width space only
        "q=100%25",  # a LIKE wildcard
        "q=_",  # another one
        "q=a&q=b",  # twice
        "q=upphandling" + "%CC%81" * 300,  # combining accents
    ],
)
def test_it_survives_odd_unicode_and_wildcards(client: Client, plan: Any, raw: str) -> None:
    page = search_raw(client, raw)
    assert "Sök i handlingsplanen" in page
    assert "\x00" not in page


def test_it_treats_like_wildcards_as_plain_characters(client: Client, plan: Any) -> None:
    assert "Ingen träff på ”%”." in text_of(search(client, "%"))
    assert "Ingen träff på ”_”." in text_of(search(client, "_"))


def test_it_keeps_the_query_in_the_address(client: Client, plan: Any) -> None:
    page = search_raw(client, "q=" + quote("återkommande möte"))
    assert box_value(page) == "återkommande möte"
    assert "1 träff" in text_of(page)


def test_it_lists_at_most_the_limit_and_says_so(client: Client) -> None:
    area = make_area(make_program())
    bulk_activities(area, SEARCH_LIMIT + 5)
    page = search(client, "aktivitet")
    assert page.count('<span class="ap-status ap-status-') == SEARCH_LIMIT
    assert f"Vi visar högst {SEARCH_LIMIT} av varje slag" in text_of(page)


@pytest.mark.parametrize("size", [5, 500])
def test_it_searches_with_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any, size: int
) -> None:
    for n in range(3):
        program = make_program(title=f"Program {n} om aktivitet")
        bulk_activities(make_area(program, title=f"Område {n} aktivitet"), size)
    with django_assert_num_queries(3):
        page = search(client, "aktivitet")
    assert "Program (3)" in text_of(page)
    assert f"Aktiviteter ({min(3 * size, SEARCH_LIMIT)})" in text_of(page)
    with django_assert_num_queries(0):
        search(client, "")

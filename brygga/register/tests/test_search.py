"""The name search: its limit, misspelt words, and the word list behind them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.accounts.models import User
from brygga.register import search
from brygga.register.filters import CompanyFilters
from brygga.register.models import Company, SearchWord
from brygga.register.search import SearchResult, company_search
from brygga.register.selectors import company_export_rows, company_list
from brygga.register.services.companies import company_create, company_update
from brygga.register.services.search_words import search_words_refresh
from brygga.register.tests.companies_factory import make_companies, make_company, orgnr

URL = reverse("register:company_list")


def listed(q: str) -> SearchResult:
    result = company_list(CompanyFilters(q=q))
    assert isinstance(result, SearchResult)
    return result


@pytest.mark.django_db
def test_it_lists_at_most_the_limit_and_says_so(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(search, "SEARCH_LIMIT", 5)
    make_companies(8, prefix="Bygg")
    make_company("Annat AB")
    result = listed("bygg")
    assert (result.count(), result.capped) == (5, True)
    assert len(result[0:50]) == 5
    # The export takes every match, not only those listed.
    assert company_export_rows(CompanyFilters(q="bygg")).count() == 8
    exact = listed("bygg 00003")
    assert (exact.count(), exact.capped) == (1, False)


@pytest.mark.django_db
def test_it_pages_the_ordered_matches(monkeypatch: pytest.MonkeyPatch):
    make_companies(7, prefix="Kafé")
    make_company("Gamla Kafé AB")
    result = listed("kafé")
    # Names that start with the search first, then name order; each page is a slice.
    assert [c.name for c in result[0:3]] == ["Kafé 00000 AB", "Kafé 00001 AB", "Kafé 00002 AB"]
    assert [c.name for c in result[6:10]] == ["Kafé 00006 AB", "Gamla Kafé AB"]
    assert result[-1].name == "Gamla Kafé AB"
    assert [c.name for c in result][:1] == ["Kafé 00000 AB"]


@pytest.mark.django_db
def test_it_corrects_a_misspelt_word_to_one_a_name_holds():
    make_company("Stallarholmens Snickeri AB")
    make_company("Mariefreds Måleri AB")
    search_words_refresh()
    result = listed("stallarholm snixkeri")
    assert [c.name for c in result] == ["Stallarholmens Snickeri AB"]
    # The word every name holds a part of is kept as typed.
    assert result.corrected == "stallarholm snickeri"
    assert [c.name for c in listed("målxri")] == ["Mariefreds Måleri AB"]


@pytest.mark.django_db
def test_it_finds_nothing_for_a_word_like_no_name():
    make_company("Stallarholmens Snickeri AB")
    search_words_refresh()
    result = listed("qwzzkv")
    assert (result.count(), result.corrected) == (0, "")
    # A correct word that simply is not in the filtered set is not "corrected".
    assert company_search(Company.objects.filter(pk=-1), "snickeri").corrected == ""


@pytest.mark.django_db
def test_the_word_list_follows_the_companies():
    company = company_create(identity=orgnr(17), name="Vansö Växthus AB")
    assert {"vansö", "växthus"} <= set(SearchWord.objects.values_list("word", flat=True))
    company_update(company=company, data={"name": "Fogdö Blommor AB"})
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert {"fogdö", "blommor"} <= words
    # Adding never removes; the rebuild after an import drops words no name holds.
    assert "växthus" in words
    assert search_words_refresh() == SearchWord.objects.count()
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert "växthus" not in words and "ab" not in words
    assert {"fogdö", "blommor"} <= words


@pytest.mark.django_db
def test_the_list_page_says_when_a_search_was_corrected_or_cut(
    client_for, developer: User, monkeypatch: pytest.MonkeyPatch
):
    make_company("Stallarholmens Snickeri AB")
    search_words_refresh()
    client = client_for(developer)
    body = client.get(URL, {"q": "snixkeri"}).content.decode()
    assert "Inga företag matchade ”snixkeri”. Visar 1 företag för ”snickeri”." in body
    assert "Stallarholmens Snickeri AB" in body

    monkeypatch.setattr(search, "SEARCH_LIMIT", 3)
    make_companies(5, prefix="Snickeri")
    body = client.get(URL, {"q": "snickeri"}).content.decode()
    assert "Fler än 3 företag matchar sökningen. 3 av dem visas" in body

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import QuerySet

from brygga.register.filters import CompanyFilters
from brygga.register.selectors import company_list
from brygga.register.sni import SECTIONS, section_of
from brygga.register.tests.companies_factory import make_companies, make_company


def test_it_maps_sni_codes_to_their_sections():
    letters = [
        getattr(section_of(code), "letter", None) for code in ("01110", "43210", "56100", "99000")
    ]
    assert letters == ["A", "F", "I", "U"]
    assert section_of("04000") is None
    divisions = [d for s in SECTIONS.values() for d in s.divisions]
    assert len(divisions) == len(set(divisions)) == 88


@pytest.mark.django_db
def test_it_requires_every_word_of_the_search():
    make_company("Mariefreds Bygg AB")
    make_company("Mariefreds Måleri AB")
    names = [c.name for c in company_list(CompanyFilters(q="bygg mariefred"))]
    assert names == ["Mariefreds Bygg AB"]


@pytest.mark.django_db
def test_it_ranks_names_that_start_with_the_search_first():
    make_company("Alfa Bageri AB")
    make_company("Bageri Öst AB")
    names = [c.name for c in company_list(CompanyFilters(q="bageri"))]
    assert names == ["Bageri Öst AB", "Alfa Bageri AB"]


@pytest.mark.django_db
def test_it_walks_the_swedish_name_index_for_the_unfiltered_list():
    make_companies(30)
    qs = company_list(CompanyFilters())
    assert isinstance(qs, QuerySet)
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN {'QUERY PLAN ' if connection.vendor == 'sqlite' else ''}{sql}", params
        )
        plan = " ".join(str(row) for row in cursor.fetchall())
    if connection.vendor == "sqlite":
        # On PostgreSQL a 30-row table is read sequentially whatever the index.
        assert "register_company_name_sv_idx" in plan
        assert "TEMP B-TREE" not in plan


@pytest.mark.django_db
def test_it_keeps_the_search_indexes_after_all_migrations():
    """A later migration that rebuilds the company table on SQLite drops raw indexes."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master")
            expected = {
                "register_company_name_sv_idx",
                "register_company_fts",
                "register_company_fts_ai",
                "register_company_fts_ad",
                "register_company_fts_au",
            }
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename='register_company'")
            expected = {"register_company_name_sv_idx", "register_company_search_trgm"}
        assert expected <= {row[0] for row in cursor.fetchall()}

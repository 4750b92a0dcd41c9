"""Section 3 of issue 4 by hand: a small register whose figures are worked out below,
checked against the selector and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Q, QuerySet

from brygga.insights.selectors import representativeness, visit_coverage
from brygga.register.models import Company, SniCode
from brygga.register.services.companies import company_update
from brygga.register.tests.companies_factory import make_company
from brygga.visits.services.targets import target_set
from brygga.visits.tests.factories import make_visit, set_sni

D = dt.date


def _company(name: str, sni: str | None, town: str, size: str, **fields: Any) -> Company:
    company = make_company(name, postal_town=town, size_class=size, **fields)
    if sni:
        set_sni(company, sni)
    return company


@pytest.fixture
def register_2025(db: None) -> dict[str, Company]:
    """Thirteen companies; ten are active at the end of 2025 (see the test's comments)."""
    c = {
        "A1": _company(
            "A1 Bygg AB", "43210", "Mariefred", "1-4 anställda", registered_on=D(2010, 1, 1)
        ),
        "A2": _company("A2 Bygg AB", "43220", "Strängnäs", "1-4 anställda"),
        "A3": _company("A3 Handel AB", "47110", "Strängnäs", "5-9 anställda"),
        "A4": _company("A4 Handel AB", "47190", "Strängnäs", "5-9 anställda"),
        "A5": _company("A5 Krog AB", "56100", "Mariefred", ""),
        "A6": _company("A6 Okänd AB", None, "", "0 anställda"),
        "A7": _company("A7 Data AB", "62010", "Åkers styckebruk", "1-4 anställda"),
        # Registered after the year: not active in it.
        "N1": _company(
            "N1 Ny AB", "43210", "Strängnäs", "1-4 anställda", registered_on=D(2026, 1, 1)
        ),
        # Deregistered within the year: not active at its end.
        "D1": _company(
            "D1 Slut AB", "43999", "Strängnäs", "1-4 anställda",
            status=Company.Status.DEREGISTERED, deregistered_on=D(2025, 6, 30),
        ),
        # Deregistered after the year: active at its end.
        "D2": _company(
            "D2 Senare AB", "47300", "Strängnäs", "10-19 anställda",
            status=Company.Status.DEREGISTERED, deregistered_on=D(2026, 2, 1),
        ),
        # Deregistered, date unknown: not active.
        "D3": _company(
            "D3 Okänt slut AB", "47300", "Strängnäs", "", status=Company.Status.DEREGISTERED
        ),
        # No registration date, an SNI 2025 code only: active, section "?".
        "R0": _company("R0 Gammal AB", None, "Stallarholmen", "1-4 anställda"),
        "A8": _company("A8 Gård AB", "01110", "Mariefred", "1-4 anställda"),
    }  # fmt: skip
    SniCode.objects.create(company=c["R0"], system=SniCode.System.SNI2025, code="47111", position=0)
    # A8's primary SNI 2007 code is agriculture; its second code (trade) does not count.
    SniCode.objects.create(company=c["A8"], system=SniCode.System.SNI2007, code="47110", position=1)

    make_visit([c["A1"]], date=D(2025, 3, 1))
    make_visit([c["A2"]], date=D(2025, 5, 1))
    make_visit([c["A2"]], date=D(2025, 6, 1))  # a second visit, the same company
    make_visit([c["A6"], c["A1"]], date=D(2025, 8, 1), kind="lunch")  # two companies
    make_visit([c["N1"]], date=D(2025, 4, 1))  # a visit, but not an active company
    make_visit([c["D1"]], date=D(2025, 2, 1))  # likewise
    make_visit([c["A4"]], date=D(2025, 10, 1), status="planned")  # not held
    make_visit([c["A5"]], date=D(2025, 9, 1), status="cancelled")  # not held
    make_visit([c["A7"]], date=D(2024, 12, 31))  # the year before
    make_visit([c["A3"]], date=D(2026, 1, 1))  # the year after
    target_set(year=2025, visits=250)
    return c


# Worked out by hand from the fixture:
# active (10): A1 A2 A3 A4 A5 A6 A7 D2 R0 A8; visited (3): A1 A2 A6; held visits in 2025: 6.
# Sections, (companies, visited): F (2, 2), G (3, 0), I (1, 0), J (1, 0), A (1, 0), ? (2, 1).
# D = ½ (|2/3 - 2/10| + 3/10 + 1/10 + 1/10 + 1/10 + |1/3 - 2/10|) = ½ · 1.2 = 0.6.
EXPECTED = {
    "year": 2025,
    "target": 250,
    "visits": 6,
    "companies_visited": 3,
    "active_companies": 10,
    "coverage": 0.3,
    "representativeness": 0.4,
}
SECTIONS = {"A": (1, 0), "F": (2, 2), "G": (3, 0), "I": (1, 0), "J": (1, 0), "?": (2, 1)}
LOCALITIES = {
    "Strängnäs": (4, 1),
    "Mariefred": (3, 1),
    "Stallarholmen": (1, 0),
    "Åkers styckebruk": (1, 0),
    "?": (1, 1),
}
SIZES = {
    "0 anställda": (1, 1),
    "1-4 anställda": (5, 2),
    "5-9 anställda": (2, 0),
    "10-19 anställda": (1, 0),
    "?": (1, 0),
}


def _pairs(groups: list[Any]) -> dict[str, tuple[int, int]]:
    return {g["key"]: (g["companies"], g["visited"]) for g in groups}


def test_selector_matches_the_hand_computed_figures(register_2025: Any) -> None:
    coverage = visit_coverage(2025)
    assert coverage.year == 2025
    assert coverage.target == 250
    assert coverage.visits == 6
    assert coverage.companies_visited == 3
    assert coverage.active_companies == 10
    assert coverage.coverage == pytest.approx(0.3)
    assert coverage.representativeness == pytest.approx(0.4)
    assert {g.key: (g.companies, g.visited) for g in coverage.by_sni_section} == SECTIONS
    assert {g.key: (g.companies, g.visited) for g in coverage.by_locality} == LOCALITIES
    assert {g.key: (g.companies, g.visited) for g in coverage.by_size_class} == SIZES
    # Sections in letter order with "?" last; size classes by their first number.
    assert [g.key for g in coverage.by_sni_section] == ["A", "F", "G", "I", "J", "?"]
    assert [g.key for g in coverage.by_size_class] == [
        "0 anställda", "1-4 anställda", "5-9 anställda", "10-19 anställda", "?",
    ]  # fmt: skip


def test_api_agrees_with_the_hand_computed_figures(
    register_2025: Any, client_for: Any, developer: Any
) -> None:
    response = client_for(developer).get("/api/v1/insights/visits/?year=2025")
    assert response.status_code == 200
    body = response.json()
    for key, value in EXPECTED.items():
        assert body[key] == pytest.approx(value), key
    assert _pairs(body["by_sni_section"]) == SECTIONS
    assert _pairs(body["by_locality"]) == LOCALITIES
    assert _pairs(body["by_size_class"]) == SIZES
    assert set(body["by_sni_section"][0]) == {"key", "label", "companies", "visited"}


def test_over_and_under_represented_sections(register_2025: Any) -> None:
    shares = visit_coverage(2025).shares
    # F: 2/3 of the visited, 2/10 of the companies: the most over-represented.
    assert shares[0].key == "F"
    assert shares[0].difference == pytest.approx(2 / 3 - 0.2)
    # G: none of the visited, 3/10 of the companies: the most under-represented.
    assert shares[-1].key == "G"
    assert shares[-1].difference == pytest.approx(-0.3)


def test_another_year_moves_the_population_and_the_visits(register_2025: Any) -> None:
    # 2026: N1 is registered, D2 is deregistered (1 Feb 2026); A3 was visited on 1 Jan.
    coverage = visit_coverage(2026)
    assert coverage.active_companies == 10  # +N1 -D2
    assert coverage.companies_visited == 1
    assert coverage.visits == 1
    assert coverage.target is None
    # G now holds A3 and A4 (2/10) and all of the visited: D = ½ (|1 - 0.2| + 0.8).
    assert coverage.representativeness == pytest.approx(0.2)
    # 2024: A7's visit on New Year's Eve; N1 not yet registered.
    assert visit_coverage(2024).companies_visited == 1


def test_no_visits_gives_no_representativeness(db: None) -> None:
    make_company("Ensam AB", postal_town="Mariefred")
    coverage = visit_coverage(2025)
    assert coverage.active_companies == 1
    assert coverage.companies_visited == 0
    assert coverage.coverage == 0
    assert coverage.representativeness is None


def test_empty_register(db: None) -> None:
    coverage = visit_coverage(2025)
    assert (coverage.active_companies, coverage.coverage, coverage.representativeness) == (
        0,
        None,
        None,
    )
    assert coverage.by_sni_section == []


@pytest.mark.parametrize(
    ("companies", "visited", "expected"),
    [
        ({"A": 5, "B": 5}, {"A": 1, "B": 1}, 1.0),  # a mirror
        ({"A": 5, "B": 5}, {"C": 3}, 0.0),  # disjoint
        ({"A": 8, "B": 2}, {"A": 1, "B": 1}, 0.7),  # ½(0.3 + 0.3) = 0.3
    ],
)
def test_representativeness_edges(
    companies: dict[str, int], visited: dict[str, int], expected: float
) -> None:
    assert representativeness(companies, visited) == pytest.approx(expected)


def _active_2025() -> QuerySet[Company]:
    return Company.objects.filter(
        Q(registered_on__isnull=True) | Q(registered_on__lte=D(2025, 12, 31)),
        status=Company.Status.ACTIVE,
    ).order_by("pk")


def test_coverage_counts_once_then_reads_the_cache(
    register_2025: Any, django_assert_num_queries: Any
) -> None:
    # The population and visited counts, the target and the number of visits.
    with django_assert_num_queries(4):
        first = visit_coverage(2025)
    # The counts come from the cache; the target and the visits are read.
    with django_assert_num_queries(2):
        assert visit_coverage(2025) == first


def test_a_logged_visit_counts_at_once(register_2025: Any, django_assert_num_queries: Any) -> None:
    before = visit_coverage(2025)
    unvisited = _active_2025().exclude(visit_links__visit__date__year=2025).first()
    assert unvisited is not None
    make_visit([unvisited], date=D(2025, 11, 2))
    # The population is still cached; the visited companies are counted again.
    with django_assert_num_queries(3):
        after = visit_coverage(2025)
    assert after.companies_visited == before.companies_visited + 1
    assert after.visits == before.visits + 1
    assert after.active_companies == before.active_companies


def test_a_company_edit_counts_at_once(register_2025: Any) -> None:
    before = visit_coverage(2025)
    company = _active_2025().first()
    assert company is not None
    company_update(
        company=company,
        data={"status": Company.Status.DEREGISTERED, "deregistered_on": D(2025, 6, 1)},
    )
    after = visit_coverage(2025)
    assert after.active_companies == before.active_companies - 1


def test_an_edit_the_figures_do_not_use_keeps_the_cache(
    register_2025: Any, django_assert_num_queries: Any
) -> None:
    visit_coverage(2025)
    company = _active_2025().first()
    assert company is not None
    company_update(company=company, data={"phone": "0152-123 45"})
    with django_assert_num_queries(2):
        visit_coverage(2025)


def test_without_the_cache_every_call_counts(
    register_2025: Any, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.BRYGGA_FIGURES_CACHE_SECONDS = 0
    visit_coverage(2025)
    with django_assert_num_queries(4):
        visit_coverage(2025)

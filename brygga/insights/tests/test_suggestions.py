"""Section 4 of issue 4: whom to visit next, and that visiting them helps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache

from brygga.insights.selectors import visit_coverage
from brygga.insights.suggestions import visit_suggestions
from brygga.register.models import Company
from brygga.register.services.companies import company_update
from brygga.register.tests.companies_factory import make_company
from brygga.visits.tests.factories import make_visit, set_sni

D = dt.date
TODAY = D(2026, 6, 15)


def _companies(prefix: str, sni: str, n: int) -> list[Company]:
    made = []
    for i in range(n):
        company = make_company(
            f"{prefix} {i:02d} AB",
            postal_town=("Mariefred", "Strängnäs")[i % 2],
            size_class=("1-4 anställda", "5-9 anställda")[i % 3 == 0],
        )
        if sni:
            set_sni(company, sni)
        made.append(company)
    return made


@pytest.fixture
def skewed(db: None) -> dict[str, list[Company]]:
    """Bygg is visited a lot in 2026, handel little, restaurants not at all."""
    groups = {
        "F": _companies("Bygg", "43210", 10),
        "G": _companies("Handel", "47110", 10),
        "I": _companies("Krog", "56100", 5),
        "?": _companies("Okänd", "", 5),
    }
    for company in groups["F"][:6]:
        make_visit([company], date=D(2026, 3, 1))
    make_visit([groups["G"][0]], date=D(2026, 2, 1))
    make_visit([groups["?"][0]], date=D(2026, 4, 1))
    return groups


def test_visiting_the_suggestions_raises_representativeness(skewed: Any) -> None:
    before = visit_coverage(2026).representativeness
    suggestions = visit_suggestions(2026, 6, today=TODAY)
    assert len(suggestions) == 6
    assert len({s.company_id for s in suggestions}) == 6
    previous = before
    for suggestion in suggestions:
        make_visit([Company.objects.get(pk=suggestion.company_id)], date=TODAY)
        now = visit_coverage(2026).representativeness
        assert now is not None and previous is not None
        assert now > previous, suggestion
        previous = now
    assert previous is not None and before is not None
    assert previous - before > 0.2


def test_suggestions_avoid_the_over_represented_section_and_say_why(skewed: Any) -> None:
    suggestions = visit_suggestions(2026, 4, today=TODAY)
    # Bygg (6 of 8 visited, 10 of 30 companies) is over-represented; the rest are under.
    assert "F" not in {s.section for s in suggestions}
    first = suggestions[0]
    # Before any pick: handel has 1 of the 8 visited (13 %) and 10 of the 30 companies (33 %),
    # restaurants 0 % and 17 %; one more handel visit lowers D the most.
    assert first.section == "G"
    assert first.reason.startswith("Handel är underrepresenterat (13\N{NO-BREAK SPACE}% av besöken")
    assert "bygg överrepresenterat" in first.reason
    assert first.org_number.count("-") == 1
    assert first.name.startswith("Handel")


def test_recent_and_planned_visits_are_not_suggested(skewed: Any) -> None:
    handel = skewed["G"]
    make_visit([handel[1]], date=D(2024, 7, 1))  # 23½ months ago: too recent
    make_visit([handel[2]], date=D(2024, 6, 1))  # over 24 months ago: a candidate again
    make_visit([handel[3]], date=D(2026, 7, 1), status="planned")  # already planned
    make_visit([handel[4]], date=D(2026, 6, 1), status="cancelled")  # cancelled: a candidate
    ids = {s.company_id for s in visit_suggestions(2026, 30, today=TODAY)}
    assert handel[1].pk not in ids
    assert handel[3].pk not in ids
    assert handel[0].pk not in ids  # visited this year
    assert {handel[2].pk, handel[4].pk} <= ids
    # Every visited-this-year bygg company is out; the four others are candidates.
    assert {c.pk for c in skewed["F"][:6]}.isdisjoint(ids)


def test_deregistered_companies_are_not_suggested(skewed: Any) -> None:
    krog = skewed["I"]
    for company in krog:
        company_update(
            company=company,
            data={"status": Company.Status.DEREGISTERED, "deregistered_on": D(2026, 1, 31)},
        )
    assert all(s.section != "I" for s in visit_suggestions(2026, 10, today=TODAY))


def test_asking_for_more_than_there_are(skewed: Any) -> None:
    # 30 companies, 8 visited this year: 22 candidates.
    assert len(visit_suggestions(2026, 100, today=TODAY)) == 22
    assert visit_suggestions(2026, 0, today=TODAY) == []


def test_a_year_without_visits_starts_with_the_largest_section(db: None) -> None:
    _companies("Bygg", "43210", 2)
    _companies("Handel", "47110", 5)
    suggestions = visit_suggestions(2026, 1, today=TODAY)
    assert suggestions[0].section == "G"
    assert "inga besök ännu i år" in suggestions[0].reason


def test_picks_spread_over_localities(skewed: Any) -> None:
    towns = [s.locality for s in visit_suggestions(2026, 6, today=TODAY)]
    assert set(towns) == {"Mariefred", "Strängnäs"}


def test_sole_traders_personnummer_is_masked(db: None) -> None:
    from brygga.register.tests.companies_factory import pnr

    company = make_company(
        "Enskild Firma", identity=pnr(7), identity_kind="pnr", postal_town="Mariefred"
    )
    set_sni(company, "47110")
    [suggestion] = visit_suggestions(2026, 1, today=TODAY)
    assert pnr(7)[-4:] not in suggestion.org_number


def test_suggestion_queries(skewed: Any, django_assert_num_queries: Any) -> None:
    suggestions = visit_suggestions(2026, 20, today=TODAY)
    groups = {(s.section, s.locality, s.size_class) for s in suggestions}
    assert len(suggestions) == 20 and len(groups) > 1
    # Cached counts: the coverage's target and visits (2), one query per picked group.
    with django_assert_num_queries(2 + len(groups)):
        assert visit_suggestions(2026, 20, today=TODAY) == suggestions
    # Nothing cached: also the population, visited and busy counts.
    cache.clear()
    with django_assert_num_queries(5 + len(groups)):
        assert visit_suggestions(2026, 20, today=TODAY) == suggestions


def test_picks_spread_over_the_groups_of_a_section(db: None) -> None:
    """Each (locality, size class) group of the chosen section is picked once before
    any is picked twice."""
    for i in range(12):
        company = make_company(
            f"Handel {i:02d} AB",
            postal_town=("Mariefred", "Strängnäs")[i % 2],
            size_class=("1-4 anställda", "5-9 anställda", "10-19 anställda")[i % 3],
        )
        set_sni(company, "47110")
    suggestions = visit_suggestions(2026, 6, today=TODAY)
    groups = [(s.locality, s.size_class) for s in suggestions]
    assert len(set(groups)) == 6, groups


def test_a_plan_made_after_the_counting_is_respected(skewed: Any) -> None:
    first = visit_suggestions(2026, 1, today=TODAY)[0]
    make_visit([Company.objects.get(pk=first.company_id)], date=D(2026, 7, 1), status="planned")
    assert first.company_id not in {s.company_id for s in visit_suggestions(2026, 30, today=TODAY)}

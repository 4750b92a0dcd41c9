"""The visit services' own rules: companies, feedback tied to them, planning, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from brygga.core.models import AuditEntry
from brygga.register.tests.companies_factory import make_company
from brygga.visits.models import Visit
from brygga.visits.services.visits import next_working_day, visit_plan, visit_update
from brygga.visits.tests.factories import make_feedback, make_visit

D = dt.date


def test_removing_a_company_leaves_its_feedback_with_the_visit(db: None) -> None:
    first, second = make_company("Ett AB"), make_company("Två AB")
    visit = make_visit([first, second])
    said_by_second = make_feedback(visit, company=second)
    said_by_first = make_feedback(visit, company=first)
    visit_update(visit=visit, data={}, companies=[first])
    said_by_second.refresh_from_db()
    said_by_first.refresh_from_db()
    assert said_by_second.company is None
    assert said_by_first.company == first
    entry = AuditEntry.objects.filter(subject_id=str(visit.pk), action="update").get()
    assert entry.changes["companies"] == [sorted([first.pk, second.pk]), [first.pk]]


def test_a_visit_needs_a_company(db: None) -> None:
    visit = make_visit([make_company("Ett AB")])
    with pytest.raises(ValidationError):
        visit_update(visit=visit, data={}, companies=[])
    assert visit.visit_companies.count() == 1


def test_feedback_from_a_company_outside_the_visit_is_refused(db: None) -> None:
    visit = make_visit([make_company("Ett AB")])
    with pytest.raises(ValidationError, match="inte med i besöket"):
        make_feedback(visit, company=make_company("Annat AB"))


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2026, 11, 20), 1, D(2026, 11, 23)),  # Friday -> Monday
        (D(2026, 12, 23), 1, D(2026, 12, 28)),  # julafton, juldagen, annandag, weekend
        (D(2026, 6, 18), 1, D(2026, 6, 22)),  # midsommarafton 19 June
        (D(2026, 4, 2), 1, D(2026, 4, 7)),  # långfredag, påsk, annandag påsk
    ],
)
def test_planning_counts_swedish_working_days(start: dt.date, days: int, expected: dt.date) -> None:
    assert next_working_day(start, days) == expected


def test_planning_a_visit(db: None, developer: Any) -> None:
    from brygga.visits.models import VisitKind

    company = make_company("Planerat AB")
    visit = visit_plan(company=company, kind=VisitKind.objects.get(key="besok"), actor=developer)
    assert visit.status == Visit.Status.PLANNED
    assert visit.date > dt.date.today()
    assert list(visit.staff.all()) == [developer]
    assert list(visit.companies.all()) == [company]

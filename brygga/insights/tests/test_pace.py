"""Section 2 of issue 4: visits so far against the target's straight-line pace."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from brygga.insights.chart import pace_chart
from brygga.insights.pace import visit_pace
from brygga.register.tests.companies_factory import make_company
from brygga.visits.services.targets import target_set
from brygga.visits.tests.factories import make_visit

D = dt.date


@pytest.fixture
def visits_2026(db: None) -> None:
    company = make_company("Takt AB")
    for day in (D(2026, 1, 10), D(2026, 1, 20), D(2026, 2, 5), D(2026, 4, 30)):
        make_visit([company], date=day)
    make_visit([company], date=D(2026, 5, 2), status="planned")
    make_visit([company], date=D(2025, 12, 31))


def test_behind_the_pace_in_whole_visits(visits_2026: Any) -> None:
    target_set(year=2026, visits=300)
    # 30 April 2026 is day 120 of 365: the pace is 300 · 120 / 365 = 98.6; 4 visits held.
    pace = visit_pace(2026, today=D(2026, 4, 30))
    assert pace is not None
    assert pace.visits == 4
    assert pace.expected == pytest.approx(300 * 120 / 365)
    assert pace.behind == 95  # 94.6 rounds up
    assert pace.ahead == -95
    cumulative = [(p.day, p.visits) for p in pace.points]
    assert cumulative[:5] == [
        (D(2026, 1, 31), 2),
        (D(2026, 2, 28), 3),
        (D(2026, 3, 31), 3),
        (D(2026, 4, 30), 4),
        (D(2026, 5, 31), None),
    ]
    assert len(pace.points) == 12
    assert pace.points[-1].pace == pytest.approx(300)


def test_mid_month_today_is_a_point_of_its_own(visits_2026: Any) -> None:
    target_set(year=2026, visits=10)
    pace = visit_pace(2026, today=D(2026, 2, 10))
    assert pace is not None
    days = [p.day for p in pace.points]
    assert days[:3] == [D(2026, 1, 31), D(2026, 2, 10), D(2026, 2, 28)]
    assert [p.visits for p in pace.points[:3]] == [2, 3, None]
    # Day 41: pace 10 · 41/365 = 1.1, 3 held: 2 ahead.
    assert pace.behind == -2
    assert pace.ahead == 2


def test_without_a_target_there_is_no_pace(visits_2026: Any) -> None:
    pace = visit_pace(2026, today=D(2026, 6, 1))
    assert pace is not None
    assert (pace.target, pace.expected, pace.behind) == (None, None, None)
    assert all(p.pace is None for p in pace.points)
    assert pace_chart(pace).pace_line == ""


def test_a_past_year_runs_to_its_end_and_a_future_one_is_none(visits_2026: Any) -> None:
    target_set(year=2025, visits=1)
    pace = visit_pace(2025, today=D(2026, 4, 30))
    assert pace is not None
    assert pace.today == D(2025, 12, 31)
    assert (pace.visits, pace.behind) == (1, 0)
    assert visit_pace(2027, today=D(2026, 4, 30)) is None


def test_chart_geometry(visits_2026: Any) -> None:
    target_set(year=2026, visits=300)
    pace = visit_pace(2026, today=D(2026, 4, 30))
    assert pace is not None
    chart = pace_chart(pace)
    # The target line runs from the origin to (31 Dec, 300), the top gridline.
    start, end = chart.pace_line.split()
    assert start == f"{chart.left}.0,{chart.plot_bottom}.0"
    assert end == f"{chart.plot_right}.0,{chart.top}.0"
    assert [t.label for t in chart.y_ticks] == ["0", "100", "200", "300"]
    assert len(chart.x_ticks) == 12
    # Five points: the origin and four month ends up to today.
    assert len(chart.visits_line.split()) == 5


def test_pace_takes_two_queries(visits_2026: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(2):
        visit_pace(2026, today=D(2026, 4, 30))

"""A year's visits against the target's straight-line pace (issue 4, section 2).

The pace on a day is the target times the share of the year that has passed by the
end of that day; "34 besök efter takten" is the pace today minus the held visits so
far, rounded to whole visits. The chart's points are the month ends (and today).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.formats import date_format

from brygga.insights.group_counts import held_visits
from brygga.visits.models import VisitTarget


@dataclass(frozen=True)
class PacePoint:
    """Cumulative figures at the end of ``day`` (a month end, or today)."""

    day: dt.date
    label: str
    visits: int | None  # None for days still ahead
    pace: float | None  # None without a target


@dataclass(frozen=True)
class Pace:
    year: int
    today: dt.date  # the day the figures run to (the year's end for a past year)
    target: int | None
    visits: int
    points: list[PacePoint]

    @property
    def days_in_year(self) -> int:
        return 366 if calendar.isleap(self.year) else 365

    @property
    def expected(self) -> float | None:
        """Where the straight line is today."""
        if self.target is None:
            return None
        return self.target * self.today.timetuple().tm_yday / self.days_in_year

    @property
    def behind(self) -> int | None:
        """Visits behind the pace (negative: ahead of it), rounded half up."""
        expected = self.expected
        if expected is None:
            return None
        gap = expected - self.visits
        return int(gap + 0.5) if gap >= 0 else -int(-gap + 0.5)

    @property
    def ahead(self) -> int | None:
        behind = self.behind
        return None if behind is None else -behind

    @property
    def share_of_target(self) -> float | None:
        return self.visits / self.target if self.target else None


def visit_pace(year: int, *, today: dt.date | None = None) -> Pace | None:
    """The pace of ``year`` as of ``today``; None for a year that has not begun. Two queries."""
    today = today or timezone.localdate()
    if today.year < year:
        return None
    until = min(today, dt.date(year, 12, 31))
    per_month = dict(
        held_visits(dt.date(year, 1, 1), until)
        .annotate(month=ExtractMonth("date"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    target = VisitTarget.objects.filter(year=year).values_list("visits", flat=True).first()
    days = 366 if calendar.isleap(year) else 365

    def point(day: dt.date, visits: int | None) -> PacePoint:
        pace = target * day.timetuple().tm_yday / days if target is not None else None
        return PacePoint(day=day, label=date_format(day, "j M"), visits=visits, pace=pace)

    points: list[PacePoint] = []
    running = 0
    for month in range(1, 13):
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
        if month <= until.month:
            running += per_month.get(month, 0)
        if end < until:
            points.append(point(end, running))
        elif month == until.month:
            points.append(point(until, running))
            if end > until:
                points.append(point(end, None))
        else:
            points.append(point(end, None))
    return Pace(year=year, today=until, target=target, visits=running, points=points)

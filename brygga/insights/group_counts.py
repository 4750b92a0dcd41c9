"""Company counts per group, the raw material of the visit coverage and suggestions.

A *group* is (SNI 2007 division of the primary code or None, postal town, size
class), as stored. Every figure of :mod:`brygga.insights.selectors` and
:mod:`brygga.insights.suggestions` is a sum over groups of three counts:

* :func:`population_counts`: companies active at the end of a year;
* :func:`visited_counts`: those of them with a held visit in the year;
* :func:`busy_counts`: those of them with a held visit in a window, or a visit
  planned from a day on (the companies not to suggest).

Each count is one grouped query, and at the national scale a slow one (the
population reads every company: seconds for 1.8 million). So each is cached under
the data versions it depends on (:mod:`brygga.core.versions`): the register's for
the population, the register's and the visits' for the others. A write to either
makes a new version, the next reader computes afresh, and the worker does so ahead
of it (:mod:`brygga.insights.tasks`). ``BRYGGA_FIGURES_CACHE_SECONDS`` bounds how
long an entry is kept; 0 turns the cache off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, FilteredRelation, Q, QuerySet
from django.db.models.functions import Substr

from brygga.core.versions import DataVersion
from brygga.register.models import Company, SniCode
from brygga.register.versions import REGISTER_VERSION
from brygga.visits.models import Visit, VisitCompany
from brygga.visits.versions import VISITS_VERSION

GroupKey = tuple[str | None, str, str]  # division, postal town, size class
Counts = dict[GroupKey, int]


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def active_companies(on: dt.date) -> QuerySet[Company]:
    """Companies registered on or before ``on`` and not deregistered on or before it."""
    registered = Q(registered_on__isnull=True) | Q(registered_on__lte=on)
    # Status "active" implies no deregistration date (a check constraint says so).
    not_ended = Q(status=Company.Status.ACTIVE) | Q(deregistered_on__gt=on)
    return Company.objects.filter(registered & not_ended)


def held_visits(start: dt.date, end: dt.date) -> QuerySet[Visit]:
    return Visit.objects.filter(status=Visit.Status.HELD, date__gte=start, date__lte=end)


def visited_company_ids(start: dt.date, end: dt.date) -> QuerySet[VisitCompany, Any]:
    """The ids of companies with a held visit in [start, end], as a subquery."""
    return VisitCompany.objects.filter(
        visit__status=Visit.Status.HELD, visit__date__gte=start, visit__date__lte=end
    ).values("company_id")


def busy_links(since: dt.date, until: dt.date, planned_from: dt.date) -> Q:
    """Held visits in [since, until] or planned visits from ``planned_from`` on, as a
    filter on :class:`VisitCompany`."""
    return Q(visit__status=Visit.Status.HELD, visit__date__gte=since, visit__date__lte=until) | Q(
        visit__status=Visit.Status.PLANNED, visit__date__gte=planned_from
    )


def with_primary_division(companies: QuerySet[Company]) -> QuerySet[Company]:
    """Annotate ``division``: the first two digits of the primary SNI 2007 code (a LEFT
    JOIN, so companies without one keep a NULL)."""
    return companies.annotate(
        primary_sni=FilteredRelation(
            "sni_codes",
            condition=Q(sni_codes__system=SniCode.System.SNI2007, sni_codes__position=0),
        ),
        division=Substr("primary_sni__code", 1, 2),
    )


def _grouped(companies: QuerySet[Company]) -> Counts:
    rows = (
        with_primary_division(companies)
        .values_list("division", "postal_town", "size_class")  # type: ignore[misc]  # an annotation
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(division, town, size): n for division, town, size, n in rows}


def _cached(
    name: str,
    parts: Iterable[object],
    versions: Iterable[DataVersion],
    compute: Callable[[], Counts],
) -> Counts:
    seconds = settings.BRYGGA_FIGURES_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    stamp = ":".join([*(str(p) for p in parts), *(v.current() for v in versions)])
    key = f"insights:{name}:{stamp}"
    found = cache.get(key)
    if found is not None:
        return dict(found)
    counts = compute()
    cache.set(key, list(counts.items()), seconds)
    return counts


def population_counts(year: int) -> Counts:
    """Companies active at the end of ``year``, per group. One query when not cached."""
    return _cached(
        "population",
        [year],
        [REGISTER_VERSION],
        lambda: _grouped(active_companies(year_end(year))),
    )


def visited_counts(year: int) -> Counts:
    """Companies active at the end of ``year`` with a held visit in it, per group. One
    query when not cached."""
    start, end = dt.date(year, 1, 1), year_end(year)
    return _cached(
        "visited",
        [year],
        [REGISTER_VERSION, VISITS_VERSION],
        lambda: _grouped(active_companies(end).filter(pk__in=visited_company_ids(start, end))),
    )


def busy_counts(year: int, since: dt.date, until: dt.date, planned_from: dt.date) -> Counts:
    """Companies active at the end of ``year`` with a held visit in [since, until] or a
    visit planned from ``planned_from`` on, per group. One query when not cached."""
    busy = VisitCompany.objects.filter(busy_links(since, until, planned_from))
    return _cached(
        "busy",
        [year, since, until, planned_from],
        [REGISTER_VERSION, VISITS_VERSION],
        lambda: _grouped(active_companies(year_end(year)).filter(pk__in=busy.values("company_id"))),
    )

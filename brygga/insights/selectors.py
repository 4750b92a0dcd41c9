"""Coverage and representativeness of a year's visits (issue 4, section 3).

For a year Y:

* **active companies** are those registered on or before 31 December Y (a company
  without a registration date counts as registered) and not deregistered on or
  before it. A deregistered company without a date is not active: when it ended is
  unknown, and counting it would inflate the population.
* **companies visited** are the distinct active companies with at least one *held*
  visit dated in Y (planned and cancelled visits do not count);
  **visits** are the held visit records dated in Y.
* **coverage** = visited / active, also by SNI 2007 section of the primary SNI code
  (``?`` for none), by locality (postal town) and by size class.
* **representativeness** = 1 - D, D = ½ Σₛ |vₛ/V - cₛ/C| over the sections.

The counting runs in the database: the companies active at the year's end and the
visited ones, each per (SNI division, postal town, size class) in one grouped query
(:mod:`brygga.insights.group_counts`, cached under the register's and the visits'
data versions). Their rows (hundreds in a municipality; 19,000 in the
1.8-million-company benchmark) are rolled up into the three breakdowns here.
Grouping by the two-digit division and mapping it to a section in Python keeps a
21-branch CASE off every one of the millions of rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from brygga.insights.group_counts import (
    held_visits,
    population_counts,
    visited_counts,
    year_end,
)
from brygga.register.sni import MISSING, section_key, section_label, section_short
from brygga.visits.models import VisitTarget


@dataclass(frozen=True)
class Group:
    """One row of a breakdown: ``key`` (section letter, town, size class or ``?``)."""

    key: str
    label: str
    companies: int
    visited: int

    @property
    def coverage(self) -> float | None:
        return self.visited / self.companies if self.companies else None


@dataclass(frozen=True)
class SectionShare:
    """A section's share of the visited companies against its share of all companies."""

    key: str
    label: str
    short: str
    visited_share: float
    company_share: float

    @property
    def difference(self) -> float:
        """Positive: over-represented among the visited; negative: under-represented."""
        return self.visited_share - self.company_share


@dataclass(frozen=True)
class Coverage:
    year: int
    target: int | None
    visits: int
    companies_visited: int
    active_companies: int
    coverage: float | None
    representativeness: float | None
    by_sni_section: list[Group]
    by_locality: list[Group]
    by_size_class: list[Group]

    @property
    def shares(self) -> list[SectionShare]:
        """Every section's shares, most over-represented first."""
        return section_shares(self.by_sni_section)


def visit_coverage(year: int) -> Coverage:
    """The year's coverage and representativeness. Two queries, and two more when the
    company counts are not cached."""
    start, end = dt.date(year, 1, 1), year_end(year)
    visited_in = visited_counts(year)
    sections: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    towns: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    sizes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for group, companies in population_counts(year).items():
        division, town, size = group
        visited_here = visited_in.get(group, 0)
        for tally, key in (
            (sections, section_key(division)),
            (towns, plain_key(town)),
            (sizes, plain_key(size)),
        ):
            tally[key][0] += companies
            tally[key][1] += visited_here
    active = sum(c for c, _v in sections.values())
    visited = sum(v for _c, v in sections.values())
    target = VisitTarget.objects.filter(year=year).values_list("visits", flat=True).first()
    by_section = _groups(sections, section_label, order="sni")
    return Coverage(
        year=year,
        target=target,
        visits=held_visits(start, end).count(),
        companies_visited=visited,
        active_companies=active,
        coverage=visited / active if active else None,
        representativeness=representativeness(
            {g.key: g.companies for g in by_section}, {g.key: g.visited for g in by_section}
        ),
        by_sni_section=by_section,
        by_locality=_groups(towns, _plain_label, order="size"),
        by_size_class=_groups(sizes, _plain_label, order="size_class"),
    )


def plain_key(value: str | None) -> str:
    """A locality's or size class's key in the breakdowns: the stored text, ``?`` if empty."""
    return (value or "").strip() or MISSING


def representativeness(companies: Mapping[str, int], visited: Mapping[str, int]) -> float | None:
    """1 - ½ Σ |vₛ/V - cₛ/C|, or None when nothing was visited (or nothing is active)."""
    total_c = sum(companies.values())
    total_v = sum(visited.values())
    if not total_c or not total_v:
        return None
    keys = set(companies) | set(visited)
    distance = sum(abs(visited.get(k, 0) / total_v - companies.get(k, 0) / total_c) for k in keys)
    return 1 - distance / 2


def section_shares(groups: Iterable[Group]) -> list[SectionShare]:
    groups = list(groups)
    total_c = sum(g.companies for g in groups)
    total_v = sum(g.visited for g in groups)
    if not total_c or not total_v:
        return []
    shares = [
        SectionShare(
            key=g.key,
            label=g.label,
            short=section_short(g.key),
            visited_share=g.visited / total_v,
            company_share=g.companies / total_c,
        )
        for g in groups
    ]
    return sorted(shares, key=lambda s: (-s.difference, s.key))


def _plain_label(key: str) -> str:
    return _("Uppgift saknas") if key == MISSING else key


def _size_class_order(key: str) -> tuple[int, int, str]:
    """SCB's size classes ("0 anställda", "1-4 anställda", …) in numeric order."""
    digits = ""
    for ch in key:
        if ch.isdigit():
            digits += ch
        elif digits:
            break
    return (1, 0, key) if not digits else (0, int(digits), key)


def _groups(
    tally: Mapping[str, list[int]], label: Callable[[str], str], *, order: str
) -> list[Group]:
    groups = [
        Group(key=key, label=label(key), companies=c, visited=v) for key, (c, v) in tally.items()
    ]
    if order == "sni":
        return sorted(groups, key=lambda g: (g.key == MISSING, g.key))
    if order == "size_class":
        return sorted(groups, key=lambda g: (g.key == MISSING, _size_class_order(g.key)))
    # Localities: the largest first, "?" last.
    return sorted(groups, key=lambda g: (g.key == MISSING, -g.companies, g.key))

"""Whom to visit next (issue 4, section 4).

Candidates are the companies active at the end of the year that had no held visit in
the last 24 months and have no planned visit ahead. The suggestions are picked
greedily: each pick goes to the SNI section whose one more visited company lowers
the distance D (see :mod:`brygga.insights.selectors`) the most, and within it to the
locality and then the size class that are most under-represented among the visited.
So visiting the suggested companies raises representativeness, and spreads the
visits over the municipality's localities and company sizes too.

The counting runs in SQL (one grouped query over the candidates); Python only walks
the groups, then fetches the picked companies in one ranked query.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.insights.selectors import (
    Coverage,
    active_companies,
    visit_coverage,
    visited_company_ids,
    with_primary_division,
    year_end,
)
from brygga.register.models import Company
from brygga.register.sni import DIVISION_SECTION, MISSING, SECTIONS, section_key, section_short
from brygga.visits.models import Visit, VisitCompany

SUGGESTIONS_MAX = 100
NOT_VISITED_MONTHS = 24


@dataclass(frozen=True)
class Suggestion:
    company_id: int
    org_number: str
    name: str
    section: str
    locality: str
    size_class: str
    reason: str


@dataclass
class _State:
    """Visited and population counts per key, updated as suggestions are picked."""

    companies: dict[str, int]
    visited: dict[str, int]

    @property
    def total_c(self) -> int:
        return sum(self.companies.values())

    @property
    def total_v(self) -> int:
        return sum(self.visited.values())

    def share_gap(self, key: str) -> float:
        """Company share minus visited share: positive means under-represented."""
        total_v = self.total_v
        visited = self.visited.get(key, 0) / total_v if total_v else 0.0
        return self.companies.get(key, 0) / self.total_c - visited

    def distance_with(self, key: str) -> float:
        """D after one more visited company in ``key``."""
        total_c, total_v = self.total_c, self.total_v + 1
        return 0.5 * sum(
            abs((self.visited.get(k, 0) + (k == key)) / total_v - c / total_c)
            for k, c in self.companies.items()
        )


def candidates(year: int, today: dt.date) -> QuerySet[Company]:
    """Active companies without a held visit in the last 24 months (counted back from
    today, or from the year's end for a past year) and without a planned visit ahead."""
    reference = min(today, year_end(year))
    since = reference - relativedelta(months=NOT_VISITED_MONTHS) + dt.timedelta(days=1)
    planned = VisitCompany.objects.filter(
        visit__status=Visit.Status.PLANNED, visit__date__gte=today
    ).values("company_id")
    return (
        with_primary_division(active_companies(year_end(year)))
        .exclude(pk__in=visited_company_ids(since, reference))
        .exclude(pk__in=planned)
    )


def _key(value: str | None) -> str:
    return (value or "").strip() or MISSING


def visit_suggestions(
    year: int, n: int, *, today: dt.date | None = None, coverage: Coverage | None = None
) -> list[Suggestion]:
    """``n`` companies (at most :data:`SUGGESTIONS_MAX`) whose visits would raise the
    year's representativeness the most, each with the reason in words. Pass the year's
    ``coverage`` if you have it already."""
    today = today or timezone.localdate()
    n = max(0, min(n, SUGGESTIONS_MAX))
    if coverage is None or coverage.year != year:
        coverage = visit_coverage(year)
    if n == 0 or not coverage.active_companies:
        return []
    pool = candidates(year, today)
    # Candidates per (section, town, size class), the raw town and size kept for the fetch.
    available: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    groups = (
        pool.values("division", "postal_town", "size_class")  # type: ignore[misc]  # an annotation
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in groups:
        available[section_key(row["division"])][(row["postal_town"], row["size_class"])] += row["n"]

    sections = _state(coverage, "by_sni_section")
    towns = _state(coverage, "by_locality")
    sizes = _state(coverage, "by_size_class")
    picks: list[tuple[str, str, str, str]] = []  # section, raw town, raw size, reason
    for _i in range(n):
        open_sections = [s for s, groups in available.items() if sum(groups.values())]
        if not open_sections:
            break
        section = min(
            open_sections, key=lambda s: (sections.distance_with(s), -sections.share_gap(s), s)
        )
        town, size = max(
            (g for g, left in available[section].items() if left),
            key=lambda g: (towns.share_gap(_key(g[0])), sizes.share_gap(_key(g[1])), g),
        )
        picks.append((section, town, size, _reason(section, _key(town), sections, towns)))
        available[section][(town, size)] -= 1
        for state, key in ((sections, section), (towns, _key(town)), (sizes, _key(size))):
            state.visited[key] = state.visited.get(key, 0) + 1
    return _fetch(pool, picks)


def _state(coverage: Coverage, breakdown: str) -> _State:
    groups = getattr(coverage, breakdown)
    return _State(
        companies={g.key: g.companies for g in groups},
        visited={g.key: g.visited for g in groups},
    )


def _percent(x: float) -> str:
    return f"{int(100 * x + 0.5)}\N{NO-BREAK SPACE}%"  # half up: 12.5 % reads 13 %


def _reason(section: str, town: str, sections: _State, towns: _State) -> str:
    """Why this pick, in words, from the counts before it was made."""
    short = section_short(section)
    total_v = sections.total_v
    visited_share = sections.visited.get(section, 0) / total_v if total_v else 0.0
    company_share = sections.companies.get(section, 0) / sections.total_c
    if total_v == 0:
        parts = [
            _("%(section)s har %(share)s av företagen och inga besök ännu i år")
            % {"section": short, "share": _percent(company_share)}
        ]
    else:
        parts = [
            _("%(section)s är underrepresenterat (%(visited)s av besöken, %(share)s av företagen)")
            % {
                "section": short,
                "visited": _percent(visited_share),
                "share": _percent(company_share),
            }
        ]
        over = max(sections.companies, key=lambda s: (-sections.share_gap(s), s))
        if sections.share_gap(over) < 0 and over != section:
            parts.append(_("%(section)s överrepresenterat") % {"section": section_short(over)})
    if town != MISSING and towns.total_v and towns.share_gap(town) > 0:
        parts.append(_("%(town)s har färre besök än sin andel") % {"town": town})
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def _in_section(section: str) -> Q:
    if section == MISSING:
        return Q(division__isnull=True) | ~Q(division__in=list(DIVISION_SECTION))
    return Q(division__in=list(SECTIONS[section].divisions))


def _fetch(pool: QuerySet[Company], picks: list[tuple[str, str, str, str]]) -> list[Suggestion]:
    """The companies behind the picks, in one query: within each (section, town, size
    class) group, the largest employers first, then by name.

    A section spans several divisions, so the query ranks within each (division, town,
    size) partition and keeps the first k of each; the first k of a section are among
    those, and Python merges them."""
    wanted: dict[tuple[str, str, str], int] = Counter((p[0], p[1], p[2]) for p in picks)
    if not wanted:
        return []
    where = Q()
    for section, town, size in wanted:
        where |= _in_section(section) & Q(postal_town=town, size_class=size)
    order = (F("employees").desc(nulls_last=True), F("name").asc(), F("pk").asc())
    rows = (
        pool.filter(where)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("division"), F("postal_town"), F("size_class")],
                order_by=order,
            )
        )
        .filter(rank__lte=max(wanted.values()))
        .only("id", "identity", "identity_kind", "name", "postal_town", "size_class", "employees")
    )
    found: dict[tuple[str, str, str], list[Company]] = defaultdict(list)
    for row in rows:
        division = getattr(row, "division", None)  # the annotation
        key = (section_key(division), row.postal_town, row.size_class)
        if key in wanted:
            found[key].append(row)
    for key, companies in found.items():
        companies.sort(key=lambda c: (c.employees is None, -(c.employees or 0), c.name, c.pk))
        del companies[wanted[key] :]
    result = []
    for section, town, size, reason in picks:
        picked = found[(section, town, size)].pop(0)
        result.append(
            Suggestion(
                company_id=picked.pk,
                org_number=picked.identity_masked
                if picked.is_sole_trader
                else picked.identity_display,
                name=picked.name,
                section=section,
                locality=_key(town),
                size_class=_key(size),
                reason=reason,
            )
        )
    return result

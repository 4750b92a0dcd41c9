"""Whom to visit next (issue 4, section 4).

Candidates are the companies active at the end of the year that had no held visit in
the last 24 months and have no planned visit ahead. The suggestions are picked
greedily: each pick goes to the SNI section whose one more visited company lowers
the distance D (see :mod:`brygga.insights.selectors`) the most, and within it to the
locality and then the size class that are most under-represented among the visited.
So visiting the suggested companies raises representativeness, and spreads the
visits over the municipality's localities and company sizes too.

Within a section the picks also spread: a (locality, size class) group already
picked in this batch yields to one that is not, so twenty suggestions do not all go
to the largest group.

The counting runs in SQL: the candidates per (division, town, size class) group are
the year's population less the companies visited in the window or planned
(:mod:`brygga.insights.group_counts`, cached). Python walks the groups, then reads
each picked group's largest employers from the (town, size class, employees) index:
one short query per picked group.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.insights.group_counts import (
    Counts,
    active_companies,
    busy_counts,
    busy_links,
    population_counts,
    year_end,
)
from brygga.insights.selectors import Coverage, plain_key, visit_coverage
from brygga.register.models import Company, SniCode
from brygga.register.sni import DIVISION_SECTION, MISSING, SECTIONS, section_key, section_short
from brygga.visits.models import VisitCompany

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


@dataclass(frozen=True)
class Window:
    """Whom not to suggest: companies with a held visit in [since, until] or a visit
    planned from ``today`` on."""

    since: dt.date
    until: dt.date
    today: dt.date

    @classmethod
    def of(cls, year: int, today: dt.date) -> Window:
        """The 24 months up to today, or up to the year's end for a past year."""
        until = min(today, year_end(year))
        since = until - relativedelta(months=NOT_VISITED_MONTHS) + dt.timedelta(days=1)
        return cls(since=since, until=until, today=today)


def candidate_counts(year: int, window: Window) -> Counts:
    """Active companies at the end of ``year`` that may be suggested, per group."""
    busy = busy_counts(year, window.since, window.until, window.today)
    counts = {g: n - busy.get(g, 0) for g, n in population_counts(year).items()}
    return {g: n for g, n in counts.items() if n > 0}


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
    window = Window.of(year, today)
    # Candidates per section and (raw town, raw size class), and per section in all.
    available: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for (division, town, size), left in candidate_counts(year, window).items():
        available[section_key(division)][(town, size)] += left
    left_in = Counter({section: sum(groups.values()) for section, groups in available.items()})

    sections = _state(coverage, "by_sni_section")
    towns = _state(coverage, "by_locality")
    sizes = _state(coverage, "by_size_class")
    picked: Counter[tuple[str, str, str]] = Counter()
    picks: list[tuple[str, str, str, str]] = []  # section, raw town, raw size, reason
    for _i in range(n):
        open_sections = [s for s, left in left_in.items() if left]
        if not open_sections:
            break
        section = min(
            open_sections, key=lambda s: (sections.distance_with(s), -sections.share_gap(s), s)
        )
        town, size = max(
            (g for g, left in available[section].items() if left),
            key=lambda g: (
                -picked[(section, *g)],
                towns.share_gap(plain_key(g[0])),
                sizes.share_gap(plain_key(g[1])),
                g,
            ),
        )
        picks.append((section, town, size, _reason(section, plain_key(town), sections, towns)))
        picked[(section, town, size)] += 1
        available[section][(town, size)] -= 1
        left_in[section] -= 1
        for state, key in ((sections, section), (towns, plain_key(town)), (sizes, plain_key(size))):
            state.visited[key] = state.visited.get(key, 0) + 1
    return _fetch(year, window, picks)


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
    """Whether a company's primary SNI 2007 code is in ``section`` (``?``: none, or one
    outside SNI 2007's divisions), as a filter on companies."""
    primary = SniCode.objects.filter(
        company=OuterRef("pk"), system=SniCode.System.SNI2007, position=0
    ).annotate(division=Substr("code", 1, 2))
    if section == MISSING:
        return ~Q(Exists(primary.filter(division__in=list(DIVISION_SECTION))))
    return Q(Exists(primary.filter(division__in=list(SECTIONS[section].divisions))))


def group_candidates(
    year: int, window: Window, group: tuple[str, str, str], k: int
) -> list[Company]:
    """The first ``k`` candidates of a (section, raw town, raw size class) group: the
    largest employers first, then in the order they came into the register. Read
    from the (town, size class, employees, id) index, so only the rows returned and
    the ones skipped on the way (other sections, busy companies) are touched."""
    section, town, size = group
    busy = VisitCompany.objects.filter(
        busy_links(window.since, window.until, window.today), company=OuterRef("pk")
    )
    return list(
        active_companies(year_end(year))
        .filter(_in_section(section), postal_town=town, size_class=size)
        .exclude(Exists(busy))
        .order_by(F("employees").desc(nulls_last=True), "pk")
        .only("id", "identity", "identity_kind", "name", "postal_town", "size_class", "employees")[
            :k
        ]
    )


def _fetch(year: int, window: Window, picks: list[tuple[str, str, str, str]]) -> list[Suggestion]:
    """The companies behind the picks: one query per picked group. A group that has
    fewer candidates than picks by now (a visit planned since it was counted) gives
    what it has."""
    wanted = Counter((p[0], p[1], p[2]) for p in picks)
    found = {group: group_candidates(year, window, group, k) for group, k in wanted.items()}
    result = []
    for section, town, size, reason in picks:
        companies = found[(section, town, size)]
        if not companies:
            continue
        picked = companies.pop(0)
        result.append(
            Suggestion(
                company_id=picked.pk,
                org_number=picked.identity_masked
                if picked.is_sole_trader
                else picked.identity_display,
                name=picked.name,
                section=section,
                locality=plain_key(town),
                size_class=plain_key(size),
                reason=reason,
            )
        )
    return result

"""Reads for the feedback heard in visits: who sees which items, the filters, the
breakdowns of the overview, the unlinked negative items and the export.

Scope
    :func:`feedback_visible_to` is the one rule: a case officer sees the feedback on
    the topics of their own department (``Topic.department``), other roles with
    ``VisitPerm.VIEW_FEEDBACK`` see all of it, everyone else none. The pages, the
    export and the API start from it.

Which companies an item concerns
    An item with ``company`` set was said by that company. An item without one was
    said by all the companies of its visit (that is what an empty company means on
    the form), so it concerns each of them. The breakdowns by locality and by trade
    count an item **once per company it concerns**: a joint item from a visit to
    three companies in Mariefred adds three to Mariefred, one from a visit to a
    builder and a shop adds one to each trade. Their totals may therefore exceed the
    number of items; the table by topic and the list count every item once. (An
    item whose company has since been taken off its visit concerns no company of
    the visit and is left out of these two breakdowns.)

    The locality and trade filters keep an item when at least one company it
    concerns matches; within the two per-company breakdowns they keep only the
    matching (item, company) pairs, so a filter on Mariefred shows only Mariefred.

Trade is the SNI 2007 section of a company's primary code (``SniCode`` of system
``sni2007`` at position 0), ``?`` when it has none; locality is its postal town.

Aggregation runs in the database (``GROUP BY``): the topic table groups by (topic,
year, tone), the per-company breakdowns by (postal town, SNI division, tone). The
few hundred grouped rows are rolled up here; the division is mapped to its section
in Python rather than by a 21-branch ``CASE`` on every row. Each function is a fixed
number of queries however many items there are. All visits count, whatever their
status: an item is what was heard, and a cancelled meeting has none.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce, ExtractYear, Substr
from django.utils.translation import gettext as _

from brygga.core.permissions import allowed
from brygga.register.models import Company, SniCode
from brygga.register.sni import MISSING, SECTIONS, section_label, section_of
from brygga.visits.forms.feedback_filters import NO_SNI, FeedbackFilters
from brygga.visits.models import Feedback, Topic, VisitCompany
from brygga.visits.permissions import VisitPerm

# What the pages and the export show of a company (name, link key, number, town).
COMPANY_FIELDS = ("id", "name", "identity", "identity_kind", "name_protection_no", "postal_town")
NEGATIVE = Feedback.Sentiment.NEGATIVE
POSITIVE = Feedback.Sentiment.POSITIVE
NEUTRAL = Feedback.Sentiment.NEUTRAL


# ---------------------------------------------------------------- scope


def is_department_scoped(user: Any) -> bool:
    """True for a case officer: they see only their own department's topics."""
    from brygga.accounts.models import User

    return getattr(user, "role", None) == User.Role.CASE_OFFICER


def feedback_visible_to(user: Any) -> QuerySet[Feedback]:
    """Every feedback item ``user`` may see (none without ``VisitPerm.VIEW_FEEDBACK``)."""
    items = Feedback.objects.all()
    if not allowed(user, VisitPerm.VIEW_FEEDBACK):
        return items.none()
    if is_department_scoped(user):
        department_id = getattr(user, "department_id", None)
        if department_id is None:
            return items.none()
        return items.filter(topic__department_id=department_id)
    return items


def topics_visible_to(user: Any) -> QuerySet[Topic]:
    """The topics whose feedback ``user`` sees, in list order (retired ones too:
    their feedback is still there)."""
    topics = Topic.objects.order_by("position", "label")
    if not allowed(user, VisitPerm.VIEW_FEEDBACK):
        return topics.none()
    if is_department_scoped(user):
        return topics.filter(department_id=getattr(user, "department_id", None) or -1)
    return topics


def topic_choices(user: Any) -> list[tuple[str, str]]:
    return list(topics_visible_to(user).values_list("key", "label"))


# ---------------------------------------------------------------- filters


def town_variants(town: str) -> list[str]:
    """How registers spell a town (MARIEFRED, Mariefred, Åkers styckebruk): exact
    matches keep the postal-town index usable, and SQLite folds only ASCII case."""
    return sorted({town, town.upper(), town.lower(), town.capitalize(), town.title()})


def _concerned_companies() -> QuerySet[VisitCompany]:
    """The visit companies an outer feedback item concerns: its own company, or every
    company of its visit when it has none."""
    return VisitCompany.objects.filter(
        visit_id=OuterRef("visit_id"),
        company_id=Coalesce(
            OuterRef("company_id"), F("company_id"), output_field=BigIntegerField()
        ),
    )


def _primary_sni() -> QuerySet[SniCode]:
    return SniCode.objects.filter(
        company_id=OuterRef("company_id"), system=SniCode.System.SNI2007, position=0
    )


def _in_section(letter: str, field_name: str = "code") -> Q:
    divisions = SECTIONS[letter].divisions
    return reduce(operator.or_, (Q(**{f"{field_name}__startswith": d}) for d in divisions))


def feedback_filter(items: QuerySet[Feedback], filters: FeedbackFilters) -> QuerySet[Feedback]:
    """Items matching ``filters`` (each item once)."""
    if filters.year_from is not None:
        items = items.filter(visit__date__gte=dt.date(filters.year_from, 1, 1))
    if filters.year_to is not None:
        items = items.filter(visit__date__lte=dt.date(filters.year_to, 12, 31))
    if filters.topic:
        items = items.filter(topic__key=filters.topic)
    if filters.tone:
        items = items.filter(sentiment=filters.tone)
    if filters.town:
        items = items.filter(
            Exists(
                _concerned_companies().filter(company__postal_town__in=town_variants(filters.town))
            )
        )
    if filters.sni == NO_SNI:
        items = items.filter(Exists(_concerned_companies().filter(~Exists(_primary_sni()))))
    elif filters.sni in SECTIONS:
        items = items.filter(
            Exists(
                _concerned_companies().filter(
                    Exists(_primary_sni().filter(_in_section(filters.sni)))
                )
            )
        )
    return items


def feedback_for(user: Any, filters: FeedbackFilters) -> QuerySet[Feedback]:
    """The items ``user`` sees that match ``filters``, newest visit first, with what
    the list, the export and the API show (a fixed number of queries)."""
    return (
        feedback_filter(feedback_visible_to(user), filters)
        .select_related("visit__kind", "company", "topic", "area", "activity")
        .prefetch_related(
            Prefetch(
                "visit__companies",
                queryset=Company.objects.only(*COMPANY_FIELDS).order_by("name", "id"),
            )
        )
        .order_by("-visit__date", "-id")
    )


def concerned(item: Feedback) -> list[Company]:
    """The companies an item concerns (from the prefetched visit companies)."""
    if item.company is not None:
        return [item.company]
    return list(item.visit.companies.all())


# ---------------------------------------------------------------- breakdowns


@dataclass
class Counts:
    negative: int = 0
    positive: int = 0
    neutral: int = 0

    @property
    def total(self) -> int:
        return self.negative + self.positive + self.neutral

    def add(self, sentiment: str, n: int) -> None:
        if sentiment == NEGATIVE:
            self.negative += n
        elif sentiment == POSITIVE:
            self.positive += n
        else:
            self.neutral += n


@dataclass
class TopicRow:
    key: str
    label: str
    cells: list[Counts]  # one per year of the table
    total: Counts


@dataclass
class TopicTable:
    years: list[int]
    rows: list[TopicRow]
    year_totals: list[Counts]
    total: Counts = field(default_factory=Counts)


@dataclass
class Group:
    """A row of a per-company breakdown: a locality or an SNI section (``?``: none)."""

    key: str
    label: str
    counts: Counts


def feedback_by_topic(items: QuerySet[Feedback]) -> TopicTable:
    """Items per topic and year, by tone; years run from the first to the last with
    any item (gaps kept, so the columns read as a time line). One query."""
    rows = (
        items.values(
            "topic__key",
            "topic__label",
            "topic__position",
            "sentiment",
            year=ExtractYear("visit__date"),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    tally: dict[tuple[int, str, str], dict[int, Counts]] = defaultdict(dict)
    years_seen: set[int] = set()
    for row in rows:
        year = int(row["year"])
        years_seen.add(year)
        topic = (row["topic__position"], row["topic__label"], row["topic__key"])
        tally[topic].setdefault(year, Counts()).add(row["sentiment"], row["n"])
    years = list(range(min(years_seen), max(years_seen) + 1)) if years_seen else []
    table = TopicTable(years=years, rows=[], year_totals=[Counts() for _y in years])
    for (_position, label, key), per_year in sorted(tally.items()):
        cells = [per_year.get(year, Counts()) for year in years]
        total = Counts()
        for i, cell in enumerate(cells):
            for counts in (total, table.year_totals[i], table.total):
                counts.negative += cell.negative
                counts.positive += cell.positive
                counts.neutral += cell.neutral
        table.rows.append(TopicRow(key=key, label=label, cells=cells, total=total))
    return table


def _pairs(items: QuerySet[Feedback], filters: FeedbackFilters) -> QuerySet[Feedback]:
    """One row per (item, company it concerns), annotated with the company's ``town``
    and SNI ``division``; all on one chain of joins."""
    vc_company = "visit__visit_companies__company"
    pairs = (
        items.annotate(concerned_id=F(f"{vc_company}_id"))
        .filter(Q(company__isnull=True) | Q(company_id=F("concerned_id")))
        .annotate(
            primary_sni=FilteredRelation(
                f"{vc_company}__sni_codes",
                condition=Q(
                    **{
                        f"{vc_company}__sni_codes__system": SniCode.System.SNI2007,
                        f"{vc_company}__sni_codes__position": 0,
                    }
                ),
            ),
            division=Substr("primary_sni__code", 1, 2),
            town=F(f"{vc_company}__postal_town"),
        )
    )
    if filters.town:
        pairs = pairs.filter(town__in=town_variants(filters.town))
    if filters.sni == NO_SNI:
        pairs = pairs.filter(division__isnull=True)
    elif filters.sni in SECTIONS:
        pairs = pairs.filter(division__in=SECTIONS[filters.sni].divisions)
    return pairs


@dataclass
class CompanyBreakdowns:
    by_locality: list[Group]
    by_trade: list[Group]


def feedback_by_company(items: QuerySet[Feedback], filters: FeedbackFilters) -> CompanyBreakdowns:
    """Items by locality and by trade of the companies they concern (see the module
    docstring for how an item without a company counts). One query."""
    pairs: Any = _pairs(items, filters)  # annotated names the type checker cannot see
    rows = pairs.values("town", "division", "sentiment").annotate(n=Count("pk")).order_by()
    towns: dict[str, Counts] = defaultdict(Counts)
    sections: dict[str, Counts] = defaultdict(Counts)
    for row in rows:
        town = (row["town"] or "").strip() or MISSING
        section = section_of(row["division"] or "")
        towns[town].add(row["sentiment"], row["n"])
        sections[section.letter if section else MISSING].add(row["sentiment"], row["n"])
    by_locality = sorted(
        (
            Group(key=k, label=_("Uppgift saknas") if k == MISSING else k, counts=c)
            for k, c in towns.items()
        ),
        key=lambda g: (g.key == MISSING, -g.counts.total, g.key),
    )
    by_trade = sorted(
        (Group(key=k, label=section_label(k), counts=c) for k, c in sections.items()),
        key=lambda g: (g.key == MISSING, g.key),
    )
    return CompanyBreakdowns(by_locality=by_locality, by_trade=by_trade)


# ---------------------------------------------------------------- work lists


def feedback_unlinked(user: Any) -> QuerySet[Feedback]:
    """The negative items ``user`` sees that are linked to no improvement area or
    activity, oldest first: the ones still waiting for someone to act on them."""
    return (
        feedback_visible_to(user)
        .filter(sentiment=NEGATIVE, area__isnull=True, activity__isnull=True)
        .select_related("visit__kind", "company", "topic")
        .prefetch_related(
            Prefetch(
                "visit__companies",
                queryset=Company.objects.only(*COMPANY_FIELDS).order_by("name", "id"),
            )
        )
        .order_by("visit__date", "id")
    )

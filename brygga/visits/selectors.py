"""Reads of visits, their feedback and follow-ups, the managed lists and the targets,
for the staff pages. Each page reads in a fixed number of queries however many
visits, companies or follow-ups it lists.

Company look-ups for the visit forms go through the register's own search
(:func:`brygga.register.search.company_search`), so an org number in any form or
a part of a name finds what the company list finds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear

from brygga.accounts.models import User
from brygga.actionplan.models import Activity, Area
from brygga.register.models import Company
from brygga.register.search import company_matches, company_search
from brygga.register.search_text import normalise
from brygga.visits.models import (
    Feedback,
    FollowUp,
    Topic,
    Visit,
    VisitCompany,
    VisitKind,
    VisitTarget,
)

# What lists show of a company: its name, identity (masked or not), town and status.
COMPANY_FIELDS = (
    "id",
    "identity",
    "identity_kind",
    "name_protection_no",
    "name",
    "postal_town",
    "status",
)
USER_FIELDS = ("id", "full_name", "email")
# A look-up with more matches than this asks staff to type more.
LOOKUP_LIMIT = 20
# "Mina uppföljningar" also lists what was closed this many days back.
RECENTLY_CLOSED_DAYS = 30
# The company page lists this many of the company's latest visits.
COMPANY_PAGE_VISITS = 5


def _companies() -> Prefetch[Any]:
    return Prefetch("companies", queryset=Company.objects.only(*COMPANY_FIELDS))


def _staff() -> Prefetch[Any]:
    return Prefetch("staff", queryset=User.objects.only(*USER_FIELDS).order_by("full_name", "id"))


# ---------------------------------------------------------------- visits


@dataclass(frozen=True)
class VisitFilters:
    year: int | None = None
    kind: VisitKind | None = None
    status: str = ""
    staff: User | None = None
    company: str = ""


def _count(rows: QuerySet[Any]) -> Coalesce:
    """How many of ``rows`` belong to the outer visit, as a subquery (so that counting
    the list's pages does not join them)."""
    per_visit = rows.filter(visit=OuterRef("pk")).order_by().values("visit").annotate(n=Count("id"))
    return Coalesce(Subquery(per_visit.values("n")), Value(0))


def visit_list(filters: VisitFilters) -> QuerySet[Visit]:
    """Visits newest first, with their kind, companies and staff, and how many feedback
    items and open follow-ups each has."""
    qs = Visit.objects.all()
    if filters.year is not None:
        qs = qs.filter(date__year=filters.year)
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.staff is not None:
        qs = qs.filter(staff=filters.staff)
    if filters.company.strip():
        matching = company_matches(Company.objects.all(), filters.company).order_by().values("pk")
        qs = qs.filter(
            Exists(VisitCompany.objects.filter(visit=OuterRef("pk"), company__in=matching))
        )
    return (
        qs.select_related("kind")
        .prefetch_related(_companies(), _staff())
        .annotate(
            feedback_count=_count(Feedback.objects.all()),
            open_follow_ups=_count(FollowUp.objects.filter(status=FollowUp.Status.OPEN)),
        )
        .order_by("-date", "-id")
    )


def visit_for_page(pk: int) -> Visit | None:
    """One visit with everything its page shows, in five queries."""
    return (
        Visit.objects.filter(pk=pk)
        .select_related("kind", "created_by")
        .prefetch_related(
            _companies(),
            _staff(),
            Prefetch(
                "feedback",
                queryset=Feedback.objects.select_related(
                    "topic", "company", "area__program", "activity__area"
                ).order_by("id"),
            ),
            Prefetch(
                "follow_ups",
                queryset=FollowUp.objects.select_related("owner").order_by("due_on", "id"),
            ),
        )
        .first()
    )


def company_visits(company: Company, *, limit: int = COMPANY_PAGE_VISITS) -> list[Visit]:
    """The company's latest visits (any status) for its register page, in one query."""
    return list(
        Visit.objects.filter(visit_companies__company=company)
        .select_related("kind")
        .order_by("-date", "-id")[:limit]
    )


def staff_choices() -> QuerySet[User]:
    """Whom a visit or follow-up can name: the active users, by name."""
    return User.objects.filter(is_active=True).order_by("full_name", "id")


# ---------------------------------------------------------------- company look-up


@dataclass
class CompanyLookup:
    """What a typed company (org number or name) found among the active companies."""

    text: str
    matches: list[Company] = field(default_factory=list)
    total: int = 0
    # The search that actually ran when the typed one matched nothing (a misspelling).
    corrected: str = ""

    @property
    def chosen(self) -> Company | None:
        """The one company meant, if it is clear: the only match, or the only one whose
        name is exactly what was typed. Never a guess from a corrected search."""
        if self.corrected:
            return None
        if self.total == 1:
            return self.matches[0]
        typed = normalise(self.text)
        exact = [c for c in self.matches if normalise(c.name) == typed]
        return exact[0] if len(exact) == 1 else None


def company_lookup(text: str, *, limit: int = LOOKUP_LIMIT) -> CompanyLookup:
    """Active companies matching ``text`` (at most ``limit``, best first)."""
    if not text.strip():
        return CompanyLookup(text=text)
    active = Company.objects.filter(status=Company.Status.ACTIVE).only(*COMPANY_FIELDS)
    result = company_search(active, text)
    return CompanyLookup(
        text=text, matches=result[:limit], total=result.count(), corrected=result.corrected
    )


def company_by_pk(pk: int) -> Company | None:
    return Company.objects.only(*COMPANY_FIELDS).filter(pk=pk).first()


# ---------------------------------------------------------------- feedback


@dataclass(frozen=True)
class LinkGroup:
    """One improvement area and its activities, as one group of the link select."""

    label: str  # the program, then the area
    area: Area
    activities: list[Activity]


def feedback_link_groups() -> list[LinkGroup]:
    """Every improvement area with its activities, by program, in two queries."""
    areas = list(
        Area.objects.select_related("program").order_by(
            "program__position", "program__title", "program_id", "position", "title", "id"
        )
    )
    by_area: dict[int, list[Activity]] = {area.pk: [] for area in areas}
    for activity in Activity.objects.only("id", "title", "area_id", "position").order_by(
        "position", "title", "id"
    ):
        by_area.setdefault(activity.area_id, []).append(activity)
    sep = " \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} "
    return [
        LinkGroup(
            label=area.program.title + sep + area.title, area=area, activities=by_area[area.pk]
        )
        for area in areas
    ]


# ---------------------------------------------------------------- follow-ups


def follow_ups_base() -> QuerySet[FollowUp]:
    return FollowUp.objects.select_related("visit__kind", "owner").prefetch_related(
        Prefetch("visit__companies", queryset=Company.objects.only(*COMPANY_FIELDS))
    )


@dataclass(frozen=True)
class MyFollowUps:
    overdue: list[FollowUp]
    upcoming: list[FollowUp]
    closed: list[FollowUp]


def my_follow_ups(user: Any, *, today: dt.date) -> MyFollowUps:
    """``user``'s open follow-ups (overdue ones apart, earliest due first) and those
    closed in the last :data:`RECENTLY_CLOSED_DAYS` days, in three queries."""
    since = today - dt.timedelta(days=RECENTLY_CLOSED_DAYS)
    rows = list(
        follow_ups_base()
        .filter(owner=user)
        .filter(Q(status=FollowUp.Status.OPEN) | Q(done_at__date__gte=since))
        .order_by("due_on", "id")
    )
    open_rows = [f for f in rows if f.status == FollowUp.Status.OPEN]
    closed = [f for f in rows if f.status != FollowUp.Status.OPEN]
    closed.sort(key=lambda f: (f.done_at or dt.datetime.min.replace(tzinfo=dt.UTC)), reverse=True)
    return MyFollowUps(
        overdue=[f for f in open_rows if f.due_on < today],
        upcoming=[f for f in open_rows if f.due_on >= today],
        closed=closed,
    )


def overdue_follow_ups(*, today: dt.date) -> QuerySet[FollowUp]:
    """Every open follow-up past its due date, the longest overdue first."""
    return (
        follow_ups_base()
        .filter(status=FollowUp.Status.OPEN, due_on__lt=today)
        .order_by("due_on", "id")
    )


# ---------------------------------------------------------------- lists and targets


def kinds_for_lists() -> list[tuple[VisitKind, int]]:
    """Every kind with how many visits it has, in two queries."""
    counts = dict(Visit.objects.order_by().values_list("kind").annotate(n=Count("id")))
    return [
        (kind, counts.get(kind.pk, 0)) for kind in VisitKind.objects.order_by("position", "label")
    ]


def topics_for_lists() -> QuerySet[Topic]:
    """Every topic with its department and how many feedback items it has."""
    return (
        Topic.objects.select_related("department")
        .annotate(feedback_count=Count("feedback"))
        .order_by("position", "label")
    )


def targets_with_visits() -> list[tuple[VisitTarget, int]]:
    """Every year's target with the held visits of that year, in two queries."""
    targets = list(VisitTarget.objects.order_by("-year"))
    held = dict(
        Visit.objects.filter(status=Visit.Status.HELD, date__year__in=[t.year for t in targets])
        .annotate(year=ExtractYear("date"))
        .order_by()
        .values_list("year")
        .annotate(n=Count("id"))
    )
    return [(target, held.get(target.year, 0)) for target in targets]

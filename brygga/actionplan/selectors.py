"""Reads for the public pages, the feeds and the API: only what is published.

Each page's selector runs a fixed number of queries however many activities,
comments or ideas there are (the tests assert it with 5 and with 500).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Count, F, Model, Q, QuerySet

from brygga.actionplan.models import (
    Activity,
    ActivityStatus,
    ActivityUpdate,
    Area,
    Comment,
    Contribution,
    Goal,
    Idea,
    Program,
)

M = TypeVar("M", bound=Model)

# What the public sees of comments and ideas: the published ones, and in place of one
# hidden after it was published, the moderator's reason. One that was never published
# (pre-moderated and rejected) leaves no trace.
PUBLIC_CONTRIBUTIONS = Q(state=Contribution.State.PUBLISHED) | Q(
    state=Contribution.State.HIDDEN, published_at__isnull=False
)
LATEST_LIMIT = 10


def public_programs() -> QuerySet[Program]:
    return Program.objects.filter(published=True)


def public_areas() -> QuerySet[Area]:
    return Area.objects.filter(published=True, program__published=True)


def public_activities() -> QuerySet[Activity]:
    return Activity.objects.filter(
        published=True, area__published=True, area__program__published=True
    )


def public_updates() -> QuerySet[ActivityUpdate]:
    """Timeline entries of public activities, from the activity's publication on
    (what was written while it was a draft stays internal)."""
    return ActivityUpdate.objects.filter(
        activity__published=True,
        activity__area__published=True,
        activity__area__program__published=True,
        at__gte=F("activity__published_at"),
    ).select_related("activity__area__program", "activity__status", "status", "previous_status")


def latest_updates(
    *, limit: int = LATEST_LIMIT, program: Program | None = None, area: Area | None = None
) -> list[ActivityUpdate]:
    updates = public_updates()
    if area is not None:
        updates = updates.filter(activity__area=area)
    elif program is not None:
        updates = updates.filter(activity__area__program=program)
    return list(updates.order_by("-at", "-id")[:limit])


# ---------------------------------------------------------------- start page


@dataclass
class ProgramSummary:
    program: Program
    areas: int
    activities: int
    done: int

    @property
    def progress(self) -> int:
        """Share of activities done, in per cent (what the start page shows)."""
        return round(100 * self.done / self.activities) if self.activities else 0


def start_page() -> tuple[list[ProgramSummary], list[ActivityUpdate]]:
    """Published programs with their counts, and the latest public updates."""
    visible = Q(areas__published=True, areas__activities__published=True)
    programs = public_programs().annotate(
        n_areas=Count("areas", filter=Q(areas__published=True), distinct=True),
        n_activities=Count("areas__activities", filter=visible, distinct=True),
        n_done=Count(
            "areas__activities",
            filter=visible & Q(areas__activities__status__progress__gte=100),
            distinct=True,
        ),
    )
    summaries = [ProgramSummary(p, p.n_areas, p.n_activities, p.n_done) for p in programs]
    return summaries, latest_updates()


# ---------------------------------------------------------------- program page


@dataclass
class AreaSummary:
    area: Area
    counts: list[tuple[ActivityStatus, int]]
    total: int


@dataclass
class ProgramPage:
    program: Program
    goals: list[Goal]
    areas: list[AreaSummary]
    updates: list[ActivityUpdate]


def program_for_page(slug: str) -> ProgramPage | None:
    """A published program with its goals, its areas with activity counts per status, and
    its latest public updates. Six queries, however many areas and activities."""
    program = public_programs().filter(slug=slug).first()
    if program is None:
        return None
    goals = list(program.goals.order_by("position", "id"))
    areas = list(
        public_areas().filter(program=program).select_related("goal").order_by("position", "title")
    )
    rows = (
        public_activities()
        .filter(area__program=program)
        .values("area_id", "status_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    statuses = {s.pk: s for s in ActivityStatus.objects.all()}
    by_area: dict[int, dict[int, int]] = {}
    for row in rows:
        by_area.setdefault(row["area_id"], {})[row["status_id"]] = row["n"]
    summaries = []
    for area in areas:
        area.program = program  # for get_absolute_url without another query
        counts = by_area.get(area.pk, {})
        ordered = sorted(
            ((statuses[sid], n) for sid, n in counts.items()),
            key=lambda pair: (pair[0].position, pair[0].label),
        )
        summaries.append(AreaSummary(area, ordered, sum(counts.values())))
    return ProgramPage(program, goals, summaries, latest_updates(program=program))


# ---------------------------------------------------------------- area page


@dataclass
class StatusGroup:
    status: ActivityStatus
    activities: list[Activity] = field(default_factory=list)


@dataclass
class PublicIdea:
    """An idea as the public sees it: ``activity`` is the activity it became, when that
    activity is itself public (a draft is neither named nor linked)."""

    idea: Idea
    activity: Activity | None


def _is_public(activity: Activity) -> bool:
    """Reads ``area`` and its ``program``: select them with the activity."""
    return activity.published and activity.area.published and activity.area.program.published


def _public_ideas(ideas: QuerySet[Idea]) -> list[PublicIdea]:
    rows = ideas.filter(PUBLIC_CONTRIBUTIONS).select_related("activity__area__program")
    return [
        PublicIdea(idea, idea.activity if idea.activity and _is_public(idea.activity) else None)
        for idea in rows
    ]


@dataclass
class AreaPage:
    area: Area
    groups: list[StatusGroup]
    ideas: list[PublicIdea]

    @property
    def total(self) -> int:
        return sum(len(g.activities) for g in self.groups)


def area_for_page(program_slug: str, area_slug: str) -> AreaPage | None:
    """An area with its published activities grouped by status, and its public ideas.

    Three queries, however many activities and ideas.
    """
    area = (
        public_areas()
        .filter(program__slug=program_slug, slug=area_slug)
        .select_related("program", "goal")
        .first()
    )
    if area is None:
        return None
    activities = (
        public_activities()
        .filter(area=area)
        .select_related("status")
        .order_by("status__position", "status__label", "status_id", "position", "title")
    )
    groups: list[StatusGroup] = []
    for activity in activities:
        activity.area = area  # for get_absolute_url without another query
        if not groups or groups[-1].status.pk != activity.status_id:
            groups.append(StatusGroup(activity.status))
        groups[-1].activities.append(activity)
    ideas = _public_ideas(Idea.objects.filter(area=area).order_by("-published_at", "-id"))
    return AreaPage(area, groups, ideas)


# ---------------------------------------------------------------- activity page


@dataclass
class ActivityPage:
    activity: Activity
    timeline: list[ActivityUpdate]
    comments: list[Comment]
    ideas: list[Idea]


def activity_for_page(program_slug: str, area_slug: str, slug: str) -> ActivityPage | None:
    """A published activity with its whole timeline (newest first), its public comments
    (oldest first, as a conversation reads) and the public ideas that became it.

    Four queries, however many entries, comments and ideas.
    """
    activity = (
        public_activities()
        .filter(area__program__slug=program_slug, area__slug=area_slug, slug=slug)
        .select_related("area__program", "status", "contact")
        .first()
    )
    if activity is None:
        return None
    timeline = list(
        activity.updates.filter(at__gte=activity.published_at)
        .select_related("status", "previous_status")
        .order_by("-at", "-id")
    )
    comments = list(activity.comments.filter(PUBLIC_CONTRIBUTIONS).order_by("published_at", "id"))
    # An idea may have been proposed in another area of the program: link to its own.
    ideas = list(
        activity.ideas.filter(
            PUBLIC_CONTRIBUTIONS, area__published=True, area__program__published=True
        )
        .select_related("area__program")
        .order_by("-published_at", "-id")
    )
    return ActivityPage(activity, timeline, comments, ideas)


# ---------------------------------------------------------------- search


@dataclass
class SearchResults:
    """What a search found; each list holds at most ``SEARCH_LIMIT`` rows, and
    ``truncated`` says that one of them had more."""

    query: str
    programs: list[Program]
    areas: list[Area]
    activities: list[Activity]
    truncated: bool = False

    @property
    def count(self) -> int:
        return len(self.programs) + len(self.areas) + len(self.activities)


SEARCH_LIMIT = 50
SEARCH_WORDS = 8


def _words(query: str) -> list[str]:
    return [w for w in query.casefold().split() if w][:SEARCH_WORDS]


def _variants(word: str) -> set[str]:
    # SQLite's LIKE folds the case of ASCII letters only: "åker" would miss "Åkers".
    # Looking for the capitalised and upper-case forms too covers how names are written.
    return {word, word.capitalize(), word.upper()}


def _matching(queryset: QuerySet[M], fields: Sequence[str], words: list[str]) -> QuerySet[M]:
    for word in words:
        condition = Q()
        for name in fields:
            for variant in _variants(word):
                condition |= Q(**{f"{name}__icontains": variant})
        queryset = queryset.filter(condition)
    return queryset


def _first(queryset: QuerySet[M]) -> tuple[list[M], bool]:
    rows = list(queryset[: SEARCH_LIMIT + 1])
    return rows[:SEARCH_LIMIT], len(rows) > SEARCH_LIMIT


def search(query: str) -> SearchResults:
    """Published programs, areas and activities where every word of ``query`` occurs in
    a title or text. Three queries (none for an empty query)."""
    words = _words(query)
    if not words:
        return SearchResults(query, [], [], [])
    texts = ("title", "description")
    programs, more_programs = _first(_matching(public_programs(), (*texts, "summary"), words))
    areas, more_areas = _first(
        _matching(public_areas(), (*texts, "summary"), words).select_related("program")
    )
    activities, more_activities = _first(
        _matching(
            public_activities(), (*texts, "status_text", "further_info"), words
        ).select_related("area__program", "status")
    )
    return SearchResults(
        query, programs, areas, activities, more_programs or more_areas or more_activities
    )

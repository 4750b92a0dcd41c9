"""Reads for the staff pages of the action plan: everything, drafts included.

Each page's read runs a fixed number of queries however many areas, activities,
timeline entries or subscribers there are (the tests assert it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from brygga.actionplan.models import (
    Activity,
    ActivityStatus,
    ActivityUpdate,
    Area,
    Comment,
    Contribution,
    Idea,
    Program,
    Subscription,
)


def programs_for_staff() -> QuerySet[Program]:
    """Every program, drafts too, with the number of areas and activities in it."""
    return Program.objects.annotate(
        n_areas=Count("areas", distinct=True),
        n_activities=Count("areas__activities", distinct=True),
    ).order_by("position", "title")


@dataclass(frozen=True)
class ModerationCounts:
    comments: int
    ideas: int

    @property
    def total(self) -> int:
        return self.comments + self.ideas


def moderation_counts() -> ModerationCounts:
    """Comments and ideas waiting for a moderator."""
    pending = Contribution.State.PENDING
    return ModerationCounts(
        comments=Comment.objects.filter(state=pending).count(),
        ideas=Idea.objects.filter(state=pending).count(),
    )


def program_for_staff(pk: int) -> tuple[Program, list[Area]] | None:
    """A program with its goals, and its areas with their activity counts."""
    program = Program.objects.filter(pk=pk).prefetch_related("goals").first()
    if program is None:
        return None
    areas: list[Area] = list(
        program.areas.select_related("goal")
        .annotate(
            n_activities=Count("activities"),
            n_published=Count("activities", filter=Q(activities__published=True)),
        )
        .order_by("position", "title")
    )
    return program, areas


def area_for_staff(pk: int) -> tuple[Area, list[Activity]] | None:
    """An area with its program and goal, and all its activities with their status."""
    area = Area.objects.filter(pk=pk).select_related("program", "goal").first()
    if area is None:
        return None
    activities = list(
        area.activities.select_related("status", "contact").order_by("position", "title", "id")
    )
    for activity in activities:
        activity.area = area  # for links without another query
    return area, activities


def activity_for_staff(pk: int) -> tuple[Activity, list[ActivityUpdate]] | None:
    """An activity with its area, program, status and contact, and its whole timeline."""
    activity = (
        Activity.objects.filter(pk=pk).select_related("area__program", "status", "contact").first()
    )
    if activity is None:
        return None
    timeline = list(
        activity.updates.select_related("status", "previous_status", "author").order_by(
            "-at", "-id"
        )
    )
    return activity, timeline


@dataclass(frozen=True)
class SubscriberCounts:
    area_confirmed: int
    area_pending: int
    program_confirmed: int
    program_pending: int
    # Addresses told about a change in the area: confirmed for the area or its program.
    reached: int


def area_subscriber_counts(area: Area) -> SubscriberCounts:
    confirmed = Q(confirmed_at__isnull=False)
    on_area = Q(area=area)
    on_program = Q(program_id=area.program_id)
    row = Subscription.objects.filter(on_area | on_program).aggregate(
        area_confirmed=Count("id", filter=on_area & confirmed),
        area_pending=Count("id", filter=on_area & ~confirmed),
        program_confirmed=Count("id", filter=on_program & confirmed),
        program_pending=Count("id", filter=on_program & ~confirmed),
        reached=Count("subscriber", filter=confirmed, distinct=True),
    )
    return SubscriberCounts(**row)


def area_subscriptions(area: Area) -> QuerySet[Subscription]:
    """The subscriptions to ``area`` and to its program, by e-mail address."""
    return (
        Subscription.objects.filter(Q(area=area) | Q(program_id=area.program_id))
        .select_related("subscriber")
        .order_by("subscriber__email", "id")
    )


def statuses_for_staff() -> list[tuple[ActivityStatus, int]]:
    """Every status, with how many activities have it."""
    used = dict(
        Activity.objects.order_by()
        .values_list("status_id")
        .annotate(n=Count("id"))
        .values_list("status_id", "n")
    )
    return [(s, used.get(s.pk, 0)) for s in ActivityStatus.objects.order_by("position", "label")]

"""Test data for the action plan's staff pages: a program with an area and activities,
subscribers, timeline entries. Built with the services, as staff would build it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.utils import timezone

from brygga.accounts.models import User
from brygga.actionplan.models import (
    Activity,
    Area,
    Comment,
    Contribution,
    Goal,
    Idea,
    Program,
    Subscriber,
    Subscription,
)
from brygga.actionplan.services.status import activity_set_status
from brygga.actionplan.services.structure import (
    activity_create,
    area_create,
    goal_create,
    program_create,
)
from brygga.actionplan.tests.factories import status


@dataclass
class Plan:
    program: Program
    goal: Goal
    area: Area
    activities: list[Activity] = field(default_factory=list)

    @property
    def activity(self) -> Activity:
        return self.activities[0]


def make_plan(
    *,
    activities: int = 3,
    published: bool = True,
    contact: User | None = None,
    title: str = "Topp 50-2017",
) -> Plan:
    """A program with one goal, one area and ``activities`` activities, each with a
    status entry on its timeline (so the timeline grows with the data)."""
    program = program_create(title=title, published=published, summary="Ett program.")
    goal = goal_create(program=program, title="Inflytande", target="Topp 5 i rankingen")
    area = area_create(
        program=program,
        title="Förbättra dialogen mellan företagare och politiker/tjänstemän",
        goal=goal,
        published=published,
    )
    plan = Plan(program, goal, area)
    keys = ["investigating", "done", "ongoing", "planned"]
    for n in range(activities):
        activity = activity_create(
            area=area,
            title=f"Aktivitet {n + 1:03d}",
            status=status("planned"),
            status_text="Vi planerar.",
            description="Beskrivning.\n\nMed två stycken.",
            contact=contact,
            published=published,
            notify=False,
        )
        activity_set_status(
            activity=activity,
            status=status(keys[n % len(keys)]),
            status_text=f"Läget för aktivitet {n + 1}.",
            notify=False,
        )
        plan.activities.append(activity)
    return plan


def subscribe(
    email: str,
    *,
    area: Area | None = None,
    program: Program | None = None,
    confirmed: bool = True,
    frequency: str = Subscriber.Frequency.IMMEDIATE,
) -> Subscription:
    """A subscription as it is after the double opt-in (or before it, ``confirmed=False``)."""
    subscriber, _created = Subscriber.objects.get_or_create(
        email=email, defaults={"token": secrets.token_urlsafe(32), "frequency": frequency}
    )
    return Subscription.objects.create(
        subscriber=subscriber,
        area=area,
        program=program,
        token=secrets.token_urlsafe(32),
        confirmed_at=timezone.now() if confirmed else None,
    )


def pending_contributions(plan: Plan, *, comments: int, ideas: int) -> None:
    """Comments and ideas waiting for a moderator (verified, in a pre-moderated program)."""
    for n in range(comments):
        Comment.objects.create(
            activity=plan.activity,
            name=f"Kommentator {n}",
            email=f"k{n}@example.se",
            text="En kommentar.",
            state=Contribution.State.PENDING,
            token_hash=secrets.token_hex(32),
            verified_at=timezone.now(),
        )
    for n in range(ideas):
        Idea.objects.create(
            area=plan.area,
            name=f"Idégivare {n}",
            email=f"i{n}@example.se",
            title=f"Idé {n}",
            text="En idé.",
            state=Contribution.State.PENDING,
            token_hash=secrets.token_hex(32),
            verified_at=timezone.now(),
        )

"""Test data for the action plan, built through the services as staff and visitors would.

Each helper makes one thing with Swedish defaults you can override::

    program = make_program()                      # published "Topp 50-2017"
    area = make_area(program)                     # published area
    activity = make_activity(area, status="done", contact=make_contact())
    make_status_change(activity, "investigating", "Vi utreder.")
    make_comment(activity, text="Bra!", reply="Tack!")
    make_idea(area, status="declined", reason="Ryms inte i budgeten.")

``bulk_activities``, ``bulk_updates``, ``bulk_comments`` and ``bulk_ideas`` write
hundreds of rows at once (what the services would leave, without their per-row audit
entries and e-mails) for the query-count tests.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.utils import timezone

from brygga.accounts.models import User
from brygga.accounts.services import user_create
from brygga.actionplan.models import (
    Activity,
    ActivityStatus,
    ActivityUpdate,
    Area,
    Comment,
    Contribution,
    Idea,
    Program,
)
from brygga.actionplan.services.participation import (
    comment_submit,
    contribution_hide,
    contribution_reply,
    contribution_verify,
    idea_set_status,
    idea_submit,
)
from brygga.actionplan.services.status import activity_post_update, activity_set_status
from brygga.actionplan.services.structure import (
    activity_create,
    area_create,
    goal_create,
    program_create,
    statuses_ensure_defaults,
)

STATUS_KEYS = ("planned", "ongoing", "investigating", "done", "cancelled")


def ensure_default_statuses() -> None:
    """The default statuses of migration 0002, again: a test on a live server empties
    every table when it ends, the migration's data included."""
    statuses_ensure_defaults()


def status(key: str) -> ActivityStatus:
    """One of the default statuses (migration 0002): planned, ongoing, investigating, done,
    cancelled (made again for every test by the autouse fixture in conftest.py)."""
    return _status(key)


def _status(key: str) -> ActivityStatus:
    # make_activity's ``status`` argument hides the public name there.
    return ActivityStatus.objects.get(key=key)


def make_contact(
    *,
    email: str = "gunilla.malm@example.se",
    full_name: str = "Gunilla Malm",
    title: str = "Näringslivsutvecklare",
    phone: str = "0152-291 60",
) -> User:
    """A staff member who is the public contact of activities."""
    return user_create(
        email=email, full_name=full_name, role=User.Role.DEVELOPER, title=title, phone=phone
    )


def make_program(
    *, title: str = "Topp 50-2017", published: bool = True, goals: int = 0, **data: Any
) -> Program:
    """A program; ``goals`` adds that many goals with a measurable target each."""
    data.setdefault("summary", "Kommunens program för ett bättre företagsklimat.")
    program = program_create(title=title, published=published, **data)
    for n in range(goals):
        goal_create(
            program=program,
            title=f"Mål {n + 1}",
            target=f"Mätbart mål {n + 1}",
            position=n,
        )
    return program


def make_area(
    program: Program,
    *,
    title: str = "Förbättra dialogen mellan företagare och politiker/tjänstemän",
    published: bool = True,
    **data: Any,
) -> Area:
    data.setdefault("description", "En förutsättning för ett bra företagsklimat är dialog.")
    return area_create(program=program, title=title, published=published, **data)


def make_activity(
    area: Area,
    *,
    title: str = "Näringslivskontoret genomför 250 företagsbesök",
    status: str = "ongoing",
    status_text: str = "Arbetet pågår.",
    published: bool = True,
    at: dt.datetime | None = None,
    **data: Any,
) -> Activity:
    """An activity; when published, its "added" entry is on the timeline (dated ``at``)."""
    return activity_create(
        area=area,
        title=title,
        status=_status(status),
        status_text=status_text,
        published=published,
        at=at,
        notify=False,
        **data,
    )


def make_status_change(
    activity: Activity, key: str, text: str, *, at: dt.datetime | None = None
) -> ActivityUpdate:
    """A status change (or, with the same status, an update of the status text)."""
    entry = activity_set_status(
        activity=activity, status=status(key), status_text=text, at=at, notify=False
    )
    assert entry is not None, "nothing changed"
    return entry


def make_update(
    activity: Activity, text: str = "Nytt möte är bokat.", *, at: dt.datetime | None = None
) -> ActivityUpdate:
    """A public update on the timeline, without a new status."""
    return activity_post_update(activity=activity, text=text, at=at, notify=False)


def make_comment(
    activity: Activity,
    *,
    name: str = "Sara Lind",
    email: str = "sara.lind@batvarv.example.se",
    text: str = "Bra initiativ!",
    verified: bool = True,
    hidden: str = "",
    reply: str = "",
    moderator: User | None = None,
) -> Comment:
    """A visitor's comment; ``verified`` as if the e-mailed link was clicked (published,
    or pending when the program is pre-moderated); ``hidden`` hides it with that reason;
    ``reply`` adds the municipality's answer."""
    comment = comment_submit(activity=activity, name=name, email=email, text=text)
    if verified:
        comment = contribution_verify(contribution=comment)
    if hidden:
        comment = contribution_hide(contribution=comment, reason=hidden, actor=moderator)
    if reply:
        comment = contribution_reply(contribution=comment, text=reply, actor=moderator)
    return comment


def make_idea(
    area: Area,
    *,
    name: str = "Omar Haddad",
    email: str = "omar@kafe.example.se",
    title: str = "Företagarlunch varje kvartal",
    text: str = "En lunch där företagare och politiker träffas utan dagordning.",
    verified: bool = True,
    status: str = Idea.Status.RECEIVED,
    reason: str = "",
    activity: Activity | None = None,
    hidden: str = "",
    moderator: User | None = None,
) -> Idea:
    """A visitor's idea with its public status (``activity`` for "became an activity",
    ``reason`` for "declined")."""
    idea = idea_submit(area=area, name=name, email=email, title=title, text=text)
    if verified:
        idea = contribution_verify(contribution=idea)
    if status != Idea.Status.RECEIVED:
        idea = idea_set_status(
            idea=idea, status=status, reason=reason, activity=activity, actor=moderator
        )
    if hidden:
        idea = contribution_hide(contribution=idea, reason=hidden, actor=moderator)
    return idea


# ---------------------------------------------------------------- many rows at once


def bulk_activities(
    area: Area, count: int, *, contact: User | None = None, title: str = "Aktivitet"
) -> list[Activity]:
    """``count`` published activities spread over the default statuses, each with the
    "added" and a "status" entry on its timeline, as the services would leave them."""
    statuses = [status(key) for key in STATUS_KEYS]
    planned = statuses[0]
    now = timezone.now()
    published = now - dt.timedelta(days=30)
    start = Activity.objects.filter(area=area).count()
    activities = Activity.objects.bulk_create(
        Activity(
            area=area,
            title=f"{title} {start + n + 1:04d}",
            slug=f"{title.lower()}-{start + n + 1:04d}",
            status=statuses[n % len(statuses)],
            status_text=f"Läget för aktivitet {start + n + 1}.",
            description="Beskrivning.\n\nMed två stycken.",
            further_info="Läs mer på https://www.example.se/.",
            contact=contact,
            published=True,
            published_at=published,
            position=start + n,
        )
        for n in range(count)
    )
    entries = []
    for n, activity in enumerate(activities):
        entries.append(
            ActivityUpdate(
                activity=activity,
                kind=ActivityUpdate.Kind.ADDED,
                status=planned,
                at=published,
                notify=False,
            )
        )
        entries.append(
            ActivityUpdate(
                activity=activity,
                kind=ActivityUpdate.Kind.STATUS,
                status=activity.status,
                previous_status=planned,
                text=activity.status_text,
                at=now - dt.timedelta(days=1, minutes=n),
                notify=False,
            )
        )
    ActivityUpdate.objects.bulk_create(entries)
    return activities


def bulk_comments(activity: Activity, count: int, *, replied: bool = True) -> list[Comment]:
    """``count`` published comments on ``activity`` (every third hidden, every other one
    with the municipality's reply when ``replied``), as moderation would leave them."""
    now = timezone.now()
    comments = []
    for n in range(count):
        hidden = n % 3 == 2
        comments.append(
            Comment(
                activity=activity,
                name=f"Företagare {n + 1}",
                email=f"foretagare{n + 1}@example.se",
                text=f"Kommentar nummer {n + 1}.\n\nMed ett andra stycke.",
                state=Contribution.State.HIDDEN if hidden else Contribution.State.PUBLISHED,
                hidden_reason="Innehöll personuppgifter." if hidden else "",
                token_hash=secrets.token_hex(32),
                verified_at=now,
                published_at=now - dt.timedelta(minutes=count - n),
                reply_text="Tack för synpunkten!" if replied and n % 2 == 0 else "",
                reply_at=now if replied and n % 2 == 0 else None,
            )
        )
    return Comment.objects.bulk_create(comments)


def bulk_updates(activity: Activity, count: int) -> list[ActivityUpdate]:
    """``count`` public updates on ``activity``'s timeline, one a day back from today
    (the activity is dated as published before the first of them)."""
    now = timezone.now()
    published = now - dt.timedelta(days=count + 1)
    if activity.published_at is None or activity.published_at > published:
        Activity.objects.filter(pk=activity.pk).update(published_at=published)
        activity.updates.filter(kind=ActivityUpdate.Kind.ADDED).update(at=published)
        activity.published_at = published
    return ActivityUpdate.objects.bulk_create(
        ActivityUpdate(
            activity=activity,
            kind=ActivityUpdate.Kind.UPDATE,
            status=activity.status,
            text=f"Uppdatering nummer {n + 1}.",
            at=now - dt.timedelta(days=n + 1),
            notify=False,
        )
        for n in range(count)
    )


def bulk_ideas(area: Area, count: int, *, activity: Activity | None = None) -> list[Idea]:
    """``count`` published ideas in ``area`` in every public status (every fourth hidden);
    with ``activity``, the ideas that became an activity became that one."""
    now = timezone.now()
    statuses = list(Idea.Status)
    ideas = []
    for n in range(count):
        idea_status = statuses[n % len(statuses)]
        if idea_status == Idea.Status.ACTIVITY and activity is None:
            idea_status = Idea.Status.CONSIDERING
        hidden = n % 4 == 3
        ideas.append(
            Idea(
                area=area,
                name=f"Idégivare {n + 1}",
                email=f"idegivare{n + 1}@example.se",
                title=f"Idé nummer {n + 1}",
                text="En idé.\n\nMed ett andra stycke.",
                state=Contribution.State.HIDDEN if hidden else Contribution.State.PUBLISHED,
                hidden_reason="Reklam." if hidden else "",
                token_hash=secrets.token_hex(32),
                verified_at=now,
                published_at=now - dt.timedelta(minutes=n),
                status=idea_status,
                status_reason="Ryms inte i budgeten."
                if idea_status == Idea.Status.DECLINED
                else "",
                activity=activity if idea_status == Idea.Status.ACTIVITY else None,
                status_changed_at=now,
            )
        )
    return Idea.objects.bulk_create(ideas)

"""Reads for comments and ideas outside the public pages: the verification links and
the staff's moderation queue.

The queue runs a fixed number of queries however many comments and ideas there are
(the tests assert it with a few and with many).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from brygga.actionplan.models import Activity, Comment, Contribution, Idea
from brygga.actionplan.services.participation import token_hash

State = Contribution.State

# The pending list shows this many of each kind (oldest first); the counts tell the rest.
PENDING_LIMIT = 100
RECENT_LIMIT = 20


def comment_for_token(token: str) -> Comment | None:
    """The comment whose verification link carries ``token``, or None."""
    return (
        Comment.objects.select_related("activity__area__program")
        .filter(token_hash=token_hash(token))
        .first()
    )


def idea_for_token(token: str) -> Idea | None:
    """The idea whose verification link carries ``token``, or None."""
    return Idea.objects.select_related("area__program").filter(token_hash=token_hash(token)).first()


def comments_for_moderation() -> QuerySet[Comment]:
    return Comment.objects.select_related("activity__area__program", "moderated_by", "reply_by")


def ideas_for_moderation() -> QuerySet[Idea]:
    return Idea.objects.select_related(
        "area__program", "activity__area__program", "moderated_by", "reply_by"
    )


def program_activities(idea: Idea) -> QuerySet[Activity]:
    """The activities an idea can become: every activity of its program."""
    return (
        Activity.objects.filter(area__program_id=idea.area.program_id)
        .select_related("area")
        .order_by("area__position", "area__title", "position", "title")
    )


@dataclass(frozen=True)
class Counts:
    unverified: int
    pending: int
    published: int
    hidden: int


@dataclass(frozen=True)
class QueueItem:
    """A comment or an idea in the queue, with what the table shows of it."""

    contribution: Comment | Idea

    @property
    def is_idea(self) -> bool:
        return isinstance(self.contribution, Idea)

    @property
    def heading(self) -> str:
        """The idea's title, or the start of the comment."""
        if isinstance(self.contribution, Idea):
            return self.contribution.title
        text = " ".join(self.contribution.text.split())
        return text if len(text) <= 80 else text[:79].rstrip() + "…"

    @property
    def target(self) -> str:
        """What it is about: the activity commented on, or the area of the idea."""
        if isinstance(self.contribution, Comment):
            return self.contribution.activity.title
        return self.contribution.area.title

    @property
    def changed_at(self) -> dt.datetime:
        """When it was last published or moderated (or confirmed, for a pending one)."""
        c = self.contribution
        return c.moderated_at or c.published_at or c.verified_at or c.created_at


@dataclass(frozen=True)
class ModerationQueue:
    pending: list[QueueItem]
    recent: list[QueueItem]
    comments: Counts
    ideas: Counts

    @property
    def pending_total(self) -> int:
        return self.comments.pending + self.ideas.pending

    @property
    def pending_shown_all(self) -> bool:
        return len(self.pending) == self.pending_total


def _counts(queryset: QuerySet[Comment] | QuerySet[Idea]) -> Counts:
    totals = queryset.aggregate(
        **{state.value: Count("id", filter=Q(state=state)) for state in State}
    )
    return Counts(
        unverified=totals[State.UNVERIFIED.value],
        pending=totals[State.PENDING.value],
        published=totals[State.PUBLISHED.value],
        hidden=totals[State.HIDDEN.value],
    )


def _last_change() -> Coalesce:
    return Coalesce("moderated_at", "published_at", "verified_at")


def moderation_queue() -> ModerationQueue:
    """Pending comments and ideas (longest waiting first), then the latest published or
    hidden ones (last changed first), and the counts per state. Six queries."""
    pending_comments = comments_for_moderation().filter(state=State.PENDING)
    pending_ideas = ideas_for_moderation().filter(state=State.PENDING)
    public = (State.PUBLISHED, State.HIDDEN)
    latest = F("last_change").desc(nulls_last=True)
    recent_comments = (
        comments_for_moderation()
        .filter(state__in=public)
        .annotate(last_change=_last_change())
        .order_by(latest, "-id")
    )
    recent_ideas = (
        ideas_for_moderation()
        .filter(state__in=public)
        .annotate(last_change=_last_change())
        .order_by(latest, "-id")
    )
    waiting: list[Comment | Idea] = [
        *pending_comments.order_by("verified_at", "id")[:PENDING_LIMIT],
        *pending_ideas.order_by("verified_at", "id")[:PENDING_LIMIT],
    ]
    latest_ones: list[Comment | Idea] = [
        *recent_comments[:RECENT_LIMIT],
        *recent_ideas[:RECENT_LIMIT],
    ]
    pending = sorted((QueueItem(c) for c in waiting), key=lambda item: item.changed_at)
    recent = sorted(
        (QueueItem(c) for c in latest_ones), key=lambda item: item.changed_at, reverse=True
    )[:RECENT_LIMIT]
    return ModerationQueue(
        pending=pending,
        recent=recent,
        comments=_counts(Comment.objects.all()),
        ideas=_counts(Idea.objects.all()),
    )

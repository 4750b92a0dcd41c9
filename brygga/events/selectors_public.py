"""Reads for the public meeting pages and the calendar files, each a fixed number of
queries however many meetings, registrations or questions there are.

An event is public when its ``public`` flag is set; the others are reached only
through an invitation link (:func:`invitation_for_token`). The seat figures come
from one grouped count: ``confirmed_count``, ``waitlisted_count`` and ``seats_left``
(None when there is no limit; 0 or less when the meeting is full).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from brygga.events.models import Event, Invitation, Question, Registration, Series

Status = Registration.Status

# How far back the calendar feed reaches for stand-alone meetings: calendar programs
# keep what they have seen, and a subscriber who starts today still sees recent ones.
FEED_HISTORY = dt.timedelta(days=183)


def _with_seats(events: QuerySet[Event]) -> QuerySet[Event]:
    confirmed = Count("registrations", filter=Q(registrations__status=Status.CONFIRMED))
    waitlisted = Count("registrations", filter=Q(registrations__status=Status.WAITLISTED))
    return events.annotate(
        confirmed_count=confirmed,
        waitlisted_count=waitlisted,
        # NULL capacity (no limit) stays NULL.
        seats_left=F("capacity") - confirmed,
    )


def public_events() -> QuerySet[Event]:
    return Event.objects.filter(public=True)


def upcoming_public_events(now: dt.datetime | None = None) -> QuerySet[Event]:
    """Public meetings that have not ended, soonest first, with their kind and seat figures
    (cancelled ones too: the list says "Inställt")."""
    now = now or timezone.now()
    return _with_seats(
        public_events().filter(ends_at__gte=now).select_related("kind").order_by("starts_at", "id")
    )


def past_public_events(now: dt.datetime | None = None, *, limit: int = 10) -> list[Event]:
    """The latest public meetings that were held (not cancelled), latest first."""
    now = now or timezone.now()
    return list(
        public_events()
        .filter(ends_at__lt=now, status=Event.Status.SCHEDULED)
        .select_related("kind")
        .order_by("-starts_at", "-id")[:limit]
    )


def _questions() -> Prefetch[Any]:
    return Prefetch("questions", queryset=Question.objects.order_by("position", "id"))


def _event_page(events: QuerySet[Event]) -> QuerySet[Event]:
    return _with_seats(
        events.select_related("kind", "organiser", "series").prefetch_related(_questions())
    )


def public_event(pk: int) -> Event | None:
    """One public meeting with what its page shows: kind, organiser, series, questions,
    seat figures."""
    return _event_page(public_events()).filter(pk=pk).first()


def event_with_seats(pk: int) -> Event | None:
    """Any meeting (public or not) as its page shows it, for the invitation and the
    registered person's pages."""
    return _event_page(Event.objects.all()).filter(pk=pk).first()


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > 64:
        return None
    return Invitation.objects.filter(token=token).first()


def registration_for_token(token: str) -> Registration | None:
    """A registration by its personal link, with its meeting, kind and organiser."""
    if not token or len(token) > 64:
        return None
    return (
        Registration.objects.filter(token=token)
        .select_related("event__kind", "event__organiser", "event__series")
        .first()
    )


def has_evaluation(registration: Registration) -> bool:
    # The reverse one-to-one raises (an AttributeError) when there is none.
    return hasattr(registration, "evaluation")


# ---------------------------------------------------------------- calendar files


def public_event_for_calendar(pk: int) -> Event | None:
    return public_events().select_related("kind", "organiser").filter(pk=pk).first()


def _occurrences() -> Prefetch[Any]:
    return Prefetch(
        "occurrences",
        queryset=Event.objects.select_related("kind", "organiser").order_by("starts_at", "id"),
    )


def public_series_for_calendar(pk: int) -> tuple[Series, list[Event]] | None:
    """A public series with all its occurrences (the calendar writes the cancelled
    ones as EXDATE and the moved ones as overrides)."""
    series = (
        Series.objects.filter(public=True, pk=pk)
        .select_related("kind", "organiser")
        .prefetch_related(_occurrences())
        .first()
    )
    if series is None:
        return None
    return series, list(series.occurrences.all())


@dataclass(frozen=True)
class Feed:
    events: list[Event]
    series: list[tuple[Series, list[Event]]]


def calendar_feed(now: dt.datetime | None = None) -> Feed:
    """What the public calendar feed holds: stand-alone public meetings from about half a
    year back onwards, and every public series with its occurrences. Three queries."""
    now = now or timezone.now()
    events = list(
        public_events()
        .filter(series__isnull=True, starts_at__gte=now - FEED_HISTORY)
        .select_related("kind", "organiser")
        .order_by("starts_at", "id")
    )
    series = list(
        Series.objects.filter(public=True)
        .select_related("kind", "organiser")
        .prefetch_related(_occurrences())
        .order_by("first_start", "id")
    )
    return Feed(events=events, series=[(s, list(s.occurrences.all())) for s in series])

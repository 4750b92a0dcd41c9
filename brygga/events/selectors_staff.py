"""Reads for the staff meeting pages: the list with its counts, one meeting with its
figures, registrations and invitation batches, a series with its occurrences, the
check-in list, and the choices the forms offer. Each at a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from brygga.events.models import (
    Event,
    EventKind,
    Invitation,
    InvitationBatch,
    Question,
    Registration,
    Series,
)
from brygga.register.models import Company

Status = Registration.Status


def _count(model: Any, **conditions: Any) -> Coalesce:
    """A correlated count of ``model`` rows of the outer event, as a subquery (counting
    with joins would multiply registrations by invitations)."""
    inner = (
        model.objects.filter(event=OuterRef("pk"), **conditions)
        .order_by()
        .values("event")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))


def with_counts(qs: QuerySet[Event]) -> QuerySet[Event]:
    """Each event with ``registered`` (seats taken), ``waitlisted``, ``invited``."""
    return qs.annotate(
        registered=_count(Registration, status=Status.CONFIRMED),
        waitlisted=_count(Registration, status=Status.WAITLISTED),
        invited=_count(Invitation),
    )


def staff_event_list(
    *, when: str = "kommande", kind: EventKind | None = None, locality: str = "", now: Any = None
) -> QuerySet[Event]:
    """Upcoming (soonest first), past (latest first) or all (upcoming, then past)."""
    now = now or timezone.now()
    qs = Event.objects.select_related("kind", "series")
    if kind is not None:
        qs = qs.filter(kind=kind)
    if locality:
        qs = qs.filter(locality=locality)
    if when == "kommande":
        qs = qs.filter(ends_at__gte=now).order_by("starts_at", "id")
    elif when == "tidigare":
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    else:
        past = Case(When(ends_at__lt=now, then=Value(1)), default=Value(0))
        upcoming_start = Case(When(ends_at__gte=now, then=F("starts_at")))
        qs = qs.annotate(past=past).order_by(
            "past", upcoming_start.asc(nulls_last=True), F("starts_at").desc(), "id"
        )
    return with_counts(qs)


def event_localities() -> list[str]:
    """The localities meetings have been held in, for the list's filter."""
    return list(
        Event.objects.exclude(locality="")
        .order_by("locality")
        .values_list("locality", flat=True)
        .distinct()
    )


def company_towns() -> list[str]:
    """The distinct postal towns of the active companies (the invitation page's choice)."""
    return list(
        Company.objects.filter(status=Company.Status.ACTIVE)
        .exclude(postal_town="")
        .order_by("postal_town")
        .values_list("postal_town", flat=True)
        .distinct()
    )


# ---------------------------------------------------------------- one meeting


@dataclass(frozen=True)
class EventFigures:
    """Who was invited and came, as staff see it on the meeting's page."""

    capacity: int | None
    invited: int
    registered: int  # holding a seat (confirmed)
    waitlisted: int
    cancelled: int
    attended: int

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.registered, 0)


def event_figures(event: Event) -> EventFigures:
    """One query, however many people were invited or registered."""
    row = (
        Event.objects.filter(pk=event.pk)
        .annotate(
            n_registered=_count(Registration, status=Status.CONFIRMED),
            n_waitlisted=_count(Registration, status=Status.WAITLISTED),
            n_cancelled=_count(Registration, status=Status.CANCELLED),
            n_attended=_count(Registration, attended_at__isnull=False),
            n_invited=_count(Invitation),
        )
        .values(
            "capacity", "n_registered", "n_waitlisted", "n_cancelled", "n_attended", "n_invited"
        )
        .get()
    )
    return EventFigures(
        capacity=row["capacity"],
        invited=row["n_invited"],
        registered=row["n_registered"],
        waitlisted=row["n_waitlisted"],
        cancelled=row["n_cancelled"],
        attended=row["n_attended"],
    )


def event_for_staff(pk: int) -> Event | None:
    """The meeting with its kind, organiser, series and questions (two queries)."""
    return (
        Event.objects.select_related("kind", "organiser", "series", "created_by")
        .prefetch_related("questions")
        .filter(pk=pk)
        .first()
    )


STATUS_ORDER = Case(
    When(status=Status.CONFIRMED, then=Value(0)),
    When(status=Status.WAITLISTED, then=Value(1)),
    default=Value(2),
)


def event_registrations(event: Event) -> QuerySet[Registration]:
    """Everyone who registered: seats first, then the waitlist in its order, then the
    withdrawn; within each by time of registration."""
    return (
        Registration.objects.filter(event=event)
        .select_related("company")
        .annotate(status_order=STATUS_ORDER)
        .order_by("status_order", "created_at", "id")
    )


def event_batches(event: Event) -> QuerySet[InvitationBatch]:
    return InvitationBatch.objects.filter(event=event).select_related("created_by")


def check_in_list(event: Event) -> QuerySet[Registration]:
    """Those holding a seat, by name (as people say it at the door)."""
    return (
        Registration.objects.filter(event=event, status=Status.CONFIRMED)
        .select_related("company")
        .order_by(Lower("name"), "id")
    )


def questions_of(event: Event) -> QuerySet[Question]:
    return Question.objects.filter(event=event).order_by("position", "id")


# ---------------------------------------------------------------- series


def series_for_staff(pk: int) -> Series | None:
    return Series.objects.select_related("kind", "organiser").filter(pk=pk).first()


def series_occurrences(series: Series) -> QuerySet[Event]:
    return with_counts(Event.objects.filter(series=series).order_by("starts_at", "id"))


def upcoming_series(now: dt.datetime | None = None) -> QuerySet[Series]:
    """Series with their next occurrence, for the staff list's short table."""
    now = now or timezone.now()
    next_start = (
        Event.objects.filter(
            series=OuterRef("pk"), starts_at__gte=now, status=Event.Status.SCHEDULED
        )
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return (
        Series.objects.select_related("kind")
        .annotate(next_start=Subquery(next_start), occurrence_count=Count("occurrences"))
        .filter(Q(ended=False))
        .order_by("title", "id")
    )

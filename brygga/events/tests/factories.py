"""Test data for meetings, built through the services as staff and visitors would.

::

    event = make_event(title="Frukostmöte i Mariefred", capacity=2)   # in 14 days, 07:30
    registration = make_registration(event, name="Anna", email="anna@example.se")
    series = make_series()                 # the politician lunch: second Friday, 12:00
    make_past(event)                       # the meeting took place a day ago
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from brygga.events.models import Event, EventKind, Question, Registration, Series
from brygga.events.services.events import event_create, question_save
from brygga.events.services.kinds import kinds_ensure_defaults
from brygga.events.services.registrations import registration_create
from brygga.events.services.series import series_create

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def in_days(days: int, hour: int = 7, minute: int = 30) -> dt.datetime:
    """A local time ``days`` from today."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return local(day.year, day.month, day.day, hour, minute)


def kind(key: str = "frukostmote") -> EventKind:
    kinds_ensure_defaults()
    return EventKind.objects.get(key=key)


def make_event(
    *,
    title: str = "Frukostmöte i Mariefred",
    kind_key: str = "frukostmote",
    starts_at: dt.datetime | None = None,
    duration: dt.timedelta = dt.timedelta(hours=1, minutes=30),
    actor: Any = None,
    **fields: Any,
) -> Event:
    starts_at = starts_at or in_days(14)
    data: dict[str, Any] = {
        "kind": kind(kind_key),
        "title": title,
        "starts_at": starts_at,
        "ends_at": fields.pop("ends_at", starts_at + duration),
        "locality": "Mariefred",
        "place": "Gripsholms värdshus",
        "address": "Kyrkogatan 1",
        **fields,
    }
    return event_create(data=data, actor=actor)


def make_question(event: Event, label: str = "Specialkost?", **fields: Any) -> Question:
    return question_save(event=event, question=None, data={"label": label, **fields})


def make_registration(
    event: Event, *, name: str = "Anna Andersson", email: str = "anna@example.se", **fields: Any
) -> Registration:
    return registration_create(event=event, name=name, email=email, **fields)


def make_series(
    *,
    title: str = "Politikerlunch",
    rule: str = "FREQ=MONTHLY;BYDAY=2FR",
    first_start: dt.datetime | None = None,
    actor: Any = None,
    **fields: Any,
) -> Series:
    data: dict[str, Any] = {
        "kind": kind("politikerlunch"),
        "title": title,
        "first_start": first_start or in_days(1, hour=12, minute=0),
        "duration": dt.timedelta(hours=1),
        "rule": rule,
        "locality": "Strängnäs",
        "place": "Rådhuset",
        **fields,
    }
    return series_create(data=data, actor=actor)


def make_past(event: Event, *, days_ago: int = 1) -> Event:
    """Move ``event`` into the past, as if time had passed (its registrations stay)."""
    length = event.ends_at - event.starts_at
    starts = in_days(-days_ago, hour=8)
    Event.objects.filter(pk=event.pk).update(starts_at=starts, ends_at=starts + length)
    event.refresh_from_db()
    return event

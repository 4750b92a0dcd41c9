"""iCalendar (RFC 5545) for meetings, written by the icalendar library.

- :func:`event_calendar`: one meeting, for "add to calendar" and the e-mail attachment;
- :func:`series_calendar`: a series as one VEVENT with its RRULE, the cancelled
  occurrences as EXDATE, and every occurrence that differs from the rule (moved, or
  with another title or place) as a VEVENT of its own with RECURRENCE-ID;
- :func:`feed_calendar`: every public meeting, series as above, for calendar programs
  that subscribe (``text/calendar``, also offered as ``webcal:``).

Times are written in Europe/Stockholm with a VTIMEZONE, so a series stays at 12:00
across daylight saving time. A changed or cancelled meeting keeps its UID and gets a
higher SEQUENCE, so calendar programs update the entry they have.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import (
    Calendar,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vDuration,
    vRecur,
)
from icalendar import Event as VEvent

from brygga.events.links import event_url, manage_url
from brygga.events.models import Event, Registration, Series

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//Brygga//Näringslivskontoret//SV"


def local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(ZoneInfo(settings.TIME_ZONE))


def _calendar(name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(dt.timedelta(hours=1)))
    return calendar


def _description(event: Event | Series, url: str, registration: Registration | None) -> str:
    parts = [event.description.strip()] if event.description.strip() else []
    if event.organiser is not None:
        contact = event.organiser.get_full_name() or event.organiser.email
        parts.append(f"Kontaktperson: {contact}, {event.organiser.email}")
    parts.append(f"Mer information: {url}")
    if registration is not None:
        parts.append(f"Din anmälan (avanmälan): {manage_url(registration)}")
    return "\n\n".join(parts)


def _vevent(
    *,
    uid: str,
    sequence: int,
    item: Event | Series,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    cancelled: bool,
    url: str,
    registration: Registration | None = None,
) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", uid)
    vevent.add("dtstamp", item.updated_at or timezone.now())
    vevent.add("last-modified", item.updated_at or timezone.now())
    vevent.add("sequence", sequence)
    vevent.add("dtstart", local(starts_at))
    vevent.add("dtend", local(ends_at))
    vevent.add("summary", item.title)
    if item.where:
        vevent.add("location", item.where)
    vevent.add("description", _description(item, url, registration))
    vevent.add("url", url)
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("categories", [item.kind.label])
    return vevent


def _event_vevent(event: Event, registration: Registration | None = None) -> VEvent:
    return _vevent(
        uid=event.uid,
        sequence=event.sequence,
        item=event,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        cancelled=event.cancelled,
        url=event_url(event),
        registration=registration,
    )


def _differs(occurrence: Event, series: Series) -> bool:
    return (
        occurrence.recurrence_id != occurrence.starts_at
        or occurrence.ends_at - occurrence.starts_at != series.duration
        or occurrence.title != series.title
        or occurrence.where != series.where
    )


def _series_vevents(series: Series, occurrences: Iterable[Event]) -> list[VEvent]:
    """The series' master VEVENT (RRULE, EXDATE) and one VEVENT per differing occurrence."""
    occurrences = sorted(occurrences, key=lambda e: e.recurrence_id or e.starts_at)
    first = occurrences[0] if occurrences else None
    master = _vevent(
        uid=series.uid,
        sequence=series.sequence,
        item=series,
        starts_at=series.first_start,
        ends_at=series.first_start + series.duration,
        cancelled=False,
        url=event_url(first) if first is not None else "",
    )
    master.add("rrule", vRecur.from_ical(series.rule))
    cancelled = [local(e.recurrence_id) for e in occurrences if e.cancelled and e.recurrence_id]
    if cancelled:
        master.add("exdate", cancelled)
    vevents = [master]
    for occurrence in occurrences:
        if occurrence.cancelled or occurrence.recurrence_id is None:
            continue
        if _differs(occurrence, series):
            override = _vevent(
                uid=series.uid,
                sequence=max(series.sequence, occurrence.sequence),
                item=occurrence,
                starts_at=occurrence.starts_at,
                ends_at=occurrence.ends_at,
                cancelled=False,
                url=event_url(occurrence),
            )
            override.add("recurrence-id", local(occurrence.recurrence_id))
            vevents.append(override)
    return vevents


def _eu_rule_zone(tzid: str, standard: str, daylight: str, offset: int) -> Timezone:
    """A VTIMEZONE for a European zone by its yearly rule (the EU's since 1996: last
    Sunday of March and of October), which every calendar program reads alike;
    lists of dates (what ``add_missing_timezones`` writes) are misread by some."""
    zone = Timezone()
    zone.add("tzid", tzid)
    summer = TimezoneDaylight()
    summer.add("dtstart", dt.datetime(1981, 3, 29, 2, 0))
    summer.add("tzoffsetfrom", dt.timedelta(hours=offset))
    summer.add("tzoffsetto", dt.timedelta(hours=offset + 1))
    summer.add("tzname", daylight)
    summer.add("rrule", vRecur.from_ical("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"))
    winter = TimezoneStandard()
    winter.add("dtstart", dt.datetime(1996, 10, 27, 3, 0))
    winter.add("tzoffsetfrom", dt.timedelta(hours=offset + 1))
    winter.add("tzoffsetto", dt.timedelta(hours=offset))
    winter.add("tzname", standard)
    winter.add("rrule", vRecur.from_ical("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"))
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def _bytes(calendar: Calendar) -> bytes:
    if settings.TIME_ZONE == "Europe/Stockholm":
        # Before the events, as calendar programs expect it.
        calendar.subcomponents.insert(0, _eu_rule_zone("Europe/Stockholm", "CET", "CEST", 1))
    else:
        calendar.add_missing_timezones()
    return calendar.to_ical()


def event_calendar(event: Event, *, registration: Registration | None = None) -> bytes:
    """One meeting as an .ics file (with the registered person's own link, if given)."""
    calendar = _calendar()
    calendar.add_component(_event_vevent(event, registration))
    return _bytes(calendar)


def series_calendar(series: Series, occurrences: Iterable[Event]) -> bytes:
    calendar = _calendar(series.title)
    for vevent in _series_vevents(series, occurrences):
        calendar.add_component(vevent)
    return _bytes(calendar)


def feed_calendar(
    *, name: str, events: Iterable[Event], series: Iterable[tuple[Series, list[Event]]]
) -> bytes:
    """Stand-alone ``events`` and each series with its occurrences, in one calendar."""
    calendar = _calendar(name)
    for event in events:
        calendar.add_component(_event_vevent(event))
    for one_series, occurrences in series:
        for vevent in _series_vevents(one_series, occurrences):
            calendar.add_component(vevent)
    return _bytes(calendar)

"""What calendar.py writes, read back by an independent parser (vobject) and expanded
by it, time zone included: the VTIMEZONE is written as yearly rules, which vobject,
dateutil and the calendar programs all read alike."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import vobject

from brygga.events.calendar import event_calendar, feed_calendar, series_calendar
from brygga.events.services.events import event_cancel, event_update
from brygga.events.services.series import series_extend
from brygga.events.tests.factories import local, make_event, make_series

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def second_friday(year: int, month: int) -> dt.date:
    return next(
        dt.date(year, month, d) for d in range(8, 15) if dt.date(year, month, d).weekday() == 4
    )


def test_vobject_expands_the_series_to_second_fridays_at_noon_stockholm_time(settings) -> None:
    settings.BRYGGA_EVENT_SERIES_MONTHS = 1
    series = make_series(first_start=local(2099, 1, 9, 12))
    series_extend(series=series, until=local(2099, 12, 31))
    occurrences = list(series.occurrences.order_by("starts_at"))
    event_cancel(event=occurrences[2])  # March
    event_update(
        event=occurrences[4],  # May, moved to the Monday after
        data={"starts_at": local(2099, 5, 11, 12), "ends_at": local(2099, 5, 11, 13)},
    )
    occurrences = list(series.occurrences.order_by("recurrence_id"))
    text = series_calendar(series, occurrences).decode()
    assert "DTSTART;TZID=Europe/Stockholm:20990109T120000" in text
    calendar = vobject.readOne(text)
    assert calendar.version.value == "2.0"
    master, *overrides = calendar.vevent_list
    assert master.uid.value == series.uid
    starts = [d for d in master.getrruleset() if d.year == 2099]
    expected = [
        dt.datetime.combine(second_friday(2099, m), dt.time(12), STOCKHOLM)
        for m in range(1, 13)
        if m != 3
    ]
    assert starts == expected
    assert [s.utcoffset() for s in starts[:2]] == [dt.timedelta(hours=1)] * 2
    assert starts[5].utcoffset() == dt.timedelta(hours=2)  # July, summer time
    # The moved May lunch: the same UID, its original start as RECURRENCE-ID.
    assert len(overrides) == 1
    (may,) = overrides
    assert may.uid.value == series.uid
    assert may.recurrence_id.value == local(2099, 5, 8, 12)
    assert may.dtstart.value == local(2099, 5, 11, 12)


def test_a_single_meeting_has_what_calendar_programs_need() -> None:
    event = make_event(title="Frukostmöte i Mariefred", starts_at=local(2099, 6, 5, 7, 30))
    parsed = vobject.readOne(event_calendar(event).decode())
    vevent = parsed.vevent
    assert parsed.method.value == "PUBLISH"
    assert vevent.uid.value == event.uid
    assert vevent.dtstamp.value.tzinfo is not None
    assert vevent.dtstart.value == local(2099, 6, 5, 7, 30)
    assert vevent.dtstart.value.utcoffset() == dt.timedelta(hours=2)
    assert vevent.summary.value == "Frukostmöte i Mariefred"
    assert vevent.location.value == "Gripsholms värdshus, Kyrkogatan 1, Mariefred"
    assert vevent.status.value == "CONFIRMED"


def test_the_feed_names_itself_and_says_how_often_to_refresh() -> None:
    event = make_event()
    parsed = vobject.readOne(feed_calendar(name="Möten", events=[event], series=[]).decode())
    assert parsed.contents["x-wr-calname"][0].value == "Möten"
    assert parsed.contents["x-published-ttl"][0].value == "PT1H"
    assert [v.uid.value for v in parsed.vevent_list] == [event.uid]

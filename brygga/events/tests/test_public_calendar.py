"""The calendar files as calendar programs read them: parsed by vobject, an iCalendar
library independent of the one that writes them (icalendar), and the series' rule
expanded by its own recurrence code (dateutil, through vobject)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import vobject
from dateutil import rrule, tz
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brygga.events.models import Event, Series
from brygga.events.services.events import event_cancel, event_update
from brygga.events.tests.factories import in_days, local, make_event, make_past, make_series

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def parse(response: Any) -> Any:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return vobject.readOne(response.content.decode("utf-8"))


def vevents(calendar: Any) -> list[Any]:
    return list(getattr(calendar, "vevent_list", []))


VTIMEZONE_LINES = ("BEGIN", "END", "TZID", "DTSTART", "RDATE", "RRULE", "TZOFFSET", "TZNAME")


def file_timezone(response: Any) -> dt.tzinfo:
    """The file's own VTIMEZONE read by dateutil (what a calendar program without a time
    zone database of its own goes by), checked against the real one in winter and summer.

    vobject's own reading of it cannot be used: it writes the VTIMEZONE out again for
    dateutil keeping only the first date of each RDATE list, which makes Stockholm +01:00
    all year. So the times are taken as the wall-clock times and TZID vobject read, in the
    zone dateutil reads from the file.
    """
    body = response.content.decode("utf-8").replace("\r\n ", "").replace("\r\n", "\n")
    block = body[body.index("BEGIN:VTIMEZONE") : body.index("END:VTIMEZONE") + 13]
    lines = [line for line in block.split("\n") if line.startswith(VTIMEZONE_LINES)]
    zone = tz.tzical(io.StringIO("\n".join(lines))).get("Europe/Stockholm")
    assert zone is not None
    for moment in (dt.datetime(2027, 1, 15, 12), dt.datetime(2027, 7, 15, 12)):
        assert zone.utcoffset(moment) == moment.replace(tzinfo=STOCKHOLM).utcoffset()
    return zone


def when(prop: Any, zone: dt.tzinfo) -> dt.datetime:
    """A DTSTART-like property written with TZID Europe/Stockholm, as a moment."""
    # vobject keeps the TZID it turned into a tzinfo under a name of its own.
    tzid = prop.params.get("TZID") or prop.params.get("X-VOBJ-ORIGINAL-TZID")
    assert tzid == ["Europe/Stockholm"]
    value = prop.value
    assert isinstance(value, dt.datetime) and value.tzinfo is not None
    return value.replace(tzinfo=zone)


def second_friday_after(day: dt.date) -> dt.datetime:
    """12:00 Swedish time on the first second Friday of a month after ``day``."""
    year, month = day.year, day.month
    while True:
        first = dt.date(year, month, 1)
        friday = first + dt.timedelta(days=(4 - first.weekday()) % 7 + 7)
        if friday > day:
            return local(friday.year, friday.month, friday.day, 12)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


# ---------------------------------------------------------------- one meeting


def test_one_meetings_file_has_what_calendar_programs_need(client: Client) -> None:
    event = make_event(
        title="Frukostmöte i Mariefred",
        starts_at=local(2031, 3, 14, 7, 30),
        duration=dt.timedelta(hours=1, minutes=30),
    )
    response = client.get(reverse("events:event_ics", kwargs={"pk": event.pk}))
    calendar = parse(response)
    zone = file_timezone(response)
    assert response["Content-Disposition"] == 'attachment; filename="frukostmote-i-mariefred.ics"'

    assert calendar.version.value == "2.0"
    assert calendar.prodid.value
    [vevent] = vevents(calendar)
    assert vevent.uid.value == event.uid
    assert isinstance(vevent.dtstamp.value, dt.datetime) and vevent.dtstamp.value.tzinfo
    assert when(vevent.dtstart, zone) == local(2031, 3, 14, 7, 30)
    assert when(vevent.dtend, zone) == local(2031, 3, 14, 9, 0)
    assert vevent.summary.value == "Frukostmöte i Mariefred"
    assert vevent.location.value == "Gripsholms värdshus, Kyrkogatan 1, Mariefred"
    assert vevent.url.value.endswith(event.get_absolute_url())
    # The time zone the times refer to is in the file.
    assert calendar.vtimezone.tzid.value == "Europe/Stockholm"
    assert "DTSTART;TZID=Europe/Stockholm:20310314T073000" in response.content.decode()


def test_a_meeting_in_summer_time_is_written_in_summer_time(client: Client) -> None:
    event = make_event(starts_at=local(2031, 6, 13, 12, 0))
    response = client.get(reverse("events:event_ics", kwargs={"pk": event.pk}))
    [vevent] = vevents(parse(response))
    start = when(vevent.dtstart, file_timezone(response))
    assert start == local(2031, 6, 13, 12, 0)
    assert start.utcoffset() == dt.timedelta(hours=2)
    assert "DTSTART;TZID=Europe/Stockholm:20310613T120000" in response.content.decode()


def test_a_cancelled_meeting_keeps_its_uid_and_says_cancelled(client: Client) -> None:
    event = make_event()
    event_cancel(event=event)
    [vevent] = vevents(parse(client.get(reverse("events:event_ics", kwargs={"pk": event.pk}))))
    assert vevent.uid.value == event.uid
    assert vevent.status.value == "CANCELLED"
    assert int(vevent.sequence.value) >= 1


def test_a_meeting_that_is_not_public_has_no_public_file(client: Client) -> None:
    event = make_event(public=False)
    assert client.get(reverse("events:event_ics", kwargs={"pk": event.pk})).status_code == 404


# ---------------------------------------------------------------- a series


@pytest.fixture
def lunch() -> tuple[Series, list[Event]]:
    """The politician lunch, its third occurrence cancelled and its fourth moved to 13:00."""
    series = make_series(first_start=second_friday_after(timezone.localdate()))
    occurrences = list(series.occurrences.order_by("starts_at"))
    assert len(occurrences) >= 6
    event_cancel(event=occurrences[2])
    moved = occurrences[3]
    event_update(
        event=moved,
        data={
            "starts_at": moved.starts_at + dt.timedelta(hours=1),
            "ends_at": moved.ends_at + dt.timedelta(hours=1),
        },
    )
    return series, occurrences


def test_a_series_is_one_rule_that_gives_the_second_friday_at_noon(
    client: Client, lunch: tuple[Series, list[Event]]
) -> None:
    series, occurrences = lunch
    response = client.get(reverse("events:series_ics", kwargs={"pk": series.pk}))
    calendar = parse(response)
    assert response["Content-Disposition"] == 'attachment; filename="politikerlunch.ics"'

    zone = file_timezone(response)
    [master] = [v for v in vevents(calendar) if hasattr(v, "rrule")]
    assert master.uid.value == series.uid
    assert master.summary.value == "Politikerlunch"
    assert master.location.value == "Rådhuset, Strängnäs"
    first = when(master.dtstart, zone)
    assert first == series.first_start

    # The rule expanded by dateutil from the file's DTSTART, RRULE and EXDATE: every
    # second Friday at 12:00 Swedish time, winter and summer, but the cancelled one.
    rules = rrule.rrulestr(master.rrule.value, dtstart=first, forceset=True)
    assert isinstance(rules, rrule.rruleset)
    exdates = [value for prop in master.exdate_list for value in prop.value]
    assert [prop.params["TZID"] for prop in master.exdate_list] == [["Europe/Stockholm"]]
    for value in exdates:
        rules.exdate(value.replace(tzinfo=zone))
    starts = list(rules.xafter(first - dt.timedelta(seconds=1), count=12))
    assert len(starts) == 12
    for start in starts:
        here = start.astimezone(STOCKHOLM)
        assert here.weekday() == 4 and 8 <= here.day <= 14, here
        assert (here.hour, here.minute) == (12, 0), here
    assert any(s.utcoffset() == dt.timedelta(hours=2) for s in starts)  # summer time too
    cancelled = occurrences[2].recurrence_id
    assert cancelled is not None
    assert [v.replace(tzinfo=zone) for v in exdates] == [cancelled]
    assert cancelled not in starts
    assert occurrences[1].starts_at in starts and occurrences[4].starts_at in starts
    months = {(s.astimezone(STOCKHOLM).year, s.astimezone(STOCKHOLM).month) for s in starts}
    assert len(months) == 12  # one a month: after the cancelled one comes the next month's

    # The moved one: a VEVENT of its own with the series' UID and a RECURRENCE-ID.
    [override] = [v for v in vevents(calendar) if hasattr(v, "recurrence_id")]
    moved = occurrences[3]
    assert moved.recurrence_id is not None
    assert override.uid.value == series.uid
    assert when(override.recurrence_id, zone) == moved.recurrence_id
    assert when(override.dtstart, zone) == moved.recurrence_id + dt.timedelta(hours=1)
    assert moved.recurrence_id in starts  # the rule still gives it; the override moves it


def test_a_series_that_is_not_public_has_no_public_file(client: Client) -> None:
    series = make_series(public=False)
    response = client.get(reverse("events:series_ics", kwargs={"pk": series.pk}))
    assert response.status_code == 404


# ---------------------------------------------------------------- the feed


def test_the_feed_holds_the_public_meetings_and_series(
    client: Client, lunch: tuple[Series, list[Event]]
) -> None:
    series, _ = lunch
    coming = make_event(title="Dialogmöte krögare", kind_key="dialogmote")
    recent = make_past(make_event(title="Frukostmöte i höstas"), days_ago=90)
    old = make_past(make_event(title="Frukostmöte för länge sedan"), days_ago=300)
    hidden = make_event(title="Inbjudna företag", public=False)
    make_series(title="Intern lunch", public=False)

    response = client.get(reverse("events:feed"))
    calendar = parse(response)
    assert response["Content-Disposition"] == 'inline; filename="moten.ics"'
    assert calendar.contents["x-wr-calname"][0].value.startswith("Möten")

    uids = [v.uid.value for v in vevents(calendar)]
    assert coming.uid in uids and recent.uid in uids
    assert old.uid not in uids and hidden.uid not in uids
    # The series once with its rule (plus the moved occurrence), not each occurrence.
    assert uids.count(series.uid) == 2
    for occurrence in series.occurrences.all():
        assert occurrence.uid not in uids
    summaries = {v.summary.value for v in vevents(calendar)}
    assert "Intern lunch" not in summaries
    [master] = [v for v in vevents(calendar) if hasattr(v, "rrule")]
    assert master.rrule.value == "FREQ=MONTHLY;BYDAY=2FR"


@pytest.mark.parametrize("size", [1, 5])
def test_the_feed_reads_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any, developer: Any, size: int
) -> None:
    for n in range(size):
        make_event(title=f"Möte {n}", starts_at=in_days(3 + n), organiser=developer)
        make_series(title=f"Serie {n}", organiser=developer)
    # The stand-alone meetings; the series; their occurrences.
    with django_assert_num_queries(3):
        response = client.get(reverse("events:feed"))
    assert len(vevents(parse(response))) == 2 * size

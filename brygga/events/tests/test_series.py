"""Series: the rule's occurrences made ahead, in Stockholm wall-clock time, each moved or
cancelled on its own, never made twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from brygga.events.models import Event, Series
from brygga.events.services.events import event_cancel, event_update
from brygga.events.services.series import (
    occurrences_between,
    rule_describe,
    series_extend,
    series_extend_all,
)
from brygga.events.tests.factories import local, make_question, make_series

pytestmark = pytest.mark.django_db


def second_fridays(year: int) -> list[dt.date]:
    """Worked out without the rule: the 8th to the 14th of each month that is a Friday."""
    return [
        dt.date(year, month, day)
        for month in range(1, 13)
        for day in range(8, 15)
        if dt.date(year, month, day).weekday() == 4
    ]


def test_the_politician_lunch_falls_on_the_second_friday_at_noon_all_year() -> None:
    starts = occurrences_between(
        "FREQ=MONTHLY;BYDAY=2FR", local(2027, 1, 1, 12), local(2027, 1, 1), local(2027, 12, 31)
    )
    assert [s.date() for s in starts] == second_fridays(2027)
    # Noon in Stockholm in winter (+01:00) and in summer (+02:00).
    assert {(s.hour, s.minute) for s in starts} == {(12, 0)}
    assert starts[0].utcoffset() == dt.timedelta(hours=1)
    assert starts[6].utcoffset() == dt.timedelta(hours=2)


def test_a_series_makes_its_occurrences_up_to_the_horizon(settings) -> None:
    settings.BRYGGA_EVENT_SERIES_MONTHS = 12
    series = make_series(first_start=local(2099, 1, 1, 12))
    # The first start moves to the rule's first occurrence: Friday 9 January 2099.
    assert series.first_start == local(2099, 1, 9, 12)
    occurrences = list(series.occurrences.order_by("starts_at"))
    # Twelve months from the first start: 9 January 2099 to 8 January 2100.
    assert [o.starts_at.date() for o in occurrences] == [
        *second_fridays(2099),
        dt.date(2100, 1, 8),
    ]
    assert occurrences[0].starts_at == local(2099, 1, 9, 12)
    assert occurrences[0].ends_at == local(2099, 1, 9, 13)
    assert all(o.recurrence_id == o.starts_at for o in occurrences)
    assert all(o.title == "Politikerlunch" and o.kind.key == "politikerlunch" for o in occurrences)
    assert len({o.uid for o in occurrences}) == len(occurrences)


def test_extending_again_makes_nothing_twice_and_keeps_moved_and_cancelled_ones(
    settings,
) -> None:
    settings.BRYGGA_EVENT_SERIES_MONTHS = 1
    series = make_series(first_start=local(2099, 1, 9, 12))
    until = local(2099, 6, 30)
    series_extend(series=series, until=until)
    occurrences = list(series.occurrences.order_by("starts_at"))
    assert [o.starts_at.date() for o in occurrences] == second_fridays(2099)[:6]
    february, march = occurrences[1], occurrences[2]
    event_update(
        event=february,
        data={"starts_at": local(2099, 2, 20, 12), "ends_at": local(2099, 2, 20, 13)},
    )
    event_cancel(event=march)
    assert series_extend(series=series, until=until) == 0
    assert series.occurrences.count() == 6
    moved = Event.objects.get(pk=february.pk)
    assert moved.moved and moved.recurrence_id == local(2099, 2, 13, 12)


def test_new_occurrences_get_the_latest_ones_questions(settings) -> None:
    settings.BRYGGA_EVENT_SERIES_MONTHS = 1
    series = make_series(first_start=local(2099, 1, 9, 12))
    series_extend(series=series, until=local(2099, 2, 28))
    last = series.occurrences.order_by("-recurrence_id").first()
    assert last is not None
    make_question(last, "Specialkost?")
    made = series_extend(series=series, until=local(2099, 4, 30))
    assert made == 2
    newest = series.occurrences.order_by("-recurrence_id").first()
    assert newest is not None
    assert [q.label for q in newest.questions.all()] == ["Specialkost?"]


def test_the_worker_extends_running_series_only(settings) -> None:
    settings.BRYGGA_EVENT_SERIES_MONTHS = 2
    running = make_series(first_start=local(2099, 1, 9, 12))
    ended = make_series(title="Gammal serie", first_start=local(2099, 1, 9, 12))
    Series.objects.filter(pk=ended.pk).update(ended=True)
    Event.objects.all().delete()
    series_extend_all()
    assert running.occurrences.exists()
    assert not ended.occurrences.exists()


@pytest.mark.parametrize(
    "rule",
    ["", "FREQ=SECONDLY", "FREQ=HOURLY;INTERVAL=1", "BYDAY=2FR", "FREQ=MONTHLY;BYDAY=9XX", "junk"],
)
def test_a_bad_rule_is_refused_on_the_rule_field(rule: str) -> None:
    with pytest.raises(ValidationError) as exc:
        make_series(rule=rule)
    assert "rule" in exc.value.message_dict
    assert not Series.objects.exists()


@pytest.mark.parametrize(
    "until", ["20990612", "20990612T120000", "20990612T100000Z", "RRULE_PREFIX"]
)
def test_until_is_read_in_stockholm_time_or_utc_and_stored_in_utc(until: str) -> None:
    rule = (
        "RRULE:FREQ=MONTHLY;BYDAY=2FR;UNTIL=20990612"
        if until == "RRULE_PREFIX"
        else f"FREQ=MONTHLY;BYDAY=2FR;UNTIL={until}"
    )
    series = make_series(first_start=local(2099, 1, 9, 12), rule=rule)
    # 12 June 12:00 in Stockholm (summer time) is 10:00 UTC; the lunch that day is the last.
    expected = "FREQ=MONTHLY;BYDAY=2FR;UNTIL=20990612T100000Z"
    if until in ("20990612", "RRULE_PREFIX"):
        expected = "FREQ=MONTHLY;BYDAY=2FR;UNTIL=20990612T215959Z"  # the end of the day
    assert series.rule == expected
    dates = [o.starts_at.date() for o in series.occurrences.order_by("starts_at")]
    assert dates == second_fridays(2099)[:6]


def test_rules_in_words() -> None:
    assert rule_describe("FREQ=MONTHLY;BYDAY=2FR") == "varje månad, andra fredagen"
    assert rule_describe("RRULE:FREQ=MONTHLY;BYDAY=-1TH") == "varje månad, sista torsdagen"
    assert rule_describe("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU") == "var 2:e vecka på tisdag"
    assert rule_describe("FREQ=YEARLY;BYMONTH=6") == "enligt regeln FREQ=YEARLY;BYMONTH=6"

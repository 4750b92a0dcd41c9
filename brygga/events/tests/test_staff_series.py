"""Creating a repeating meeting from the staff form (simple choices or a written RRULE),
and the series' page with its occurrences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brygga.accounts.models import User
from brygga.events.models import Event, Series
from brygga.events.services.events import event_cancel, event_update
from brygga.events.tests.factories import kind, make_series

pytestmark = pytest.mark.django_db

CREATE = reverse("events:staff_series_create")


@pytest.fixture
def office(developer: User, client_for: Callable[[User | None], Client]) -> Client:
    return client_for(developer)


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": kind("politikerlunch").pk,
        "title": "Politikerlunch",
        "description": "Informell lunch med kommunens politiker.",
        "first_start": f"{timezone.localdate() + dt.timedelta(days=1):%Y-%m-%d}T12:00",
        "duration_minutes": "60",
        "repeat": "manad",
        "ordinal": "2",
        "weekday": "FR",
        "rule": "",
        "locality": "Strängnäs",
        "place": "Rådhuset",
        "address": "",
        "organiser": "",
        "capacity": "",
        "public": "on",
        "reminder_hours": "48",
        "registration_open": "on",
    }
    data.update(overrides)
    return data


def test_the_politician_lunch_second_friday_every_month(office: Client) -> None:
    response = office.post(CREATE, _form())
    series = Series.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:staff_series", kwargs={"pk": series.pk})
    assert series.rule == "FREQ=MONTHLY;BYDAY=2FR"
    assert series.duration == dt.timedelta(minutes=60)
    occurrences = list(series.occurrences.order_by("starts_at"))
    assert len(occurrences) >= 10
    for event in occurrences:
        start = timezone.localtime(event.starts_at)
        assert start.weekday() == 4 and 8 <= start.day <= 14  # the second Friday
        assert (start.hour, start.minute) == (12, 0)  # in summer and in winter
        assert event.ends_at - event.starts_at == dt.timedelta(hours=1)
    page = office.get(response["Location"]).content.decode()
    assert "Varje månad, andra fredagen" in page
    assert page.count(reverse("events:staff_edit", kwargs={"pk": occurrences[0].pk})) == 1


@pytest.mark.parametrize(
    ("overrides", "rule"),
    [
        ({"repeat": "vecka", "weekday": "TU"}, "FREQ=WEEKLY;BYDAY=TU"),
        ({"repeat": "manad", "ordinal": "-1", "weekday": "TH"}, "FREQ=MONTHLY;BYDAY=-1TH"),
        (
            {"repeat": "regel", "rule": " rrule:freq=monthly;interval=3;byday=1tu "},
            "FREQ=MONTHLY;INTERVAL=3;BYDAY=1TU",
        ),
    ],
)
def test_the_other_choices_build_their_rule(
    office: Client, overrides: dict[str, str], rule: str
) -> None:
    assert office.post(CREATE, _form(**overrides)).status_code == 302
    assert Series.objects.get().rule == rule


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"repeat": "regel", "rule": "varannan fredag"}, "rule", "Regeln går inte att läsa"),
        ({"repeat": "regel", "rule": "FREQ=MONTHLY;BYDAY=9XX"}, "rule", "Regeln går inte att läsa"),
        ({"repeat": "regel", "rule": "FREQ=HOURLY"}, "rule", "dagligen, veckovis"),
        ({"repeat": "regel", "rule": ""}, "rule", "Skriv en regel"),
        (
            {"repeat": "regel", "rule": "FREQ=WEEKLY;UNTIL=20200101T000000"},
            "rule",
            "inget tillfälle",
        ),
        (
            {"repeat": "regel", "rule": "DTSTART:20260101T120000 RRULE:FREQ=DAILY"},
            "rule",
            "utan DTSTART",
        ),
        ({"repeat": ""}, "repeat", "Välj hur mötet upprepas."),
        ({"duration_minutes": "0"}, "duration_minutes", "minst 5 minuter"),
        ({"duration_minutes": "en timme"}, "duration_minutes", "heltal"),
        ({"first_start": ""}, "first_start", "Ange datum och klockslag."),
        ({"title": ""}, "title", "Ange en rubrik."),
    ],
)
def test_a_bad_series_is_explained_and_nothing_is_written(
    office: Client, overrides: dict[str, str], field: str, message: str
) -> None:
    response = office.post(CREATE, _form(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Series.objects.exists()
    assert not Event.objects.exists()


def test_the_series_page_shows_moved_and_cancelled_occurrences(
    office: Client, django_assert_num_queries: Any
) -> None:
    series = make_series()
    first, second, third = series.occurrences.order_by("starts_at")[:3]
    later = first.starts_at + dt.timedelta(hours=1)
    event_update(event=first, data={"starts_at": later, "ends_at": later + dt.timedelta(hours=1)})
    event_cancel(event=second)
    url = reverse("events:staff_series", kwargs={"pk": series.pk})
    response = office.get(url)
    html = response.content.decode()
    assert "Flyttat från" in html
    assert "Inställt" in html
    assert reverse("events:staff_cancel", kwargs={"pk": third.pk}) in html
    assert reverse("events:staff_cancel", kwargs={"pk": second.pk}) not in html
    assert len(response.context["occurrences"]) >= 10
    # The session, the user, the series, its occurrences with their counts.
    with django_assert_num_queries(4):
        office.get(url)

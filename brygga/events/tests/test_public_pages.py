"""The public meeting pages: the list of coming meetings and a meeting's page (what they
show, in Swedish time; seats and waitlist; cancelled meetings; wrong slugs; 404s; a fixed
number of queries)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from brygga.accounts.models import User
from brygga.events.models import Event, Registration
from brygga.events.services.events import event_cancel
from brygga.events.tests.factories import (
    in_days,
    local,
    make_event,
    make_past,
    make_question,
    make_registration,
    make_series,
)

pytestmark = pytest.mark.django_db

DASH = "\N{EN DASH}"  # between two times, and in the full meeting's badge
FULL = f"Fullbokat {DASH} väntelista"


def html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


def text(page: str) -> str:
    """What a reader sees: the page without its tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))


def fill(event: Event, count: int, *, start: int = 0) -> list[Registration]:
    return [
        make_registration(event, name=f"Person {n}", email=f"person{n}@example.se")
        for n in range(start, start + count)
    ]


# ---------------------------------------------------------------- the list


def test_the_list_shows_coming_public_meetings_by_month_with_their_seats(client: Client) -> None:
    breakfast = make_event(title="Frukostmöte i Mariefred", capacity=3)
    fill(breakfast, 1)
    full = make_event(title="Lunchmöte i Strängnäs", kind_key="lunchmote", capacity=1)
    fill(full, 2)  # one seat taken, one waiting
    make_event(title="Dialogmöte krögare", kind_key="dialogmote", starts_at=in_days(45))
    cancelled = make_event(title="Workshop om upphandling", kind_key="workshop")
    event_cancel(event=cancelled)
    make_event(title="Hemligt möte", public=False)
    make_past(make_event(title="Gammalt frukostmöte"), days_ago=3)

    page = html(client.get(reverse("events:list")))

    assert "<h1>Möten och träffar</h1>" in page
    assert page.count("<h1") == 1
    for title in ("Frukostmöte i Mariefred", "Lunchmöte i Strängnäs", "Dialogmöte krögare"):
        assert title in page
    assert "Hemligt möte" not in page
    # Kind, locality, time in Swedish time, seats.
    assert "Frukostmöte ·" in page and "Mariefred" in page
    assert f"kl. 07.30{DASH}09.00" in text(page)
    assert "2 platser kvar" in page
    assert FULL in page
    assert "Inställt" in page
    # Grouped by month: the heading of the month 45 days ahead is there.
    month = in_days(45).strftime("%m")
    months = {
        "01": "Januari", "02": "Februari", "03": "Mars", "04": "April", "05": "Maj",
        "06": "Juni", "07": "Juli", "08": "Augusti", "09": "September", "10": "Oktober",
        "11": "November", "12": "December",
    }  # fmt: skip
    assert f"{months[month]} {in_days(45).year}</h2>" in page
    # The past meeting is under its own heading, not among the coming ones.
    coming, past = page.split("Tidigare möten")
    assert "Gammalt frukostmöte" not in coming and "Gammalt frukostmöte" in past


def test_the_list_links_the_calendar_feed_as_https_and_webcal(
    client: Client, settings: Any
) -> None:
    settings.SITE_URL = "https://brygga.example.se"
    page = html(client.get(reverse("events:list")))
    assert 'href="webcal://brygga.example.se/moten/kalender.ics"' in page
    assert 'href="https://brygga.example.se/moten/kalender.ics"' in page
    assert "Inga möten är planerade just nu." in page


def test_the_list_is_paginated(client: Client) -> None:
    for n in range(30):
        make_event(title=f"Möte nummer {n:02d}", starts_at=in_days(3 + n))
    first = html(client.get(reverse("events:list")))
    second = html(client.get(reverse("events:list") + "?sida=2"))
    assert "Möte nummer 00" in first and "Möte nummer 29" not in first
    assert "Möte nummer 29" in second and "Möte nummer 00" not in second
    assert "Sida 2 av 2" in second
    assert html(client.get(reverse("events:list") + "?sida=nio"))  # a bad page number: page 1


@pytest.mark.parametrize("count", [1, 8])
def test_the_list_reads_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any, count: int
) -> None:
    for n in range(count):
        event = make_event(title=f"Möte {n}", capacity=5, starts_at=in_days(2 + 20 * n))
        fill(event, n % 3)
    make_past(make_event(title="Förra mötet"))
    # The paginator's count, the page, the past meetings.
    with django_assert_num_queries(3):
        client.get(reverse("events:list"))


# ---------------------------------------------------------------- a meeting's page


@pytest.fixture
def organiser(developer: User) -> User:
    return developer


def test_a_meetings_page_shows_what_when_where_and_whom_to_ask(
    client: Client, organiser: User
) -> None:
    event = make_event(
        title="Frukostmöte i Mariefred",
        starts_at=local(2031, 3, 14, 7, 30),  # winter time, +01:00
        description="Välkommen!\n\n<script>alert(1)</script> Läs mer på https://example.se",
        organiser=organiser,
        capacity=20,
    )
    page = html(client.get(event.get_absolute_url()))
    assert "<h1>Frukostmöte i Mariefred</h1>" in page
    assert "fredag 14 mars 2031, kl. 07.30" in page
    assert 'datetime="2031-03-14T07:30:00+01:00"' in page
    assert "Gripsholms värdshus, Kyrkogatan 1, Mariefred" in page
    assert f'href="mailto:{organiser.email}"' in page
    assert "20 platser kvar" in page
    # Staff-written text is escaped; links become links.
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'href="https://example.se"' in page
    assert f'href="{reverse("events:event_ics", kwargs={"pk": event.pk})}"' in page
    assert "Lägg till i kalender" in page


def test_a_meeting_in_summer_time_is_shown_in_swedish_time(client: Client) -> None:
    event = make_event(starts_at=local(2031, 6, 13, 12, 0), duration=dt.timedelta(hours=1))
    page = html(client.get(event.get_absolute_url()))
    assert f"fredag 13 juni 2031, kl. 12.00{DASH}13.00" in text(page)
    assert 'datetime="2031-06-13T12:00:00+02:00"' in page


def test_the_registration_form_has_the_right_inputs(client: Client) -> None:
    event = make_event()
    make_question(event, label="Specialkost?")
    one_minute = make_question(event, label="Vill du presentera dig?", kind="yes_no", required=True)
    size = make_question(
        event, label="Antal anställda", kind="choice", choices=f"1{DASH}9\n10{DASH}49\n50+"
    )
    many = make_question(
        event, label="Bransch", kind="choice", choices="\n".join(f"Bransch {n}" for n in range(9))
    )
    page = html(client.get(event.get_absolute_url()))
    assert re.search(r'<input type="email" name="email" autocomplete="email"[^>]*required', page)
    assert re.search(r'<input type="text" name="name" autocomplete="name"', page)
    assert re.search(r'<input type="tel" name="phone" autocomplete="tel"', page)
    assert 'name="company_text" autocomplete="organization"' in page
    assert "Företagets namn eller organisationsnummer." in page
    assert "Ja, kommunen får kontakta mig om näringslivsfrågor" in page
    assert 'type="checkbox" name="consent_contact"' in page
    assert 'name="website"' in page  # the honeypot
    # Yes/no and short choices: radio buttons in a fieldset with a legend; long ones: a list.
    assert '<legend>Vill du presentera dig? <span aria-hidden="true">*</span>' in page
    assert f'type="radio" name="q_{one_minute.pk}" value="ja" required' in page
    assert f'type="radio" name="q_{size.pk}" value="10{DASH}49"' in page
    assert f'<select name="q_{many.pk}"' in page
    assert "<legend>Antal anställda</legend>" in page


def test_a_full_meeting_offers_the_waitlist(client: Client) -> None:
    event = make_event(capacity=1)
    fill(event, 1)
    page = html(client.get(event.get_absolute_url()))
    assert FULL in page
    assert "Ställ mig på väntelistan" in page


def test_a_wrong_slug_redirects_to_the_right_one(client: Client) -> None:
    event = make_event(title="Frukostmöte i Mariefred")
    wrong = reverse("events:event", kwargs={"pk": event.pk, "slug": "gammalt-namn"})
    response = client.get(wrong)
    assert response.status_code == 301
    assert response["Location"] == event.get_absolute_url()


@pytest.mark.parametrize("case", ["not-public", "unknown"])
def test_a_meeting_that_is_not_public_or_not_there_is_404(client: Client, case: str) -> None:
    event = make_event(public=False)
    pk = event.pk if case == "not-public" else event.pk + 100
    response = client.get(reverse("events:event", kwargs={"pk": pk, "slug": event.slug}))
    assert response.status_code == 404
    assert client.get(reverse("events:event_ics", kwargs={"pk": pk})).status_code == 404


def test_a_cancelled_meeting_says_so_and_takes_no_registrations(client: Client) -> None:
    event = make_event(capacity=10)
    event_cancel(event=event)
    page = html(client.get(event.get_absolute_url()))
    assert "Inställt." in page and "Mötet är inställt." in page
    assert 'name="email"' not in page
    assert "Lägg till i kalender" not in page
    response = client.post(event.get_absolute_url(), {"name": "Anna", "email": "anna@example.se"})
    assert response.status_code == 200
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"registration_open": False}, "Anmälan är stängd."),
        ({"registration_deadline": in_days(-1)}, "Sista anmälningsdag har passerat."),
    ],
)
def test_a_closed_registration_gives_the_reason(
    client: Client, fields: dict[str, Any], reason: str
) -> None:
    event = make_event(**fields)
    page = html(client.get(event.get_absolute_url()))
    assert reason in page
    assert 'name="email"' not in page


def test_a_past_meeting_has_a_page_without_the_form(client: Client) -> None:
    event = make_past(make_event())
    page = html(client.get(event.get_absolute_url()))
    assert "Mötet har redan börjat." in page
    assert 'name="email"' not in page


def test_an_occurrence_links_its_whole_series_calendar(client: Client) -> None:
    series = make_series()
    occurrence = series.occurrences.order_by("starts_at").first()
    assert occurrence is not None
    page = html(client.get(occurrence.get_absolute_url()))
    assert f'href="{reverse("events:series_ics", kwargs={"pk": series.pk})}"' in page
    assert f'href="{reverse("events:event_ics", kwargs={"pk": occurrence.pk})}"' in page
    assert "Lägg till hela serien ”Politikerlunch” i kalendern" in page
    assert "andra fredagen" in page


@pytest.mark.parametrize("size", [0, 6])
def test_a_meetings_page_reads_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any, organiser: User, size: int
) -> None:
    event = make_event(capacity=3, organiser=organiser)
    for n in range(size):
        make_question(event, label=f"Fråga {n}", kind="yes_no" if n % 2 else "text")
    fill(event, size)
    # The event with its kind, organiser, series and seats; its questions.
    with django_assert_num_queries(2):
        response = client.get(event.get_absolute_url())
    assert response.status_code == 200

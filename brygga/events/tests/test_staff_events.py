"""The staff list of meetings, a meeting's page, and the forms to create, edit and
cancel a meeting and to manage its questions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from brygga.accounts.models import User
from brygga.core.models import OutboxMessage
from brygga.events.models import Event, Question, Registration
from brygga.events.selectors_staff import event_figures
from brygga.events.services.registrations import registration_cancel, registration_set_attended
from brygga.events.tests.factories import (
    in_days,
    kind,
    make_event,
    make_past,
    make_question,
    make_registration,
)

pytestmark = pytest.mark.django_db

LIST = reverse("events:staff_list")


@pytest.fixture
def office(developer: User, client_for: Callable[[User | None], Client]) -> Client:
    return client_for(developer)


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": kind("dialogmote").pk,
        "title": "Dialogmöte med krögarna",
        "description": "Om serveringstillstånd.",
        "starts_at": "2030-03-05T08:00",
        "ends_at": "2030-03-05T09:30",
        "locality": "Strängnäs",
        "place": "Rådhuset",
        "address": "Nygatan 1",
        "organiser": "",
        "capacity": "30",
        "public": "on",
        "reminder_hours": "48",
        "registration_open": "on",
        "registration_deadline": "2030-03-03T12:00",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# ---------------------------------------------------------------- the list


def test_the_list_shows_counts_per_meeting(office: Client) -> None:
    full = make_event(title="Frukost i Mariefred", capacity=1)
    make_registration(full, name="Anna", email="anna@example.se")
    make_registration(full, name="Bo", email="bo@example.se")  # waits
    gone = make_registration(full, name="Cia", email="cia@example.se")
    registration_cancel(registration=gone)
    make_event(title="Lunch i Strängnäs", locality="Strängnäs")
    response = office.get(LIST)
    assert response.status_code == 200
    rows = {event.title: event for event in response.context["page_obj"]}
    assert (rows["Frukost i Mariefred"].registered, rows["Frukost i Mariefred"].waitlisted) == (
        1,
        1,
    )
    assert rows["Lunch i Strängnäs"].registered == 0
    assert rows["Lunch i Strängnäs"].capacity is None
    assert "fritt" in response.content.decode()


def test_upcoming_first_and_the_filters(office: Client) -> None:
    later = make_event(title="Senare", starts_at=in_days(30))
    sooner = make_event(title="Snart", starts_at=in_days(3), locality="Strängnäs")
    past = make_past(make_event(title="Förra veckan"), days_ago=7)
    older = make_past(make_event(title="Förra månaden"), days_ago=30)

    def titles(query: str = "") -> list[str]:
        return [e.title for e in office.get(LIST + query).context["page_obj"]]

    assert titles() == [sooner.title, later.title]
    assert titles("?tid=tidigare") == [past.title, older.title]
    assert titles("?tid=alla") == [sooner.title, later.title, past.title, older.title]
    assert titles("?tid=alla&ort=Strängnäs") == [sooner.title]
    assert titles("?tid=alla&typ=frukostmote") == titles("?tid=alla")
    assert titles("?tid=alla&typ=dialogmote") == []


def test_a_bad_filter_is_a_message_not_an_error(office: Client) -> None:
    response = office.get(LIST + "?tid=igår&typ=finns-inte&ort=Atlantis")
    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert "Filtret är ogiltigt" in response.content.decode()


def test_the_list_reads_a_fixed_number_of_queries(
    office: Client, django_assert_num_queries: Any
) -> None:
    def many(n: int) -> None:
        for i in range(n):
            event = make_event(title=f"Möte {i}", capacity=5)
            make_registration(event, name=f"P {i}", email=f"p{i}@example.se")

    many(1)
    office.get(LIST)  # warm the session
    with django_assert_num_queries(7) as few:
        office.get(LIST)
    many(6)
    with django_assert_num_queries(len(few.captured_queries)):
        office.get(LIST)


# ---------------------------------------------------------------- a meeting's page


def test_the_figures(office: Client) -> None:
    event = make_event(capacity=2)
    anna = make_registration(event, name="Anna", email="anna@example.se")
    make_registration(event, name="Bo", email="bo@example.se")
    make_registration(event, name="Cia", email="cia@example.se")  # waits
    dan = make_registration(event, name="Dan", email="dan@example.se")  # waits
    registration_cancel(registration=dan)
    registration_set_attended(registration=anna, attended=True)
    figures = event_figures(event)
    assert (
        figures.capacity,
        figures.invited,
        figures.registered,
        figures.waitlisted,
        figures.cancelled,
        figures.attended,
        figures.seats_left,
    ) == (2, 0, 2, 1, 1, 1, 0)


def test_the_page_lists_registrations_by_status_then_time(office: Client) -> None:
    event = make_event(capacity=1)
    make_question(event, "Specialkost?")
    question = event.questions.get()
    make_registration(
        event,
        name="Anna Andersson",
        email="anna@example.se",
        company_text="Kafé Ugglan",
        answers={str(question.pk): "Vegetarisk"},
    )
    waiting = make_registration(event, name="Bo Berg", email="bo@example.se")
    gone = make_registration(event, name="Cia Ceder", email="cia@example.se")
    registration_cancel(registration=gone)
    response = office.get(reverse("events:staff_detail", kwargs={"pk": event.pk}))
    assert response.status_code == 200
    names = [r.name for r in response.context["registrations"]]
    assert names == ["Anna Andersson", "Bo Berg", "Cia Ceder"]
    html = response.content.decode()
    assert "Vegetarisk" in html and "Kafé Ugglan" in html
    assert waiting.status == Registration.Status.WAITLISTED


def test_the_page_reads_a_fixed_number_of_queries(
    office: Client, django_assert_num_queries: Any
) -> None:
    event = make_event(capacity=50)
    make_question(event)
    url = reverse("events:staff_detail", kwargs={"pk": event.pk})
    make_registration(event, name="P 0", email="p0@example.se")
    office.get(url)
    with django_assert_num_queries(7) as few:
        office.get(url)
    for i in range(1, 8):
        make_registration(event, name=f"P {i}", email=f"p{i}@example.se")
    with django_assert_num_queries(len(few.captured_queries)):
        office.get(url)


# ---------------------------------------------------------------- create and edit


def test_a_meeting_is_created(office: Client, developer: User) -> None:
    response = office.post(reverse("events:staff_create"), _form(organiser=developer.pk))
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:staff_detail", kwargs={"pk": event.pk})
    assert event.title == "Dialogmöte med krögarna"
    assert event.kind.key == "dialogmote"
    assert event.capacity == 30
    assert event.organiser == developer
    assert event.created_by == developer
    # The times are Stockholm wall-clock time: 08:00 in March is 07:00 UTC.
    assert event.starts_at == dt.datetime(2030, 3, 5, 7, 0, tzinfo=dt.UTC)
    assert event.registration_deadline == dt.datetime(2030, 3, 3, 11, 0, tzinfo=dt.UTC)


def test_an_empty_capacity_is_unlimited(office: Client) -> None:
    office.post(reverse("events:staff_create"), _form(capacity=""))
    assert Event.objects.get().capacity is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": "2030-03-05T07:00"}, "ends_at", "Mötet måste sluta efter att det börjar."),
        ({"ends_at": "2030-03-05T08:00"}, "ends_at", "Mötet måste sluta efter att det börjar."),
        ({"starts_at": "imorgon"}, "starts_at", "Ange datum och klockslag"),
        ({"starts_at": ""}, "starts_at", "Ange datum och klockslag."),
        ({"title": ""}, "title", "Ange en rubrik."),
        ({"capacity": "0"}, "capacity", "Ange minst 1 plats"),
        ({"capacity": "många"}, "capacity", "heltal"),
        ({"kind": "999999"}, "kind", "Välj en typ i listan."),
        ({"organiser": "999999"}, "organiser", "Välj en kontaktperson i listan."),
        (
            {"registration_deadline": "2030-03-06T12:00"},
            "registration_deadline",
            "Sista anmälningsdag kan inte vara efter att mötet börjar.",
        ),
    ],
)
def test_bad_input_is_explained_and_nothing_is_written(
    office: Client, overrides: dict[str, str], field: str, message: str
) -> None:
    response = office.post(reverse("events:staff_create"), _form(**overrides))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert "Formuläret är inte sparat" in response.content.decode()
    assert not Event.objects.exists()


def test_a_retired_kind_is_not_offered_for_new_meetings(office: Client) -> None:
    retired = kind("workshop")
    retired.active = False
    retired.save()
    response = office.post(reverse("events:staff_create"), _form(kind=retired.pk))
    assert "kind" in response.context["form"].errors
    assert not Event.objects.exists()


def test_a_meeting_is_edited_and_those_with_a_seat_are_told(office: Client) -> None:
    event = make_event(title="Frukost", capacity=1, starts_at=in_days(10, hour=7))
    make_registration(event, name="Anna", email="anna@example.se")
    waiting = make_registration(event, name="Bo", email="bo@example.se")
    url = reverse("events:staff_edit", kwargs={"pk": event.pk})
    form = office.get(url).context["form"]
    assert form["title"].value() == "Frukost"
    # The initial times are shown in Stockholm time, in the widget's format.
    assert form["starts_at"].value().hour == 7
    outbox_before = OutboxMessage.objects.count()
    moved = in_days(11, hour=8)
    response = office.post(
        url,
        _form(
            kind=event.kind.pk,
            title="Frukost, ny tid",
            starts_at=f"{moved:%Y-%m-%dT%H:%M}",
            ends_at=f"{moved + dt.timedelta(hours=1):%Y-%m-%dT%H:%M}",
            capacity="2",
            registration_deadline="",
        ),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    waiting.refresh_from_db()
    assert event.title == "Frukost, ny tid"
    assert event.starts_at == moved
    assert waiting.status == Registration.Status.CONFIRMED  # the new seat went to Bo
    assert OutboxMessage.objects.count() > outbox_before
    assert not mail.outbox  # through the outbox only


def test_cancelling_asks_first_then_cancels(office: Client) -> None:
    event = make_event()
    make_registration(event)
    url = reverse("events:staff_cancel", kwargs={"pk": event.pk})
    page = office.get(url)
    assert "Ja, ställ in mötet" in page.content.decode()
    event.refresh_from_db()
    assert not event.cancelled
    response = office.post(url)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.cancelled
    detail = office.get(reverse("events:staff_detail", kwargs={"pk": event.pk}))
    assert "Inställt" in detail.content.decode()
    assert reverse("events:staff_edit", kwargs={"pk": event.pk}) not in detail.content.decode()


# ---------------------------------------------------------------- questions


def test_questions_are_added_edited_and_removed(office: Client) -> None:
    event = make_event()
    url = reverse("events:staff_questions", kwargs={"pk": event.pk})
    response = office.post(
        url,
        {
            "label": "Vill du ha en minut att presentera dig?",
            "kind": "yes_no",
            "required": "on",
            "position": "",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get(event=event)
    assert (question.kind, question.required, question.position) == ("yes_no", True, 0)
    edit = reverse(
        "events:staff_question_edit", kwargs={"pk": event.pk, "question_pk": question.pk}
    )
    response = office.post(
        edit,
        {
            "label": "Specialkost",
            "kind": "choice",
            "choices": "Ingen\n\nVegetarisk\n",
            "position": 2,
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.label, question.choice_list) == ("Specialkost", ["Ingen", "Vegetarisk"])
    delete = reverse(
        "events:staff_question_delete", kwargs={"pk": event.pk, "question_pk": question.pk}
    )
    assert office.get(delete).status_code == 200
    assert Question.objects.filter(pk=question.pk).exists()
    assert office.post(delete).status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()


def test_a_choice_question_needs_two_choices(office: Client) -> None:
    event = make_event()
    response = office.post(
        reverse("events:staff_questions", kwargs={"pk": event.pk}),
        {"label": "Vilken dag?", "kind": "choice", "choices": "Måndag"},
    )
    assert response.status_code == 200
    assert "Ange minst två svarsalternativ" in " ".join(response.context["form"].errors["choices"])
    assert not Question.objects.exists()


def test_a_question_of_another_meeting_is_404(office: Client) -> None:
    event, other = make_event(), make_event(title="Annat")
    question = make_question(other)
    url = reverse("events:staff_question_edit", kwargs={"pk": event.pk, "question_pk": question.pk})
    assert office.get(url).status_code == 404

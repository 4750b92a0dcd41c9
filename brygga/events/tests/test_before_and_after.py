"""Before and after the meeting: the reminder, the evaluation request and the answer,
and what an erased person leaves behind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from brygga.core.models import OutboxMessage
from brygga.core.privacy import erase_elsewhere, extract_elsewhere
from brygga.events.models import Evaluation, Event, Registration
from brygga.events.services.evaluations import (
    evaluation_open_for,
    evaluation_requests_send,
    evaluation_submit,
    reminders_send,
)
from brygga.events.services.registrations import registration_set_attended
from brygga.events.tests.factories import make_event, make_past, make_registration

pytestmark = pytest.mark.django_db


def sent(kind: str) -> list[str]:
    return sorted(OutboxMessage.objects.filter(kind=f"events.{kind}").values_list("to", flat=True))


def test_those_with_a_seat_are_reminded_once_when_the_hour_comes() -> None:
    event = make_event(capacity=1, reminder_hours=48)
    make_registration(event, email="seat@example.se")
    make_registration(event, email="wait@example.se")
    before = event.starts_at - dt.timedelta(hours=49)
    assert reminders_send(now=before) == 0
    at = event.starts_at - dt.timedelta(hours=47)
    assert reminders_send(now=at) == 1
    assert sent("reminder") == ["seat@example.se"]
    message = OutboxMessage.objects.get(kind="events.reminder")
    assert "BEGIN:VEVENT" in message.attachments[0]["content"]
    assert reminders_send(now=at + dt.timedelta(hours=1)) == 0
    assert Event.objects.get(pk=event.pk).reminders_sent_at == at


def test_no_reminder_when_the_meeting_says_none_or_is_cancelled() -> None:
    quiet = make_event(reminder_hours=0)
    make_registration(quiet, email="a@example.se")
    cancelled = make_event(title="Inställt")
    make_registration(cancelled, email="b@example.se")
    Event.objects.filter(pk=cancelled.pk).update(status=Event.Status.CANCELLED)
    assert reminders_send(now=quiet.starts_at - dt.timedelta(minutes=5)) == 0


def test_attendees_get_the_evaluation_link_after_the_meeting_also_when_marked_late() -> None:
    event = make_event()
    came = make_registration(event, email="came@example.se")
    stayed_away = make_registration(event, email="away@example.se")
    came = registration_set_attended(registration=came, attended=True)
    assert evaluation_requests_send() == 0  # not over yet
    make_past(event)
    assert evaluation_requests_send() == 1
    assert sent("evaluation") == ["came@example.se"]
    message = OutboxMessage.objects.get(kind="events.evaluation")
    assert f"/moten/utvardering/{came.token}/" in message.body_text
    assert evaluation_requests_send() == 0
    # Attendance marked the day after still brings the link.
    registration_set_attended(registration=stayed_away, attended=True)
    assert evaluation_requests_send() == 1
    assert sent("evaluation") == ["away@example.se", "came@example.se"]


def test_an_attendee_answers_once(settings) -> None:
    event = make_event()
    came = make_registration(event, email="came@example.se")
    other = make_registration(event, email="other@example.se")
    came = registration_set_attended(registration=came, attended=True)
    assert evaluation_open_for(came) == "Utvärderingen öppnar när mötet är slut."
    make_past(event)
    came.refresh_from_db()
    assert evaluation_open_for(came) is None
    assert evaluation_open_for(other) == "Utvärderingen är till för dem som deltog i mötet."
    evaluation = evaluation_submit(
        registration=came, overall=4, dialogue_time=2, comment=" För kort tid.\u200b "
    )
    assert (evaluation.event_id, evaluation.overall, evaluation.dialogue_time) == (event.pk, 4, 2)
    assert evaluation.comment == "För kort tid."
    with pytest.raises(ValidationError, match="redan fått"):
        evaluation_submit(registration=came, overall=5, dialogue_time=5, comment="")
    assert Evaluation.objects.count() == 1


def test_scores_outside_one_to_five_are_refused() -> None:
    event = make_event()
    came = make_registration(event)
    came = registration_set_attended(registration=came, attended=True)
    make_past(event)
    came.refresh_from_db()
    for overall, dialogue in ((0, 3), (6, 3), (3, 0)):
        with pytest.raises(ValidationError):
            evaluation_submit(
                registration=came, overall=overall, dialogue_time=dialogue, comment=""
            )
    assert not Evaluation.objects.exists()


def test_the_evaluation_closes_after_the_set_days(settings) -> None:
    settings.BRYGGA_EVENT_EVALUATION_DAYS = 3
    event = make_event()
    came = make_registration(event)
    came = registration_set_attended(registration=came, attended=True)
    make_past(event, days_ago=5)
    came.refresh_from_db()
    assert evaluation_open_for(came) == "Tiden för att svara har gått ut."
    assert evaluation_requests_send(now=timezone.now()) == 0


def test_a_person_is_extracted_and_erased_but_the_figures_stay(admin_user) -> None:
    event = make_event()
    came = make_registration(event, name="Bo Ek", email="bo@example.se", phone="070-1234567")
    came = registration_set_attended(registration=came, attended=True)
    make_past(event)
    came.refresh_from_db()
    evaluation_submit(registration=came, overall=5, dialogue_time=4, comment="Bra möte.")
    found = extract_elsewhere("BO@example.se")["events"]
    assert found["registrations"][0]["name"] == "Bo Ek"
    assert found["registrations"][0]["phone"] == "070-1234567"
    lines = erase_elsewhere("bo@example.se", apply=True, actor=admin_user)
    assert any("anmälningar till möten anonymiseras" in line for line in lines)
    erased = Registration.objects.get(pk=came.pk)
    assert (erased.name, erased.phone) == ("Borttagen person", "")
    assert "bo@example.se" not in erased.email
    assert erased.attended and Evaluation.objects.get().overall == 5
    assert "events" not in extract_elsewhere("bo@example.se")

"""Registration, the waitlist, cancellation, promotion and the meeting's own changes,
through the services (the pages call the same functions)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from brygga.core.models import AuditEntry, OutboxMessage
from brygga.events.models import Event, Registration
from brygga.events.services.events import event_cancel, event_update
from brygga.events.services.registrations import (
    company_match,
    registration_cancel,
    registration_create,
    registration_open_for,
    registration_set_attended,
    waitlist_position,
)
from brygga.events.tests.factories import in_days, make_event, make_question, make_registration
from brygga.register.models import Contact
from brygga.register.tests.companies_factory import make_company, orgnr

pytestmark = pytest.mark.django_db
Status = Registration.Status


def mails(kind: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=f"events.{kind}").order_by("id"))


def test_seats_then_waitlist_in_order_and_each_is_told() -> None:
    event = make_event(capacity=2)
    a = make_registration(event, email="a@example.se")
    b = make_registration(event, email="B@Example.se ")
    c = make_registration(event, email="c@example.se")
    d = make_registration(event, email="d@example.se")
    assert [r.status for r in (a, b, c, d)] == [Status.CONFIRMED] * 2 + [Status.WAITLISTED] * 2
    assert b.email == "b@example.se"
    assert (waitlist_position(c), waitlist_position(d), waitlist_position(a)) == (1, 2, None)
    confirmed = mails("confirmed")
    assert [m.to for m in confirmed] == ["a@example.se", "b@example.se"]
    assert all(m.attachments[0]["filename"].endswith(".ics") for m in confirmed)
    assert "BEGIN:VEVENT" in confirmed[0].attachments[0]["content"]
    waiting = mails("waitlisted")
    assert [m.to for m in waiting] == ["c@example.se", "d@example.se"]
    assert all(not m.attachments for m in waiting)
    assert "nummer 2" in waiting[1].body_text
    assert f"/moten/anmalan/{d.token}/" in waiting[1].body_text


def test_cancelling_a_seat_gives_it_to_the_first_waiting_with_the_ics() -> None:
    event = make_event(capacity=1)
    first = make_registration(event, email="first@example.se")
    second = make_registration(event, email="second@example.se")
    third = make_registration(event, email="third@example.se")
    registration_cancel(registration=first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (Status.CONFIRMED, Status.WAITLISTED)
    assert second.seat_granted_at is not None
    promoted = mails("promoted")
    assert [m.to for m in promoted] == ["second@example.se"]
    assert "BEGIN:VCALENDAR" in promoted[0].attachments[0]["content"]
    assert [m.to for m in mails("cancelled")] == ["first@example.se"]
    # Cancelling twice changes nothing and mails nothing more.
    registration_cancel(registration=first)
    assert len(mails("cancelled")) == 1
    assert len(mails("promoted")) == 1


def test_a_waiting_person_who_cancels_frees_no_seat() -> None:
    event = make_event(capacity=1)
    make_registration(event, email="first@example.se")
    second = make_registration(event, email="second@example.se")
    third = make_registration(event, email="third@example.se")
    registration_cancel(registration=second)
    third.refresh_from_db()
    assert third.status == Status.WAITLISTED
    assert waitlist_position(third) == 1
    assert mails("promoted") == []


def test_no_limit_means_everyone_gets_a_seat() -> None:
    event = make_event(capacity=None)
    registrations = [make_registration(event, email=f"p{i}@example.se") for i in range(5)]
    assert {r.status for r in registrations} == {Status.CONFIRMED}


def test_a_second_registration_of_the_same_address_takes_no_second_seat() -> None:
    event = make_event(capacity=5)
    first = make_registration(event, email="anna@example.se")
    again = make_registration(event, email="ANNA@example.se", name="Anna igen")
    assert again.pk == first.pk
    assert Registration.objects.filter(event=event).count() == 1
    assert [m.to for m in mails("already_registered")] == ["anna@example.se"]
    # After cancelling, the same address may register again.
    registration_cancel(registration=first)
    new = make_registration(event, email="anna@example.se")
    assert new.pk != first.pk and new.status == Status.CONFIRMED


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"registration_open": False}, "Anmälan är stängd."),
        ({"registration_deadline": in_days(-1)}, "Sista anmälningsdag har passerat."),
    ],
)
def test_closed_registration_is_refused_with_the_reason(change: dict, reason: str) -> None:
    event = make_event(**change)
    assert registration_open_for(event) == reason
    with pytest.raises(ValidationError) as exc:
        make_registration(event)
    assert exc.value.messages == [reason]
    assert not Registration.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_cancelled_or_started_meeting_takes_no_registrations() -> None:
    cancelled = event_cancel(event=make_event())
    with pytest.raises(ValidationError, match="inställt"):
        make_registration(cancelled)
    started = make_event(starts_at=in_days(0, hour=0, minute=1), ends_at=in_days(1, hour=23))
    with pytest.raises(ValidationError, match="börjat"):
        make_registration(started)


def test_invitation_only_meetings_need_the_invitation() -> None:
    event = make_event(public=False)
    with pytest.raises(ValidationError, match="inbjudna"):
        make_registration(event)


def test_answers_are_kept_with_their_labels_and_required_ones_enforced() -> None:
    event = make_event()
    diet = make_question(event, "Specialkost?")
    slot = make_question(
        event, "Vill du ha en minut att presentera ditt företag?", kind="yes_no", required=True
    )
    size = make_question(event, "Hur många kommer?", kind="choice", choices="1\n2\n3")
    with pytest.raises(ValidationError, match="Vill du ha en minut"):
        make_registration(event, answers={str(diet.pk): "Vegetarisk"})
    with pytest.raises(ValidationError, match="inte ett av svaren"):
        make_registration(event, answers={str(slot.pk): "Ja", str(size.pk): "7"})
    registration = make_registration(
        event, answers={str(diet.pk): " Vegetarisk\u202e ", str(slot.pk): "Ja", str(size.pk): "2"}
    )
    assert registration.answers == {
        str(diet.pk): {"label": "Specialkost?", "answer": "Vegetarisk"},
        str(slot.pk): {"label": "Vill du ha en minut att presentera ditt företag?", "answer": "Ja"},
        str(size.pk): {"label": "Hur många kommer?", "answer": "2"},
    }


def test_the_company_is_matched_by_org_number_or_unique_name() -> None:
    bygg = make_company("Mariefreds Bygg AB", identity=orgnr(4711))
    make_company("Kafé Ugglan")
    make_company("Kafé Ugglan")
    assert company_match(f"{bygg.identity[:6]}-{bygg.identity[6:]}") == bygg
    assert company_match("mariefreds bygg ab") == bygg
    assert company_match("Kafé Ugglan") is None  # two with that name
    assert company_match("Okänt AB") is None
    assert company_match("") is None


def test_consent_makes_the_person_a_contact_with_mailing_consent_from_the_registration() -> None:
    bygg = make_company("Mariefreds Bygg AB", identity=orgnr(4711))
    event = make_event()
    make_registration(
        event,
        name="Bo Ek",
        email="bo@bygg.se",
        company_text="Mariefreds Bygg AB",
        consent_contact=True,
    )
    contact = Contact.objects.get(company=bygg)
    assert (contact.name, contact.email, contact.consent_mailing) == ("Bo Ek", "bo@bygg.se", True)
    assert contact.consent_mailing_source == "registration"
    assert AuditEntry.objects.filter(subject_type="register.contact", action="create").exists()
    # Without consent nobody is added.
    make_registration(event, email="other@bygg.se", company_text="Mariefreds Bygg AB")
    assert Contact.objects.filter(company=bygg).count() == 1


def test_a_larger_capacity_promotes_the_waiting_at_once() -> None:
    event = make_event(capacity=1)
    make_registration(event, email="a@example.se")
    waiting = [make_registration(event, email=f"w{i}@example.se") for i in range(3)]
    event_update(event=event, data={"capacity": 3})
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
    assert [m.to for m in mails("promoted")] == ["w0@example.se", "w1@example.se"]


def test_moving_the_meeting_mails_the_new_calendar_entry_to_those_with_a_seat() -> None:
    event = make_event(capacity=1)
    make_registration(event, email="seat@example.se")
    make_registration(event, email="wait@example.se")
    moved = event_update(
        event=event,
        data={
            "starts_at": event.starts_at + dt.timedelta(days=1),
            "ends_at": event.ends_at + dt.timedelta(days=1),
        },
    )
    assert moved.sequence == 1
    changed = mails("changed")
    assert [m.to for m in changed] == ["seat@example.se"]
    assert "SEQUENCE:1" in changed[0].attachments[0]["content"]
    # A change that the calendar does not show is not news.
    event_update(event=moved, data={"description": "Nu med kaffe."})
    assert len(mails("changed")) == 1


def test_cancelling_the_meeting_tells_everyone_and_marks_the_entry_cancelled() -> None:
    event = make_event(capacity=1)
    make_registration(event, email="seat@example.se")
    make_registration(event, email="wait@example.se")
    event_cancel(event=event)
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    cancelled = mails("event_cancelled")
    assert [m.to for m in cancelled] == ["seat@example.se", "wait@example.se"]
    assert "STATUS:CANCELLED" in cancelled[0].attachments[0]["content"]
    assert cancelled[1].attachments == []


def test_attendance_only_for_those_with_a_seat() -> None:
    event = make_event(capacity=1)
    seat = make_registration(event, email="seat@example.se")
    wait = make_registration(event, email="wait@example.se")
    marked = registration_set_attended(registration=seat, attended=True)
    assert marked.attended
    assert not registration_set_attended(registration=seat, attended=False).attended
    with pytest.raises(ValidationError):
        registration_set_attended(registration=wait, attended=True)


def test_an_invitation_for_another_event_is_refused() -> None:
    from brygga.events.models import Invitation, InvitationBatch

    other = make_event(title="Annat möte")
    batch = InvitationBatch.objects.create(event=other, target="locality", description="x")
    invitation = Invitation.objects.create(
        event=other, batch=batch, name="A", email="a@example.se", token="t"
    )
    with pytest.raises(ValidationError, match="annat möte"):
        registration_create(
            event=make_event(), name="A", email="a@example.se", invitation=invitation
        )


def test_an_event_must_end_after_it_starts_and_close_registration_before() -> None:
    start = in_days(10)
    with pytest.raises(ValidationError) as exc:
        make_event(starts_at=start, ends_at=start)
    assert exc.value.message_dict["ends_at"] == ["Mötet måste sluta efter att det har börjat."]
    with pytest.raises(ValidationError) as exc:
        make_event(starts_at=start, registration_deadline=start + dt.timedelta(hours=1))
    assert "registration_deadline" in exc.value.message_dict
    assert not Event.objects.exists()


def test_consent_also_keeps_a_new_contact_in_the_register_by_the_same_source() -> None:
    bygg = make_company("Mariefreds Bygg AB", identity=orgnr(4711))
    make_registration(
        make_event(), email="bo@bygg.se", company_text="Mariefreds Bygg AB", consent_contact=True
    )
    contact = Contact.objects.get(company=bygg)
    assert contact.consent_processing and contact.consent_processing_source == "registration"

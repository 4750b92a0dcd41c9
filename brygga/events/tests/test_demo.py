"""The demo meetings (``brygga.events.demo``, loaded by ``manage.py load_demo``)."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from brygga.core.models import AuditEntry, OutboxMessage
from brygga.events.demo import load_events_demo
from brygga.events.models import Evaluation, Event, Invitation, Registration, Series
from brygga.events.services.registrations import waitlist_position
from brygga.register.demo import load_demo
from brygga.register.models import Contact

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")
Status = Registration.Status
LOCALITIES = {"Strängnäs", "Mariefred", "Åkers styckebruk", "Stallarholmen"}


@pytest.fixture
def register() -> None:
    load_demo(companies=150)


def fingerprint() -> list[Any]:
    events = Event.objects.order_by("starts_at", "title").prefetch_related(
        "registrations", "questions", "evaluations"
    )
    return [
        (
            e.kind.key,
            e.title,
            e.starts_at,
            e.capacity,
            e.status,
            [q.label for q in e.questions.all()],
            sorted(
                (
                    r.email,
                    r.status,
                    r.attended,
                    sorted((a["label"], a["answer"]) for a in r.answers.values()),
                )
                for r in e.registrations.all()
            ),
            sorted((v.overall, v.dialogue_time, v.comment) for v in e.evaluations.all()),
        )
        for e in events
    ]


class _Rollback(Exception):
    pass


def test_it_is_the_same_every_time(register: None) -> None:
    # The first load is rolled back whole: registrations change the register (consents
    # to mailings), and the second load must start from the same register.
    with pytest.raises(_Rollback), transaction.atomic():
        load_events_demo()
        first = fingerprint()
        raise _Rollback
    assert not Event.objects.exists()

    load_events_demo()

    assert fingerprint() == first
    assert len(first) > 15


def test_breakfasts_in_the_four_localities_and_one_repeated_at_lunch(register: None) -> None:
    load_events_demo()
    now = timezone.now()
    breakfasts = Event.objects.filter(kind__key="frukostmote", starts_at__gt=now)
    assert set(breakfasts.values_list("locality", flat=True)) == LOCALITIES
    assert all(e.starts_at.astimezone(STOCKHOLM).hour == 7 for e in breakfasts)
    lunch = Event.objects.get(kind__key="lunchmote")
    assert "repris" in lunch.title and lunch.locality == "Strängnäs"
    assert lunch.starts_at.astimezone(STOCKHOLM).hour == 11
    labels = set(lunch.questions.values_list("label", flat=True))
    assert "Vill du hålla en minutpresentation av ditt företag?" in labels
    # Mariefred is fully booked, with people waiting in order.
    mariefred = breakfasts.get(locality="Mariefred")
    confirmed = mariefred.registrations.filter(status=Status.CONFIRMED).count()
    assert confirmed == mariefred.capacity
    waiting = list(mariefred.registrations.filter(status=Status.WAITLISTED).order_by("id"))
    assert [waitlist_position(r) for r in waiting] == list(range(1, len(waiting) + 1))
    assert waiting
    # ... and someone cancelled, so the first waiting person was promoted and mailed.
    assert mariefred.registrations.filter(status=Status.CANCELLED).count() == 1
    promoted = mariefred.registrations.filter(status=Status.CONFIRMED).order_by("-id").first()
    assert promoted is not None and promoted.seat_granted_at is not None
    assert AuditEntry.objects.filter(
        subject_type="events.registration", subject_id=str(promoted.pk), via="väntelista"
    ).exists()


def test_the_politician_lunch_is_a_series_on_the_second_friday(register: None) -> None:
    load_events_demo()
    series = Series.objects.get()
    assert series.kind.key == "politikerlunch" and series.rule == "FREQ=MONTHLY;BYDAY=2FR"
    occurrences = list(series.occurrences.order_by("recurrence_id"))
    assert len(occurrences) >= 12
    for event in occurrences:
        assert event.recurrence_id is not None
        rule_start = event.recurrence_id.astimezone(STOCKHOLM)
        assert rule_start.weekday() == 4 and 8 <= rule_start.day <= 14
        assert rule_start.hour == 12
    assert sum(e.moved for e in occurrences) == 1
    assert sum(e.cancelled for e in occurrences) == 1
    assert occurrences[0].registrations.exists()


def test_procurement_and_the_regulatory_dialogue_with_the_alcohol_inspectors(
    register: None,
) -> None:
    load_events_demo()
    procurement = Event.objects.get(kind__key="upphandlingsmote")
    assert procurement.registration_open and procurement.registration_deadline is not None
    assert procurement.registration_deadline < procurement.starts_at
    question = procurement.questions.get(required=True)
    assert question.kind == "choice" and len(question.choice_list) == 3
    answers = [r.answers[str(question.pk)]["answer"] for r in procurement.registrations.all()]
    assert answers and set(answers) <= set(question.choice_list)

    dialogue = Event.objects.get(kind__key="dialogmote", starts_at__gt=timezone.now())
    assert "alkohol" in dialogue.title and dialogue.regulatory and not dialogue.public
    invited = Invitation.objects.filter(event=dialogue)
    assert invited.exists()
    for invitation in invited.select_related("company"):
        assert invitation.company is not None
        assert "Restaurang och café" in {t.name for t in invitation.company.tags.all()}
    assert dialogue.registrations.exists()
    assert all(r.invitation_id is not None for r in dialogue.registrations.all())


def test_held_meetings_have_attendance_and_evaluations_in_the_past(register: None) -> None:
    result = load_events_demo()
    now = timezone.now()
    past = Event.objects.filter(ends_at__lt=now)
    assert past.count() == result.past == 4
    assert {e.kind.key for e in past} >= {"frukostmote", "dialogmote", "natverkstraff"}
    for event in past:
        regs = event.registrations.all()
        assert regs.exists()
        assert all(r.created_at < event.starts_at for r in regs)
        attended = [r for r in regs if r.attended]
        assert attended and all(r.status == Status.CONFIRMED for r in attended)
        assert all(r.attended_at and event.ends_at <= r.attended_at < now for r in attended)
    evaluations = Evaluation.objects.all()
    assert evaluations.count() == result.evaluations > 10
    assert all(v.registration.attended for v in evaluations.select_related("registration"))
    assert all(v.submitted_at > v.event.ends_at for v in evaluations.select_related("event"))
    scores = Counter(v.overall for v in evaluations)
    assert len(scores) >= 3
    assert Evaluation.objects.exclude(comment="").exists()
    # The requests went out by the worker's own function, stamped on each attendee.
    assert (
        Registration.objects.filter(
            attended_at__isnull=False, evaluation_requested_at__isnull=True
        ).count()
        == 0
    )
    # No meeting ahead is marked as held.
    assert not Registration.objects.filter(event__starts_at__gt=now, attended_at__isnull=False)


def test_it_goes_through_the_services_and_keeps_the_register_s_rules(register: None) -> None:
    load_events_demo()
    # The services wrote the mails; the demo deleted them again (nobody real to mail).
    assert not OutboxMessage.objects.exists()
    assert AuditEntry.objects.filter(subject_type="events.event", via="demodata").count() >= 11
    assert AuditEntry.objects.filter(subject_type="events.registration").exists()
    contacts = Contact.objects.all()
    assert all(c.email.endswith("@example.se") for c in contacts)
    assert all(c.consent_processing_source for c in contacts)
    assert Registration.objects.filter(company__isnull=False).exists()
    emails = set(Registration.objects.values_list("email", flat=True))
    assert all(e.endswith("@example.se") for e in emails)


def test_it_works_on_a_tiny_register() -> None:
    load_demo(companies=5)
    result = load_events_demo()
    assert result.events >= 11 and result.registrations > 0


def test_load_demo_adds_the_meetings_once_and_if_empty_twice_does_not_duplicate(
    settings: Any,
) -> None:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", "--if-empty", "--companies", "60", stdout=out)
    assert "Mötena laddade på" in out.getvalue()
    counts = (Event.objects.count(), Registration.objects.count(), Evaluation.objects.count())
    assert counts[0] > 15 and counts[1] > 0 and counts[2] > 0

    again = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=again)
    assert "Mötena innehåller redan möten; de hoppades över." in again.getvalue()
    assert "inget laddades" in again.getvalue()
    assert (Event.objects.count(), Registration.objects.count(), Evaluation.objects.count()) == (
        counts
    )


def test_an_older_demo_database_gets_the_meetings_on_the_next_run(
    settings: Any, register: None
) -> None:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "Mötena laddade på" in out.getvalue()
    assert Event.objects.exists()

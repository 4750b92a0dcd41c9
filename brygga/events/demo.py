"""Demo meetings for ``make run`` (``manage.py load_demo`` loads them when there are none).

On the demo register's companies and staff users: breakfast meetings in the four
localities of Strängnäs kommun (the Strängnäs one repeated at lunch for other
trades, the Mariefred one fully booked with a waitlist), the politician lunch as a
series on the second Friday of every month (one occurrence moved, one cancelled), a
procurement dialogue meeting with sign-up, a deadline and a required question, an
invitation-only dialogue meeting for restaurants with the alcohol inspectors
(regulatory information, invited by tag), and four held meetings with registrations,
attendance and evaluations.

Everything is written through the services (``via="demodata"``), in the caller's
transaction. The e-mails the services write on the way (confirmations, waitlist
and evaluation messages, invitations) are deleted again before the transaction
ends: the people are fictional, and the demo, like the action plan's, queues no
mail. Deterministic for a given seed and register (tokens and UIDs aside).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from brygga.accounts.models import User
from brygga.core.models import OutboxMessage
from brygga.events import demo_data as d
from brygga.events.mail import KIND_PREFIX
from brygga.events.models import (
    Evaluation,
    Event,
    EventKind,
    Invitation,
    InvitationBatch,
    Registration,
)
from brygga.events.services.evaluations import evaluation_requests_send, evaluation_submit
from brygga.events.services.events import event_cancel, event_create, event_update, question_save
from brygga.events.services.invitations import invitation_batch_write, invitation_send
from brygga.events.services.kinds import kinds_ensure_defaults
from brygga.events.services.registrations import (
    registration_cancel,
    registration_create,
    registration_set_attended,
)
from brygga.events.services.series import series_create
from brygga.register.demo import ascii_slug
from brygga.register.demo_data import FIRST_NAMES, LAST_NAMES, NAME_STEMS
from brygga.register.models import Company, Contact, Tag

VIA = "demodata"
DEFAULT_SEED = 5
RESTAURANT_TAG = "Restaurang och café"
VISITORS = 60  # people from outside the register (or not yet in it)
ATTENDED = 0.85  # of those with a seat at a held meeting
ANSWERED = 0.6  # of the attendees, the evaluation


@dataclass
class EventsDemoResult:
    events: int = 0
    series: int = 0
    occurrences: int = 0
    registrations: int = 0
    waitlisted: int = 0
    invited: int = 0
    past: int = 0
    attended: int = 0
    evaluations: int = 0


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    phone: str
    company_text: str
    contact: bool  # already a contact in the register: may agree to be contacted


class _Loader:
    def __init__(self, rng: random.Random, today: dt.date, result: EventsDemoResult) -> None:
        self.rng = rng
        self.today = today
        self.result = result
        self.tz = ZoneInfo(settings.TIME_ZONE)
        kinds_ensure_defaults()
        self.kinds = {k.key: k for k in EventKind.objects.all()}
        users = User.objects.filter(email__endswith="@demo.brygga.se", is_active=True)
        by_email = {u.email: u for u in users}
        self.developer = by_email.get("utvecklare@demo.brygga.se")
        self.admin = by_email.get("admin@demo.brygga.se")
        self.people = self._people()

    # ------------------------------------------------------------------ people

    def _people(self) -> list[Person]:
        """The register's contacts at active companies, then visitors not in it."""
        people: list[Person] = []
        contacts = (
            Contact.objects.filter(company__status=Company.Status.ACTIVE)
            .exclude(email="")
            .select_related("company")
            .order_by("email", "id")
        )
        seen: set[str] = set()
        for contact in contacts:
            email = contact.email.lower()
            if email in seen:
                continue
            seen.add(email)
            company = contact.company
            # Some write the org number, most the name.
            by_number = not company.is_sole_trader and self.rng.random() < 0.2
            text = company.identity_display if by_number else company.name
            people.append(Person(contact.name, email, contact.phone, text, True))
        for n in range(VISITORS):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            email = f"{ascii_slug(first)}.{ascii_slug(last)}.besok{n}@example.se"
            firm = f"{self.rng.choice(NAME_STEMS)} Konsult" if self.rng.random() < 0.5 else ""
            phone = f"070-{self.rng.randrange(100, 999)} {self.rng.randrange(10, 99)} 00"
            people.append(Person(f"{first} {last}", email, phone, firm, False))
        return people

    def _answers(self, event: Event) -> dict[str, str]:
        answers: dict[str, str] = {}
        for question in event.questions.all():
            if question.kind == question.Kind.CHOICE:
                answers[str(question.pk)] = self.rng.choice(question.choice_list)
            elif question.kind == question.Kind.YES_NO:
                answers[str(question.pk)] = self.rng.choice(("Ja", "Nej", "Nej"))
            elif self.rng.random() < 0.2:
                answers[str(question.pk)] = self.rng.choice(
                    ("Vegetarisk", "Glutenfri", "Laktosfri")
                )
        return answers

    def register(self, event: Event, count: int) -> list[Registration]:
        made = []
        for person in self.rng.sample(self.people, k=min(count, len(self.people))):
            registration = registration_create(
                event=event,
                name=person.name,
                email=person.email,
                phone=person.phone,
                company_text=person.company_text,
                answers=self._answers(event),
                # Only people already in the register agree here, so the demo makes no
                # contact without the register's own consent to processing.
                consent_contact=person.contact and self.rng.random() < 0.5,
                via=VIA,
            )
            made.append(registration)
        self.result.registrations += len(made)
        self.result.waitlisted += sum(r.status == Registration.Status.WAITLISTED for r in made)
        return made

    # ---------------------------------------------------------------- meetings

    def at(self, days: int, hour: int, minute: int) -> dt.datetime:
        day = self.today + dt.timedelta(days=days)
        while day.weekday() >= 5:  # meetings on weekdays
            day += dt.timedelta(days=1)
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    def meeting(self, m: d.Meeting, *, days: int | None = None) -> Event:
        starts = self.at(m.days if days is None else days, m.hour, m.minute)
        deadline_days = m.extra.get("deadline_days")
        deadline = None
        if isinstance(deadline_days, int):
            deadline = self.at(deadline_days, 23, 59)
        organiser = self.admin if m.kind == "upphandlingsmote" else self.developer
        event = event_create(
            data={
                "kind": self.kinds[m.kind],
                "title": m.title,
                "description": m.description,
                "starts_at": starts,
                "ends_at": starts + dt.timedelta(minutes=m.minutes),
                "locality": m.locality,
                "place": m.place,
                "address": m.address,
                "organiser": organiser,
                "capacity": m.capacity,
                "public": m.public,
                "regulatory": m.regulatory,
                "registration_open": True,
                "registration_deadline": deadline,
            },
            actor=self.developer,
            via=VIA,
        )
        for position, (label, kind, choices, required) in enumerate(m.questions):
            question_save(
                event=event,
                question=None,
                data={
                    "label": label,
                    "kind": kind,
                    "choices": choices,
                    "required": required,
                    "position": position,
                },
                actor=self.developer,
            )
        self.result.events += 1
        return event

    def upcoming(self) -> None:
        for m in (*d.BREAKFASTS, d.LUNCH_REPEAT, d.PROCUREMENT):
            event = self.meeting(m)
            made = self.register(event, m.people)
            if m is d.BREAKFASTS[1] and made:
                # One person on the full Mariefred breakfast changes their mind: the
                # first waiting person gets the seat.
                registration_cancel(registration=made[0], via=VIA)

    def alcohol_dialogue(self) -> None:
        """Invitation only: the restaurants and cafés (advertising block or not, as the
        meeting is regulatory), written at once here rather than by the worker."""
        event = self.meeting(d.ALCOHOL_DIALOGUE)
        tag = Tag.objects.filter(name=RESTAURANT_TAG).first()
        if tag is None:
            return
        batch = invitation_send(event=event, target=InvitationBatch.Target.TAG, tag=tag)
        invitation_batch_write(batch_id=batch.pk)
        invitations = list(Invitation.objects.filter(batch=batch).order_by("email"))
        self.result.invited += len(invitations)
        chosen = self.rng.sample(invitations, k=min(d.ALCOHOL_DIALOGUE.people, len(invitations)))
        for invitation in chosen:
            registration_create(
                event=event,
                name=invitation.name,
                email=invitation.email,
                answers=self._answers(event),
                invitation=invitation,
                via=VIA,
            )
            self.result.registrations += 1

    def politician_lunch(self) -> None:
        lunch = d.POLITICIAN_LUNCH
        start = self.at(1, 12, 0)
        series = series_create(
            data={
                "kind": self.kinds["politikerlunch"],
                "title": lunch["title"],
                "description": lunch["description"],
                "locality": lunch["locality"],
                "place": lunch["place"],
                "address": lunch["address"],
                "organiser": self.developer,
                "capacity": lunch["capacity"],
                "first_start": start,
                "duration": dt.timedelta(hours=1),
                "rule": lunch["rule"],
            },
            actor=self.developer,
            via=VIA,
        )
        self.result.series += 1
        occurrences = list(series.occurrences.order_by("starts_at"))
        self.result.occurrences += len(occurrences)
        if occurrences:
            self.register(occurrences[0], 9)
        if len(occurrences) > 2:
            # The third lunch starts an hour later (the restaurant has a wedding)...
            moved = occurrences[2]
            event_update(
                event=moved,
                data={
                    "starts_at": moved.starts_at + dt.timedelta(hours=1),
                    "ends_at": moved.ends_at + dt.timedelta(hours=1),
                },
                actor=self.developer,
                via=VIA,
            )
        july = [o for o in occurrences if o.starts_at.astimezone(self.tz).month == 7]
        if july:
            # ... and July's is cancelled for the summer.
            event_cancel(event=july[0], actor=self.developer, via=VIA)

    # -------------------------------------------------------------------- past

    def past(self) -> None:
        """Held meetings, with attendance and evaluations.

        The services take registrations only before a meeting starts, and attendance and
        evaluations only as it happens and after it ends, as in real life. So each is made
        ahead, registered for, then moved (a queryset update, not a service: nothing is
        mailed about a move into the past) to just after it ended; attendance is marked,
        the worker's evaluation requests sent and answered; then it is moved back to its
        date, its registrations' and evaluations' times by the same amount, as if the
        weeks had passed. Evaluations then lie outside the answering window, as they would.
        """
        held: list[tuple[Event, d.Meeting]] = []
        planned: dict[int, dt.datetime] = {}
        for offset, m in enumerate(d.PAST):
            event = self.meeting(m, days=3 + offset)
            self.register(event, m.people)
            held.append((event, m))
            planned[event.pk] = event.starts_at
        ended = timezone.now() - dt.timedelta(hours=1)
        for event, _m in held:
            length = event.ends_at - event.starts_at
            Event.objects.filter(pk=event.pk).update(starts_at=ended - length, ends_at=ended)
        for event, _m in held:
            seated = Registration.objects.filter(
                event=event, status=Registration.Status.CONFIRMED
            ).order_by("id")
            for registration in seated:
                if self.rng.random() < ATTENDED:
                    registration_set_attended(
                        registration=registration, attended=True, actor=self.developer, via=VIA
                    )
                    self.result.attended += 1
        evaluation_requests_send()
        for event, m in held:
            attendees = Registration.objects.filter(
                event=event, attended_at__isnull=False
            ).select_related("event")
            for registration in attendees.order_by("id"):
                if self.rng.random() < ANSWERED:
                    good = m.kind != "dialogmote" or self.rng.random() < 0.5
                    evaluation_submit(
                        registration=registration,
                        overall=self.rng.choice((5, 4, 4, 3) if good else (4, 3, 3, 2)),
                        dialogue_time=self.rng.choice((5, 4, 3, 3, 2) if good else (3, 2, 2, 1)),
                        comment=self.rng.choice(d.COMMENTS),
                    )
                    self.result.evaluations += 1
            self._move(event, planned[event.pk], self.at(m.days, m.hour, m.minute))
            self.result.past += 1

    @staticmethod
    def _move(event: Event, planned: dt.datetime, starts: dt.datetime) -> None:
        """Move a held meeting to ``starts`` with everything stamped on it: what was
        stamped before it (made, registered) as if it had been planned for ``starts``
        rather than ``planned``; what was stamped when it ended (attendance, the
        evaluations) as if it had ended at its new time."""
        before = starts - planned
        after = starts - Event.objects.get(pk=event.pk).starts_at
        Event.objects.filter(pk=event.pk).update(
            starts_at=F("starts_at") + after,
            ends_at=F("ends_at") + after,
            created_at=F("created_at") + before,
            evaluations_sent_at=F("evaluations_sent_at") + after,
        )
        Registration.objects.filter(event=event).update(
            created_at=F("created_at") + before,
            seat_granted_at=F("seat_granted_at") + before,
            cancelled_at=F("cancelled_at") + before,
            attended_at=F("attended_at") + after,
            evaluation_requested_at=F("evaluation_requested_at") + after,
        )
        Evaluation.objects.filter(event=event).update(submitted_at=F("submitted_at") + after)


def load_events_demo(*, seed: int = DEFAULT_SEED) -> EventsDemoResult:
    """The demo meetings on the demo register (its companies, contacts and users),
    dated from today: registration is open only for meetings ahead."""
    result = EventsDemoResult()
    started = timezone.now()
    with transaction.atomic():
        loader = _Loader(random.Random(seed), timezone.localdate(), result)
        loader.upcoming()
        loader.alcohol_dialogue()
        loader.politician_lunch()
        loader.past()
        waiting = Registration.objects.filter(status=Registration.Status.WAITLISTED)
        result.waitlisted = waiting.count()
        OutboxMessage.objects.filter(kind__startswith=KIND_PREFIX, created_at__gte=started).delete()
    return result

"""``manage.py load_demo``: fill the empty parts of a development database with demo data.

Four parts, each loaded only while it is empty, so a database from before a part
existed gets it on the next ``make run``: the register (fictional companies and one
staff user per role), the action plan (seed 000's improvement area and a second
program, :mod:`brygga.actionplan.demo`), the meetings (breakfast meetings, the
politician lunch series, procurement and dialogue meetings, held meetings with
attendance and evaluations, :mod:`brygga.events.demo`) and the visits (three years of
visits, feedback, follow-ups and targets on the register's companies,
:mod:`brygga.visits.demo`). Everything is loaded in one transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from brygga.actionplan.demo import load_actionplan_demo
from brygga.actionplan.models import Program
from brygga.events.demo import load_events_demo
from brygga.events.models import Event
from brygga.register.demo import DEFAULT_SEED, load_demo
from brygga.register.demo_data import DEMO_PASSWORD, DEMO_USERS
from brygga.register.models import Company
from brygga.visits.demo import load_visits_demo
from brygga.visits.models import Visit


class Command(BaseCommand):
    help = (
        "Laddar demodata i de delar av databasen som är tomma: ett påhittat företagsregister "
        "med en demoanvändare per roll, handlingsplanen, möten och besök."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Hoppa tyst över delar som redan har data (används av make run).",
        )
        parser.add_argument("--force", action="store_true", help="Kör även när DEBUG är avslaget.")
        parser.add_argument("--companies", type=int, default=300, help="Antal företag.")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Slumpfrö (samma frö ger samma data)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["companies"]
        if count < 0 or count > 100_000:
            raise CommandError("--companies ska vara mellan 0 och 100 000.")
        parts: list[Callable[[], None]] = []
        if Company.objects.exists():
            self.stdout.write("Företagsregistret innehåller redan företag; det hoppades över.")
        else:
            parts.append(lambda: self._register(count, options["seed"]))
        if Program.objects.exists():
            self.stdout.write("Handlingsplanen innehåller redan program; den hoppades över.")
        else:
            parts.append(self._actionplan)
        if Event.objects.exists():
            self.stdout.write("Mötena innehåller redan möten; de hoppades över.")
        else:
            parts.append(self._events)
        if Visit.objects.exists():
            self.stdout.write("Besöksloggen innehåller redan besök; den hoppades över.")
        else:
            parts.append(self._visits)
        if not parts:
            if options["if_empty"]:
                self.stdout.write("Databasen innehåller redan demodata; inget laddades.")
                return
            raise CommandError(
                "Databasen innehåller redan företag, en handlingsplan, möten och besök. "
                "Demodata laddas bara i tomma delar."
            )
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Demodata laddas bara i en utvecklingsmiljö (DEBUG på). "
                "Använd --force om du verkligen vill fylla den här databasen med påhittade data."
            )
        with transaction.atomic():
            for load in parts:
                load()

    def _register(self, count: int, seed: int) -> None:
        started = time.monotonic()
        result = load_demo(companies=count, seed=seed)
        seconds = time.monotonic() - started
        towns = ", ".join(f"{town} {n}" for town, n in sorted(result.by_town.items()))
        self.stdout.write(
            f"Företagsregistret laddat på {seconds:.1f} s: {result.companies} företag ({towns}), "
            f"{result.contacts} kontaktpersoner, {result.notes} anteckningar."
        )
        if result.users_created:
            self.stdout.write(f"Demoinloggningar (lösenord {DEMO_PASSWORD}):")
            for email, _name, role, _department in DEMO_USERS:
                if email in result.users_created:
                    self.stdout.write(f"  {email}  ({role})")

    def _actionplan(self) -> None:
        started = time.monotonic()
        result = load_actionplan_demo()
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Handlingsplanen laddad på {seconds:.1f} s: {result.programs} program, "
            f"{result.areas} förbättringsområden, {result.activities} aktiviteter, "
            f"{result.comments} kommentarer, {result.ideas} idéer och "
            f"{len(result.staff_created)} kontaktpersoner (utan inloggning)."
        )

    def _events(self) -> None:
        started = time.monotonic()
        result = load_events_demo()
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Mötena laddade på {seconds:.1f} s: {result.events} möten och en mötesserie med "
            f"{result.occurrences} tillfällen, {result.registrations} anmälningar "
            f"({result.waitlisted} på väntelista), {result.invited} inbjudna; "
            f"{result.past} genomförda möten med {result.attended} deltagare och "
            f"{result.evaluations} utvärderingar."
        )

    def _visits(self) -> None:
        started = time.monotonic()
        result = load_visits_demo()
        seconds = time.monotonic() - started
        targets = ", ".join(f"{year} {visits}" for year, visits in result.targets)
        self.stdout.write(
            f"Besöken laddade på {seconds:.1f} s: {result.held} genomförda besök hos "
            f"{result.companies_visited} företag, {result.planned} planerade, "
            f"{result.feedback} synpunkter ({result.linked} kopplade till handlingsplanen), "
            f"{result.follow_ups_open} öppna uppföljningar ({result.follow_ups_overdue} "
            f"försenade); besöksmål {targets}."
        )

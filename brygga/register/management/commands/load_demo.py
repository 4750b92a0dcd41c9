"""``manage.py load_demo``: fill an empty development database with a fictional register."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from brygga.register.demo import DEFAULT_SEED, load_demo
from brygga.register.demo_data import DEMO_PASSWORD, DEMO_USERS
from brygga.register.models import Company


class Command(BaseCommand):
    help = "Laddar ett påhittat företagsregister och en demoanvändare per roll."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Gör ingenting om registret redan innehåller företag (används av make run).",
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
        if Company.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Registret innehåller redan företag; inga demodata laddades.")
                return
            raise CommandError(
                "Registret innehåller redan företag. Demodata laddas bara i en tom databas."
            )
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Demodata laddas bara i en utvecklingsmiljö (DEBUG på). "
                "Använd --force om du verkligen vill fylla den här databasen med påhittade företag."
            )
        started = time.monotonic()
        result = load_demo(companies=count, seed=options["seed"])
        seconds = time.monotonic() - started
        towns = ", ".join(f"{town} {n}" for town, n in sorted(result.by_town.items()))
        self.stdout.write(
            f"Demodata laddade på {seconds:.1f} s: {result.companies} företag ({towns}), "
            f"{result.contacts} kontaktpersoner, {result.notes} anteckningar."
        )
        if result.users_created:
            self.stdout.write(f"Demoinloggningar (lösenord {DEMO_PASSWORD}):")
            for email, _name, role, _department in DEMO_USERS:
                if email in result.users_created:
                    self.stdout.write(f"  {email}  ({role})")

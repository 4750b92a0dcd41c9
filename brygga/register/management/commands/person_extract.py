"""``manage.py person_extract EMAIL_OR_PNR``: everything the register holds on a person."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from brygga.register.selectors_privacy import (
    PersonKeyError,
    person_extract_data,
    person_holdings,
    person_key,
)


class Command(BaseCommand):
    help = (
        "Skriver ut allt registret har om en person (e-postadress eller personnummer) "
        "som JSON, till exempel för ett registerutdrag."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person", help="E-postadress eller personnummer (ÅÅÅÅMMDD-NNNN).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            key = person_key(options["person"])
        except PersonKeyError as exc:
            raise CommandError(str(exc)) from None
        data = person_extract_data(person_holdings(key))
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

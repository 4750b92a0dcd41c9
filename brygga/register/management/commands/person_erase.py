"""``manage.py person_erase EMAIL_OR_PNR [--yes]``: anonymise a person (dry run by default).

See :mod:`brygga.register.services.privacy` for what happens to what.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from brygga.register.selectors_privacy import PersonKeyError, person_key
from brygga.register.services.privacy import ErasePlan, person_erase


class Command(BaseCommand):
    help = (
        "Anonymiserar en person (e-postadress eller personnummer) i registret. "
        "Visar bara vad som skulle ändras, om inte --yes anges."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person", help="E-postadress eller personnummer (ÅÅÅÅMMDD-NNNN).")
        parser.add_argument("--yes", action="store_true", help="Genomför ändringarna.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            key = person_key(options["person"])
        except PersonKeyError as exc:
            raise CommandError(str(exc)) from None
        plan = person_erase(key=key, apply=options["yes"])
        if plan.is_empty:
            self.stdout.write("Registret har inga uppgifter om personen. Inget att ändra.")
            return
        self._describe(plan)
        if plan.applied:
            self.stdout.write(self.style.SUCCESS("Klart: personen är anonymiserad och loggad."))
        else:
            self.stdout.write(
                self.style.WARNING("Provkörning: inget är ändrat. Kör igen med --yes.")
            )

    def _describe(self, plan: ErasePlan) -> None:
        out = self.stdout
        if plan.contacts:
            out.write(f"Kontaktpersoner som anonymiseras ({len(plan.contacts)}):")
            for line in plan.contacts:
                out.write(f"  {line}")
        if plan.companies:
            out.write(f"Enskilda näringsidkare som raderas ({len(plan.companies)}):")
            for line in plan.companies:
                out.write(f"  {line}")
        if plan.company_emails:
            out.write(f"Företag vars e-postadress töms ({len(plan.company_emails)}):")
            for line in plan.company_emails:
                out.write(f"  {line}")
        out.write(f"Rättelselänkar som raderas: {plan.correction_links}")
        out.write(f"Rättelser som rensas: {plan.corrections}")
        out.write(f"Logghändelser som rensas från personuppgifter: {plan.audit_entries}")
        for line in plan.elsewhere:
            out.write(line)

"""The managed list of event kinds as the office starts with it (issue 5; seeds 000 to 002)."""

from __future__ import annotations

EVENT_KINDS: tuple[tuple[str, str], ...] = (
    ("frukostmote", "Frukostmöte"),
    ("lunchmote", "Lunchmöte"),
    ("dialogmote", "Dialogmöte"),
    ("politikerlunch", "Politikerlunch"),
    ("upphandlingsmote", "Upphandlingsmöte"),
    ("workshop", "Workshop"),
    ("natverkstraff", "Nätverksträff"),
    # The business pilot's meeting with every department at one table (a later issue).
    ("dukat-bord", "Dukat bord"),
)

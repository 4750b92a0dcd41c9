"""The managed lists' starting entries (issue 4; seeds 000 and 004)."""

from __future__ import annotations

VISIT_KINDS: tuple[tuple[str, str], ...] = (
    ("besok", "Besök"),
    ("lunch", "Lunch"),
    ("telefon", "Telefon"),
    ("digitalt", "Digitalt"),
    ("massa", "Mässa"),
    ("natverkstraff", "Nätverksträff"),
)

TOPICS: tuple[tuple[str, str], ...] = (
    ("upphandling", "Upphandling"),
    ("tillstand", "Tillstånd och handläggning"),
    ("bemotande", "Bemötande"),
    ("information", "Information"),
    ("infrastruktur", "Infrastruktur och vägar"),
    ("kompetens", "Kompetensförsörjning"),
    ("lokaler", "Lokaler och mark"),
    ("skyltning", "Skyltning"),
    ("parkering", "Parkering"),
    ("bredband", "Bredband"),
    ("skola", "Skola\N{EN DASH}näringsliv"),
    ("ovrigt", "Övrigt"),
)

# The topic an unknown topic word in an imported log is filed under.
FALLBACK_TOPIC = "ovrigt"

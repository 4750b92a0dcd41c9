"""The normalised text the name search runs over, shared by services and imports."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def normalise(text: str) -> str:
    """Case-fold and collapse white space; keep å, ä, ö (they are letters in Swedish)."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return " ".join(folded.split())


def company_search_text(name: str, other_names: Iterable[str] = ()) -> str:
    parts = [normalise(name)]
    parts.extend(normalise(other) for other in other_names if other)
    # A unit separator keeps names apart so a match never spans two names.
    return "\x1f".join(dict.fromkeys(p for p in parts if p))

"""SNI 2007 sections (avdelningar) and the two-digit divisions (huvudgrupper) in each.

The staff list filters on a section letter; a company belongs to a section when
any of its SNI 2007 codes starts with one of the section's divisions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    letter: str
    name: str | Promise
    divisions: tuple[str, ...]

    @property
    def short(self) -> str | Promise:
        """A name short enough for a sentence ("bygg är överrepresenterat")."""
        return SHORT_NAMES[self.letter]


def _span(first: int, last: int) -> tuple[str, ...]:
    return tuple(f"{n:02d}" for n in range(first, last + 1))


SECTIONS: dict[str, Section] = {
    s.letter: s
    for s in (
        Section("A", _("Jordbruk, skogsbruk och fiske"), _span(1, 3)),
        Section("B", _("Utvinning av mineral"), _span(5, 9)),
        Section("C", _("Tillverkning"), _span(10, 33)),
        Section("D", _("Försörjning av el, gas, värme och kyla"), _span(35, 35)),
        Section(
            "E",
            _("Vattenförsörjning; avloppsrening, avfallshantering och sanering"),
            _span(36, 39),
        ),
        Section("F", _("Byggverksamhet"), _span(41, 43)),
        Section("G", _("Handel; reparation av motorfordon och motorcyklar"), _span(45, 47)),
        Section("H", _("Transport och magasinering"), _span(49, 53)),
        Section("I", _("Hotell- och restaurangverksamhet"), _span(55, 56)),
        Section("J", _("Informations- och kommunikationsverksamhet"), _span(58, 63)),
        Section("K", _("Finans- och försäkringsverksamhet"), _span(64, 66)),
        Section("L", _("Fastighetsverksamhet"), _span(68, 68)),
        Section("M", _("Verksamhet inom juridik, ekonomi, vetenskap och teknik"), _span(69, 75)),
        Section(
            "N",
            _("Uthyrning, fastighetsservice, resetjänster och andra stödtjänster"),
            _span(77, 82),
        ),
        Section(
            "O",
            _("Offentlig förvaltning och försvar; obligatorisk socialförsäkring"),
            _span(84, 84),
        ),
        Section("P", _("Utbildning"), _span(85, 85)),
        Section("Q", _("Vård och omsorg; sociala tjänster"), _span(86, 88)),
        Section("R", _("Kultur, nöje och fritid"), _span(90, 93)),
        Section("S", _("Annan serviceverksamhet"), _span(94, 96)),
        Section(
            "T",
            _(
                "Förvärvsarbete i hushåll; hushållens produktion av diverse varor "
                "och tjänster för eget bruk"
            ),
            _span(97, 98),
        ),
        Section(
            "U",
            _("Verksamhet vid internationella organisationer, utländska ambassader o.d."),
            _span(99, 99),
        ),
    )
}


SHORT_NAMES: dict[str, str | Promise] = {
    "A": _("jordbruk, skogsbruk och fiske"),
    "B": _("utvinning av mineral"),
    "C": _("tillverkning"),
    "D": _("energiförsörjning"),
    "E": _("vatten och avfall"),
    "F": _("bygg"),
    "G": _("handel"),
    "H": _("transport"),
    "I": _("hotell och restaurang"),
    "J": _("information och kommunikation"),
    "K": _("finans och försäkring"),
    "L": _("fastigheter"),
    "M": _("juridik, ekonomi, vetenskap och teknik"),
    "N": _("uthyrning och stödtjänster"),
    "O": _("offentlig förvaltning"),
    "P": _("utbildning"),
    "Q": _("vård och omsorg"),
    "R": _("kultur, nöje och fritid"),
    "S": _("annan service"),
    "T": _("hushåll"),
    "U": _("internationella organisationer"),
}

# Division (two digits) -> section letter, for lookups in loops over many rows.
DIVISION_SECTION: dict[str, str] = {
    division: s.letter for s in SECTIONS.values() for division in s.divisions
}


# The key of companies without an SNI 2007 code in breakdowns by section.
MISSING = "?"


def section_key(code: str | None) -> str:
    """The section letter of a code or two-digit division, or ``?`` when it has none."""
    return DIVISION_SECTION.get((code or "")[:2], MISSING)


def section_label(key: str) -> str:
    """The letter, an en dash and the name; "?" for companies without a code."""
    name = _("Saknar SNI-kod") if key == MISSING else SECTIONS[key].name
    return f"{key} \N{EN DASH} {name}"


def section_short(key: str) -> str:
    """The section's name for a sentence ("bygg", "företag utan SNI-kod")."""
    return str(_("företag utan SNI-kod") if key == MISSING else SECTIONS[key].short)


def section_of(code: str) -> Section | None:
    """The SNI 2007 section of a code such as ``43210``, or None if it has none."""
    letter = DIVISION_SECTION.get(code[:2])
    return SECTIONS[letter] if letter else None


def section_choices() -> list[tuple[str, str]]:
    return [(s.letter, f"{s.letter} \N{EN DASH} {s.name}") for s in SECTIONS.values()]

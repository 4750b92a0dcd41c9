"""Choosing a company without JavaScript: a text field for an org number or a name,
and, when that is not clear, a radio list of the companies it matches.

A form holding a picker has three fields for it: ``<name>`` (what staff typed),
``<name>_pick`` (the radio list's choice, a company id) and ``<name>_searched``
(the text the radio list was made from). The choice counts as long as the text is
unchanged; typing something else searches again. The template renders the three
from :class:`Picker` (``visits/_company_picker.html``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brygga.register.identity import search_digits
from brygga.register.models import Company
from brygga.register.search_text import normalise
from brygga.visits.selectors import LOOKUP_LIMIT, company_by_pk, company_lookup

COMPANY_HELP = gettext_lazy(
    "Organisationsnummer (med eller utan bindestreck) eller namn, eller en del av namnet."
)


@dataclass
class Picker:
    """What the template needs to show one company picker."""

    name: str
    required: bool = False
    candidates: list[Company] = field(default_factory=list)
    checked: int | None = None
    searched: str = ""
    more: int = 0  # matches beyond the candidates shown
    corrected: str = ""


def add_picker_fields(
    form: Any, name: str, *, label: Any, required: bool, help_text: Any = COMPANY_HELP
) -> None:
    # Never required as a field: a choice in the radio list counts too, which
    # resolve_company checks.
    form.fields[name] = forms.CharField(
        label=label, required=False, max_length=200, help_text=help_text
    )
    form.fields[f"{name}_pick"] = forms.CharField(required=False, widget=forms.HiddenInput)
    form.fields[f"{name}_searched"] = forms.CharField(
        required=False, max_length=200, widget=forms.HiddenInput
    )
    form.pickers[name] = Picker(name=name, required=required)


def preset_picker(form: Any, name: str, company: Company) -> None:
    """Show ``company`` as the chosen one (the ``?company=`` link from the company page)."""
    _show(form.pickers[name], [company], checked=company.pk)


def _show(
    picker: Picker,
    candidates: list[Company],
    *,
    checked: int | None = None,
    searched: str = "",
    more: int = 0,
    corrected: str = "",
) -> None:
    picker.candidates = candidates
    picker.checked = checked
    picker.searched = searched
    picker.more = more
    picker.corrected = corrected


def _pick(raw: Any) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() else None


def resolve_company(form: Any, name: str) -> Company | None:
    """The company the picker ``name`` means, or None (with an error on the field when
    one is needed and the text did not make it clear). Call from ``clean()``."""
    data = form.cleaned_data
    text = " ".join((data.get(name) or "").split())
    searched = data.get(f"{name}_searched") or ""
    pick = _pick(data.get(f"{name}_pick"))
    picker: Picker = form.pickers[name]

    if pick is not None and (not text or normalise(text) == normalise(searched)):
        company = company_by_pk(pick)
        if company is not None:
            _show(picker, [company], checked=company.pk, searched=text)
            return company
        form.add_error(name, _("Det valda företaget finns inte längre i registret. Sök igen."))
        return None

    if not text:
        if picker.required:
            form.add_error(name, _("Ange ett företag: organisationsnummer eller namn."))
        return None

    lookup = company_lookup(text)
    chosen = lookup.chosen
    if chosen is not None:
        _show(picker, [chosen], checked=chosen.pk, searched=text)
        return chosen
    _show(
        picker,
        lookup.matches,
        searched=text,
        more=max(lookup.total - len(lookup.matches), 0),
        corrected=lookup.corrected,
    )
    if lookup.total == 0:
        if search_digits(text) is not None:
            message = _("Inget aktivt företag i registret har organisationsnumret ”%(text)s”.")
        else:
            message = _("Inget aktivt företag i registret matchar ”%(text)s”.")
        form.add_error(name, message % {"text": text})
    elif lookup.corrected:
        form.add_error(
            name,
            _("Inget företag matchade ”%(text)s”. Menade du något av företagen nedan?")
            % {"text": text},
        )
    elif lookup.total > LOOKUP_LIMIT:
        form.add_error(
            name,
            _(
                "%(count)s företag matchar ”%(text)s”. Välj ett av de %(shown)s första nedan, "
                "eller skriv mer av namnet eller organisationsnumret."
            )
            % {"count": lookup.total, "text": text, "shown": len(lookup.matches)},
        )
    else:
        form.add_error(
            name,
            _("%(count)s företag matchar ”%(text)s”. Välj ett av dem nedan.")
            % {"count": lookup.total, "text": text},
        )
    return None

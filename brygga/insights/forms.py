"""The year (and count) choosers of the figures pages: GET forms, so links can be shared."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brygga.insights.suggestions import SUGGESTIONS_MAX


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("År"),
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages={
            "invalid": _("Ange året med fyra siffror, t.ex. 2026."),
            "min_value": _("Året ska vara 2000 eller senare."),
            "max_value": _("Året ska vara 2100 eller tidigare."),
        },
    )

    def chosen_year(self) -> int:
        """The valid year asked for, or this year (the form shows why, if it was bad)."""
        if self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return timezone.localdate().year


class SuggestionsForm(YearForm):
    n = forms.IntegerField(
        label=_("Antal förslag"),
        min_value=1,
        max_value=SUGGESTIONS_MAX,
        required=False,
        error_messages={
            "invalid": _("Ange antalet som ett heltal."),
            "min_value": _("Ange minst 1."),
            "max_value": _("Högst %(limit_value)s förslag åt gången."),
        },
    )

    DEFAULT_N = 10

    def chosen_n(self) -> int:
        if self.is_valid() and self.cleaned_data.get("n"):
            return int(self.cleaned_data["n"])
        return self.DEFAULT_N

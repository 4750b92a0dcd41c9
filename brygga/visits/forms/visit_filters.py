"""The visit list's filters: ``year``, ``kind`` (a kind's key), ``status``, ``staff`` (a
user's id) and ``company`` (an org number or part of a name)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from brygga.accounts.models import User
from brygga.visits.forms.visits import UserChoiceField
from brygga.visits.models import Visit, VisitKind
from brygga.visits.selectors import VisitFilters

YEAR_MIN = 1900
YEAR_MAX = 2100
PARAMS = ("year", "kind", "status", "staff", "company")


class VisitFilterForm(forms.Form):
    company = forms.CharField(
        label=_("Företag"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Namn eller organisationsnummer."),
    )
    year = forms.IntegerField(
        label=_("År"),
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={"invalid": _("Ange ett år med fyra siffror.")},
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alla")), *Visit.Status.choices]
    )

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["kind"] = forms.ModelChoiceField(
            label=_("Typ"),
            queryset=VisitKind.objects.order_by("position", "label"),
            to_field_name="key",
            required=False,
            empty_label=_("Alla"),
        )
        self.fields["staff"] = UserChoiceField(
            label=_("Deltagare från kommunen"),
            queryset=User.objects.order_by("full_name", "id"),
            required=False,
            empty_label=_("Alla"),
        )
        self.order_fields(["company", "year", "kind", "status", "staff"])
        for name in ("kind", "staff", "status"):
            self.fields[name].error_messages["invalid_choice"] = _("Välj ett alternativ i listan.")

    def filters(self) -> VisitFilters:
        data = self.cleaned_data
        return VisitFilters(
            year=data.get("year"),
            kind=data.get("kind"),
            status=data.get("status") or "",
            staff=data.get("staff"),
            company=" ".join((data.get("company") or "").split()),
        )


def filter_params(data: Mapping[str, Any]) -> dict[str, str]:
    """The filters given, as query parameters for pagination links."""
    return {name: str(data[name]) for name in PARAMS if data.get(name)}

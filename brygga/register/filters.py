"""The company list's search and filters: one form, used by the list, exports and segments.

A segment stores the cleaned filters as plain query parameters (``to_params``), so
opening a segment and reading the list with the same URL give the same companies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from brygga.register.models import Company, Tag
from brygga.register.sni import section_choices

ANY = ""
YES = "yes"
NO = "no"


@dataclass(frozen=True)
class CompanyFilters:
    q: str = ""
    sni: str = ""
    town: str = ""
    status: str = ""
    tag: str = ""
    consent: bool = False
    ad_block: str = ""

    def to_params(self) -> dict[str, str]:
        """Non-empty filters as query parameters (also what a segment stores)."""
        params: dict[str, str] = {}
        for key, value in asdict(self).items():
            if value is True:
                params[key] = "1"
            elif value:
                params[key] = str(value)
        return params

    @property
    def is_empty(self) -> bool:
        return not self.to_params()


class CompanyFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Sök namn eller organisationsnummer"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    sni = forms.ChoiceField(
        label=_("Bransch (SNI-avdelning)"),
        required=False,
        choices=[(ANY, _("Alla"))],
    )
    town = forms.CharField(label=_("Postort"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(ANY, _("Alla")), *Company.Status.choices],
    )
    tag = forms.ChoiceField(label=_("Etikett"), required=False, choices=[(ANY, _("Alla"))])
    consent = forms.BooleanField(label=_("Bara företag med samtycke till utskick"), required=False)
    ad_block = forms.ChoiceField(
        label=_("Reklamspärr"),
        required=False,
        choices=[
            (ANY, _("Visa alla")),
            (NO, _("Utan reklamspärr")),
            (YES, _("Med reklamspärr")),
        ],
    )

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        sni_field = self.fields["sni"]
        assert isinstance(sni_field, forms.ChoiceField)
        sni_field.choices = [(ANY, _("Alla")), *section_choices()]
        tag_field = self.fields["tag"]
        assert isinstance(tag_field, forms.ChoiceField)
        tag_field.choices = [(ANY, _("Alla")), *Tag.objects.values_list("slug", "name")]

    def filters(self) -> CompanyFilters:
        """The cleaned filters; call only after ``is_valid()``."""
        data = self.cleaned_data
        return CompanyFilters(
            q=" ".join(data.get("q", "").split()),
            sni=data.get("sni", ""),
            town=data.get("town", "").strip(),
            status=data.get("status", ""),
            tag=data.get("tag", ""),
            consent=bool(data.get("consent")),
            ad_block=data.get("ad_block", ""),
        )


def filters_from(params: Mapping[str, Any]) -> tuple[CompanyFilterForm, CompanyFilters | None]:
    """Bind and validate; the filters are None when the parameters are invalid."""
    form = CompanyFilterForm(params)
    if not form.is_valid():
        return form, None
    return form, form.filters()

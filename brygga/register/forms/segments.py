from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from brygga.register.models import Segment


class SegmentForm(forms.Form):
    name = forms.CharField(label=_("Namn på urvalet"), max_length=150)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if Segment.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("Det finns redan ett urval med det namnet."))
        return name

"""Staff forms about people: whom to invite to a meeting, and marking attendance."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from brygga.events.models import InvitationBatch
from brygga.register.models import Segment, Tag

Target = InvitationBatch.Target


class InvitationForm(forms.Form):
    """A saved segment, a tag or a locality: one of the three."""

    target = forms.ChoiceField(
        label=_("Bjud in"),
        choices=Target.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj vilka som ska bjudas in.")},
    )
    segment = forms.ModelChoiceField(
        label=_("Sparat urval"),
        queryset=Segment.objects.order_by("name"),
        required=False,
        empty_label=_("Välj ett urval"),
        error_messages={"invalid_choice": _("Välj ett urval i listan.")},
    )
    tag = forms.ModelChoiceField(
        label=_("Etikett"),
        queryset=Tag.objects.order_by("name"),
        required=False,
        empty_label=_("Välj en etikett"),
        error_messages={"invalid_choice": _("Välj en etikett i listan.")},
    )
    locality = forms.ChoiceField(label=_("Ort"), required=False)
    locality_other = forms.CharField(
        label=_("Eller skriv en ort"),
        required=False,
        max_length=100,
        help_text=_("Postorten som den står i registret, till exempel Mariefred."),
    )

    def __init__(self, *args: Any, towns: list[str] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        locality = self.fields["locality"]
        assert isinstance(locality, forms.ChoiceField)
        locality.choices = [("", _("Välj en ort")), *((town, town) for town in towns)]
        locality.error_messages["invalid_choice"] = _("Välj en ort i listan.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target = data.get("target")
        if (
            target == Target.SEGMENT
            and data.get("segment") is None
            and "segment" not in self.errors
        ):
            self.add_error("segment", _("Välj vilket sparat urval som ska bjudas in."))
        if target == Target.TAG and data.get("tag") is None and "tag" not in self.errors:
            self.add_error("tag", _("Välj vilken etikett som ska bjudas in."))
        if target == Target.LOCALITY:
            town = (data.get("locality_other") or "").strip() or data.get("locality") or ""
            data["town"] = town
            if not town and "locality" not in self.errors:
                self.add_error("locality", _("Välj en ort eller skriv en."))
        return data

    def target_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of ``invitation_recipients`` and ``invitation_send``."""
        data = self.cleaned_data
        target = data["target"]
        return {
            "target": target,
            "segment": data.get("segment") if target == Target.SEGMENT else None,
            "tag": data.get("tag") if target == Target.TAG else None,
            "locality": data.get("town", "") if target == Target.LOCALITY else "",
        }


class AttendanceForm(forms.Form):
    """One press on the check-in list: this registration attended, or not after all."""

    registration = forms.IntegerField(min_value=1)
    attended = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")

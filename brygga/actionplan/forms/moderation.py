"""The moderators' forms: hide with a reason, answer publicly, set an idea's status.

They check what a person can correct on the page; the services check again and write.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from brygga.actionplan.models import Activity, Idea
from brygga.actionplan.models.participation import REASON_MAX, TEXT_MAX
from brygga.core.forms import PublicTextField


class HideForm(forms.Form):
    prefix = "dolj"
    reason = PublicTextField(
        label=_("Skäl till att inlägget döljs"),
        max_length=REASON_MAX,
        multiline=False,
        help_text=_("Visas öppet i inläggets ställe, till exempel ”Innehöll personuppgifter”."),
        error_messages={"required": _("Skriv varför inlägget döljs. Skälet visas öppet.")},
    )


class ReplyForm(forms.Form):
    prefix = "svar"
    text = PublicTextField(
        label=_("Kommunens svar"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Visas öppet under inlägget. Bara text; webbadresser blir länkar. "
            "Töm rutan för att ta bort svaret."
        ),
    )


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        label = f"{obj.area.title}: {obj.title}"
        if not obj.published:
            label += " " + str(_("(inte publicerad)"))
        return label


class IdeaStatusForm(forms.Form):
    prefix = "status"
    status = forms.ChoiceField(label=_("Status"), choices=Idea.Status.choices)
    activity = ActivityChoiceField(
        label=_("Aktiviteten som idén blev"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label=_("Ingen aktivitet vald"),
        help_text=_("Bara för statusen ”Blev en aktivitet”. Aktiviteten länkas från idén."),
        error_messages={"invalid_choice": _("Välj en aktivitet i programmet.")},
    )
    reason = PublicTextField(
        label=_("Motivering"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Visas öppet. Krävs när idén inte genomförs."),
    )

    def __init__(self, *args: Any, activities: QuerySet[Activity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        assert isinstance(field, ActivityChoiceField)
        field.queryset = activities

    @classmethod
    def initial_for(cls, idea: Idea) -> dict[str, Any]:
        return {"status": idea.status, "activity": idea.activity_id, "reason": idea.status_reason}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status = data.get("status")
        if (
            status == Idea.Status.ACTIVITY
            and not data.get("activity")
            and "activity" not in self.errors
        ):
            self.add_error("activity", _("Välj aktiviteten som idén blev."))
        if (
            status == Idea.Status.DECLINED
            and not data.get("reason")
            and "reason" not in self.errors
        ):
            self.add_error(
                "reason", _("Skriv varför idén inte genomförs. Motiveringen visas öppet.")
            )
        return data

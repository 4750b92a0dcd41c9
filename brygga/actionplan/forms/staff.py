"""Staff forms for the action plan. Their fields come from the models, so the rules
stay in one place; they only clean input, and the services in
``brygga.actionplan.services`` validate again and write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from brygga.accounts.models import User
from brygga.actionplan.models import Activity, ActivityStatus, Area, Goal, Program
from brygga.actionplan.services.status import TEXT_MAX
from brygga.actionplan.services.structure import (
    ACTIVITY_EDITABLE,
    AREA_EDITABLE,
    GOAL_EDITABLE,
    PROGRAM_EDITABLE,
    STATUS_EDITABLE,
)
from brygga.core.forms import PublicTextField

SLUG_HELP = _("Bara a till z, siffror och bindestreck. Lämna tomt så skapas det av namnet.")
TEXT_HELP = _("Visas för allmänheten. Bara text; webbadresser blir länkar. Högst 4 000 tecken.")


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _ModelFields(forms.Form):
    """A plain form with ``editable`` fields of ``model``; ``data_for_service()`` returns them."""

    model: type[models.Model]
    editable: Sequence[str]

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.creating = creating
        model_fields = fields_for_model(self.model, fields=self.editable)
        for name in self.editable:
            field = model_fields[name]
            if field is None:  # pragma: no cover  (every listed field is editable)
                continue
            if isinstance(field, forms.DateField):
                field.widget = _date_input()
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 5
            self.fields[name] = field
        if "slug" in self.fields:
            slug = self.fields["slug"]
            slug.required = not creating
            if creating:
                slug.help_text = SLUG_HELP
        if "position" in self.fields:
            position = self.fields["position"]
            position.required = False
            position.help_text = _("Lägre tal visas först. Tomt blir 0.")

    def data_for_service(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.editable if name in self.fields}
        if self.creating and not data.get("slug"):
            data.pop("slug", None)
        if "position" in data and data["position"] is None:
            data["position"] = 0
        return data

    @classmethod
    def initial_for(cls, obj: models.Model) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in cls.editable}


class ProgramForm(_ModelFields):
    model = Program
    editable = PROGRAM_EDITABLE


class GoalForm(_ModelFields):
    model = Goal
    editable = GOAL_EDITABLE


class AreaForm(_ModelFields):
    model = Area
    editable = AREA_EDITABLE

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goal = self.fields["goal"]
        assert isinstance(goal, forms.ModelChoiceField)
        goal.queryset = Goal.objects.filter(program=program).order_by("position", "id")
        goal.help_text = _("Valfritt: det mål i programmet som området hör till.")
        goal.empty_label = _("Inget mål")


class _StatusSelect(forms.Select):
    """A select with no empty choice: it never needs the required attribute, and asking
    whether it does would read the statuses a second time."""

    def use_required_attribute(self, initial: Any) -> bool:
        return False


class ContactChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name}, {obj.title}" if obj.title else obj.full_name


class ActivityForm(_ModelFields):
    """An activity's texts and settings; on create also its first status and status text."""

    model = Activity
    editable = ACTIVITY_EDITABLE

    def __init__(self, *args: Any, current_contact_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = Q(is_active=True)
        if current_contact_id is not None:
            # Keep a contact who has since left, so the form does not change it unasked.
            active |= Q(pk=current_contact_id)
        self.fields["contact"] = ContactChoiceField(
            label=_("Kontaktperson"),
            queryset=User.objects.filter(active).order_by("full_name", "id"),
            required=False,
            empty_label=_("Ingen kontaktperson"),
            help_text=_("Namn, titel, e-postadress och telefon visas på aktivitetens sida."),
        )
        self.fields["published"].help_text = _(
            "Första gången aktiviteten publiceras kommer den med i tidslinjen och "
            "prenumeranterna får veta det."
        )
        if self.creating:
            self.fields["status"] = forms.ModelChoiceField(
                label=_("Status"),
                queryset=ActivityStatus.objects.all(),
                empty_label=None,
                widget=_StatusSelect(),
            )
            self.fields["status_text"] = PublicTextField(
                label=_("Statustext"),
                max_length=TEXT_MAX,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=TEXT_HELP,
            )
            self.order_fields(["title", "slug", "status", "status_text", *self.editable])


class StatusChangeForm(forms.Form):
    """A new status and public status text (the same status with a new text is an update)."""

    prefix = "status"
    status = forms.ModelChoiceField(
        label=_("Status"),
        queryset=ActivityStatus.objects.all(),
        empty_label=None,
        widget=_StatusSelect(),
    )
    status_text = PublicTextField(
        label=_("Statustext"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=TEXT_HELP,
    )


class UpdateForm(forms.Form):
    """A public update on the activity's timeline, without a change of status."""

    prefix = "uppdatering"
    text = PublicTextField(
        label=_("Vad har hänt?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=TEXT_HELP,
    )


class ActivityStatusForm(_ModelFields):
    """A status. The key is set when it is made and never changed (the API refers to it)."""

    model = ActivityStatus
    editable = STATUS_EDITABLE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        progress = self.fields["progress"]
        assert isinstance(progress, forms.IntegerField)
        progress.min_value = 0
        progress.max_value = 100
        progress.widget.attrs.update({"min": "0", "max": "100"})
        progress.validators.extend([MinValueValidator(0), MaxValueValidator(100)])
        progress.help_text = _("0 för inte påbörjad, 100 för klar.")
        if self.creating:
            self.fields["key"] = forms.SlugField(
                label=_("Nyckel"),
                max_length=30,
                help_text=_(
                    "Bara a till z, siffror, bindestreck och understreck, till exempel ”paused”. "
                    "Kan inte ändras senare: API:et och andra system använder den."
                ),
            )
            self.order_fields(["key", *STATUS_EDITABLE])

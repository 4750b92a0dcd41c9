"""Staff forms for meetings: the filter of the staff list, the meeting form (create and
edit), the custom questions, and the managed list of kinds. They only clean input;
the services in ``brygga.events.services`` validate again and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import fields_for_model
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from brygga.accounts.models import User
from brygga.events.models import Event, EventKind, Question
from brygga.events.models.events import SHARED_FIELDS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_input() -> forms.DateTimeInput:
    """A date and time picker in the browser; the value is Stockholm wall-clock time."""
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


def datetime_field(
    label: Any, *, required: bool = True, help_text: Any = ""
) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=datetime_input(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        error_messages={
            "required": _("Ange datum och klockslag."),
            "invalid": _("Ange datum och klockslag, till exempel 2026-03-04 08:00."),
        },
    )


class UserChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


def kinds_offered(current: EventKind | None = None) -> QuerySet[EventKind]:
    """The kinds in use, and the meeting's own even if it has since been retired."""
    cond = Q(active=True)
    if current is not None:
        cond |= Q(pk=current.pk)
    return EventKind.objects.filter(cond).order_by("position", "label")


def organisers_offered(current: User | None = None) -> QuerySet[User]:
    """The active staff, and the meeting's organiser even if they have left."""
    cond = Q(is_active=True)
    if current is not None:
        cond |= Q(pk=current.pk)
    return User.objects.filter(cond).order_by("full_name", "id")


def add_common_fields(form: forms.Form, instance: Any = None) -> None:
    """The fields a meeting and a series share, taken from the model and made friendlier."""
    model_fields = fields_for_model(Event, fields=list(SHARED_FIELDS))
    for name in SHARED_FIELDS:
        field = model_fields[name]
        if field is not None:
            form.fields[name] = field
    form.fields["kind"] = forms.ModelChoiceField(
        label=_("Typ"),
        queryset=kinds_offered(getattr(instance, "kind", None)),
        empty_label=None,
        error_messages={"invalid_choice": _("Välj en typ i listan.")},
    )
    form.fields["organiser"] = UserChoiceField(
        label=_("Kontaktperson"),
        queryset=organisers_offered(getattr(instance, "organiser", None)),
        required=False,
        empty_label=_("Ingen angiven"),
        help_text=form.fields["organiser"].help_text,
        error_messages={"invalid_choice": _("Välj en kontaktperson i listan.")},
    )
    form.fields["title"].error_messages["required"] = _("Ange en rubrik.")
    form.fields["description"].widget = forms.Textarea(attrs={"rows": 6})
    capacity = form.fields["capacity"]
    assert isinstance(capacity, forms.IntegerField)
    capacity.min_value = 1
    capacity.validators.append(_min_one)
    capacity.widget.attrs["min"] = "1"
    capacity.error_messages["invalid"] = _("Ange antalet platser som ett heltal.")


def _min_one(value: int | None) -> None:
    if value is not None and value < 1:
        raise forms.ValidationError(_("Ange minst 1 plats, eller lämna tomt för fritt antal."))


class EventForm(forms.Form):
    """A meeting: what, when, where, who to ask, how many, and registration."""

    def __init__(self, *args: Any, event: Event | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        add_common_fields(self, event)
        self.fields["starts_at"] = datetime_field(_("Börjar"))
        self.fields["ends_at"] = datetime_field(_("Slutar"))
        self.fields["registration_open"] = forms.BooleanField(
            label=_("Anmälan är öppen"), required=False, initial=True
        )
        self.fields["registration_deadline"] = datetime_field(
            _("Sista anmälningsdag"),
            required=False,
            help_text=_("Valfritt. Efter den tiden går det inte att anmäla sig."),
        )
        order = ["kind", "title", "description", "starts_at", "ends_at"]
        order += [n for n in SHARED_FIELDS if n not in order]
        order += ["registration_open", "registration_deadline"]
        self.order_fields(order)
        if event is not None and not self.is_bound:
            self.initial.update({name: getattr(event, name) for name in self.fields})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Mötet måste sluta efter att det börjar."))
        deadline = data.get("registration_deadline")
        if deadline and starts and deadline > starts:
            self.add_error(
                "registration_deadline",
                _("Sista anmälningsdag kan inte vara efter att mötet börjar."),
            )
        return data

    def event_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


class CancelForm(forms.Form):
    """Nothing to fill in: the page asks, the button confirms."""


class QuestionForm(forms.Form):
    """One custom question on the registration form."""

    def __init__(self, *args: Any, question: Question | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = ["label", "help_text", "kind", "choices", "required", "position"]
        model_fields = fields_for_model(Question, fields=names)
        for name in names:
            field = model_fields[name]
            if field is not None:
                self.fields[name] = field
        self.fields["label"].error_messages["required"] = _("Skriv frågan.")
        self.fields["kind"].widget = forms.RadioSelect(choices=Question.Kind.choices)
        self.fields["choices"].widget = forms.Textarea(attrs={"rows": 4})
        self.fields["choices"].help_text = _(
            "Ett alternativ per rad. Bara för svarstypen ”Ett av flera svar”."
        )
        self.fields["position"].required = False
        self.fields["position"].help_text = _("Lägre tal visas först. Tomt blir 0.")
        self.fields["required"].label = _("Frågan måste besvaras")
        if question is not None and not self.is_bound:
            self.initial.update({name: getattr(question, name) for name in names})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = [line.strip() for line in (data.get("choices") or "").splitlines()]
        lines = [line for line in lines if line]
        if data.get("kind") == Question.Kind.CHOICE and len(lines) < 2:
            self.add_error("choices", _("Ange minst två svarsalternativ, ett per rad."))
        if data.get("kind") != Question.Kind.CHOICE:
            lines = []
        data["choices"] = "\n".join(lines)
        return data

    def question_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if data.get("position") is None:
            data["position"] = 0
        return data


class KindForm(forms.Form):
    """A kind of meeting. The key is given (or made from the label) when it is added
    and then kept."""

    def __init__(self, *args: Any, kind: EventKind | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        names = (
            ["label", "key", "position", "active"]
            if kind is None
            else ["label", "position", "active"]
        )
        model_fields = fields_for_model(EventKind, fields=names)
        for name in names:
            field = model_fields[name]
            if field is not None:
                self.fields[name] = field
        self.fields["label"].error_messages["required"] = _("Ange en benämning.")
        if kind is None:
            self.fields["key"].required = False
            self.fields["key"].help_text = _(
                "Bara a till z, siffror och bindestreck. Ändras aldrig. Lämna tomt så "
                "skapas den av benämningen."
            )
            self.fields["active"].initial = True
        elif not self.is_bound:
            self.initial.update({name: getattr(kind, name) for name in names})
        self.fields["position"].required = False
        self.fields["position"].help_text = _("Lägre tal visas först. Tomt blir 0.")
        self.fields["active"].help_text = _(
            "Ta bort bocken för att ta typen ur bruk: den erbjuds inte för nya möten, "
            "men möten som redan har den behåller den."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.kind is None and not data.get("key") and data.get("label"):
            data["key"] = slugify(str(data["label"]))[:30]
            if not data["key"]:
                self.add_error("key", _("Ange en nyckel med bokstäverna a till z."))
        taken = {
            "label": _("Benämningen ”%(value)s” används redan. Välj en annan."),
            "key": _("Nyckeln ”%(value)s” används redan. Välj en annan."),
        }
        for name, message in taken.items():
            value = data.get(name)
            if not value or name in self.errors:
                continue
            others = EventKind.objects.filter(**{name: value})
            if self.kind is not None:
                others = others.exclude(pk=self.kind.pk)
            if others.exists():
                self.add_error(name if name in self.fields else "label", message % {"value": value})
        return data

    def kind_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.fields}
        if data.get("position") is None:
            data["position"] = 0
        return data


class EventFilterForm(forms.Form):
    """The staff list's filter: upcoming or past, kind, locality."""

    WHEN = [("kommande", _("Kommande")), ("tidigare", _("Tidigare")), ("alla", _("Alla"))]

    tid = forms.ChoiceField(label=_("Visa"), choices=WHEN, required=False)
    typ = forms.ModelChoiceField(
        label=_("Typ"),
        queryset=EventKind.objects.order_by("position", "label"),
        required=False,
        empty_label=_("Alla typer"),
        to_field_name="key",
        error_messages={"invalid_choice": _("Välj en typ i listan.")},
    )
    ort = forms.ChoiceField(label=_("Ort"), required=False)

    def __init__(self, *args: Any, localities: list[str] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        ort = self.fields["ort"]
        assert isinstance(ort, forms.ChoiceField)
        ort.choices = [("", _("Alla orter")), *((name, name) for name in localities)]
        ort.error_messages["invalid_choice"] = _("Välj en ort i listan.")
        tid = self.fields["tid"]
        assert isinstance(tid, forms.ChoiceField)
        tid.error_messages["invalid_choice"] = _("Välj kommande, tidigare eller alla.")

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "when": data.get("tid") or "kommande",
            "kind": data.get("typ"),
            "locality": data.get("ort") or "",
        }

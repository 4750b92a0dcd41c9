"""Staff forms for the managed lists (kinds of visit, feedback topics) and the yearly
targets. Their fields come from the models, so the rules stay in one place; the
services in ``brygga.visits.services`` validate again and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.forms.models import fields_for_model
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from brygga.accounts.models import Department
from brygga.visits.models import Topic, VisitKind, VisitTarget

KEY_HELP = _(
    "Bara a till z, siffror och bindestreck. Används av importen och API:et och ändras "
    "aldrig. Lämna tomt så skapas den av benämningen."
)
ACTIVE_HELP = _(
    "Ta bort bocken för att ta den ur bruk: den erbjuds inte längre, men det som redan "
    "är registrerat behåller den."
)


class _ListEntryForm(forms.Form):
    """A kind or a topic. The key is given (or made from the label) when it is added
    and then kept: the import and the API know entries by it."""

    model: type[models.Model]
    fields_order: tuple[str, ...]

    def __init__(self, *args: Any, entry: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.creating = entry is None
        self.entry = entry
        names = [n for n in self.fields_order if n != "key" or self.creating]
        model_fields = fields_for_model(self.model, fields=names)
        for name in names:
            field = model_fields[name]
            if field is not None:
                self.fields[name] = field
        if self.creating:
            self.fields["key"].required = False
            self.fields["key"].help_text = KEY_HELP
        self.fields["position"].required = False
        self.fields["position"].help_text = _("Lägre tal visas först. Tomt blir 0.")
        self.fields["active"].help_text = ACTIVE_HELP
        if self.creating:
            self.fields["active"].initial = True
        elif not self.is_bound:
            self.initial.update({name: getattr(entry, name) for name in names})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.creating and not data.get("key") and data.get("label"):
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
            others = self.model._default_manager.filter(**{name: value})
            if self.entry is not None:
                others = others.exclude(pk=self.entry.pk)
            if others.exists():
                self.add_error(name if name in self.fields else "label", message % {"value": value})
        return data

    def entry_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.fields}
        if data.get("position") is None:
            data["position"] = 0
        return data


class KindForm(_ListEntryForm):
    model = VisitKind
    fields_order = ("label", "key", "position", "active")


class TopicForm(_ListEntryForm):
    model = Topic
    fields_order = ("label", "key", "department", "position", "active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = Department.objects.order_by("name")
        department.empty_label = _("Ingen särskild")
        department.help_text = _(
            "Handläggarna på förvaltningen ser synpunkterna i ämnet. Valfritt."
        )


class TargetForm(forms.Form):
    """A year's target: the number of visits, and optionally the share of the active
    companies to reach."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_fields = fields_for_model(
            VisitTarget, fields=["year", "visits", "coverage_percent", "note"]
        )
        for name, field in model_fields.items():
            if field is not None:
                self.fields[name] = field
        self.fields["year"].help_text = _("Finns ett mål för året ändras det.")
        self.fields["coverage_percent"].help_text = _(
            "Valfritt. Till exempel 10 för en tiondel av de aktiva företagen."
        )

    def target_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

"""Staff forms for companies, contacts and notes. They only clean input; the
services in ``brygga.register.services.companies`` validate again and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from brygga.register.identity import IdentityError, parse_identity
from brygga.register.models import Company, Contact, Tag
from brygga.register.services.companies import COMPANY_EDITABLE, CONTACT_EDITABLE

DATE_FIELDS = ("deregistered_on", "registered_on")


def _formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class _CompanyFields(forms.Form):
    """The editable company fields, taken from the model so rules stay in one place."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_fields = fields_for_model(
            Company,
            fields=COMPANY_EDITABLE,
            # Django passes keyword arguments too; the stubs do not say so.
            formfield_callback=_formfield,  # type: ignore[arg-type]
        )
        for name in COMPANY_EDITABLE:
            field = model_fields[name]
            if name in DATE_FIELDS:
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            self.fields[name] = field
        self.fields["tags"] = forms.ModelMultipleChoiceField(
            label=_("Etiketter"),
            queryset=Tag.objects.order_by("name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status = data.get("status")
        if status == Company.Status.DEREGISTERED and not data.get("deregistered_on"):
            self.add_error("deregistered_on", _("Ange datum för avregistreringen."))
        return data

    def company_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in COMPANY_EDITABLE}


class CompanyCreateForm(_CompanyFields):
    identity = forms.CharField(
        label=_("Organisationsnummer eller personnummer"),
        max_length=20,
        help_text=_("Till exempel 556677-8899, eller 19800101-1234 för en enskild firma."),
    )
    name_protection_no = forms.IntegerField(
        label=_("Namnskyddslöpnummer"),
        min_value=0,
        initial=0,
        required=False,
        help_text=_("Bara för enskilda firmor med flera verksamheter. Lämna 0 annars."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["identity", "name_protection_no", *COMPANY_EDITABLE, "tags"])

    def clean_identity(self) -> str:
        raw = self.cleaned_data["identity"]
        try:
            return parse_identity(raw).digits
        except IdentityError as exc:
            raise ValidationError(
                _("Ogiltigt organisationsnummer: %(reason)s."), params={"reason": str(exc)}
            ) from None

    def clean_name_protection_no(self) -> int:
        return self.cleaned_data.get("name_protection_no") or 0


class CompanyEditForm(_CompanyFields):
    pass


class ContactForm(forms.Form):
    consent_processing = forms.BooleanField(
        label=_("Samtycker till att finnas i registret (behandling)"), required=False
    )
    consent_mailing = forms.BooleanField(
        label=_("Samtycker till utskick (inbjudningar, nyhetsbrev)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_fields = fields_for_model(Contact, fields=CONTACT_EDITABLE)
        for name in CONTACT_EDITABLE:
            self.fields[name] = model_fields[name]
        self.order_fields([*CONTACT_EDITABLE, "consent_processing", "consent_mailing"])

    @classmethod
    def initial_for(cls, contact: Contact) -> dict[str, Any]:
        initial = {name: getattr(contact, name) for name in CONTACT_EDITABLE}
        initial["consent_processing"] = contact.consent_processing
        initial["consent_mailing"] = contact.consent_mailing
        return initial

    def contact_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CONTACT_EDITABLE}

    def consents(self) -> dict[str, bool]:
        return {
            "processing": bool(self.cleaned_data.get("consent_processing")),
            "mailing": bool(self.cleaned_data.get("consent_mailing")),
        }


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Ny anteckning"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Skriv något i anteckningen."))
        return text


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)

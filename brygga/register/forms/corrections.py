"""Forms of self-service corrections: asking for a link, sending one, correcting, reviewing.

They only clean input; ``brygga.register.services.corrections`` decides and writes.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from brygga.register.identity import IdentityError, parse_identity
from brygga.register.models import Company, Contact
from brygga.register.services.companies import CONTACT_EDITABLE
from brygga.register.services.corrections import SELF_EDITABLE, ContactProposal


class CorrectionRequestForm(forms.Form):
    identity = forms.CharField(
        label=_("Organisationsnummer"),
        max_length=20,
        help_text=_("Till exempel 556677-8899. Enskild firma: personnumret, ÅÅÅÅMMDD-NNNN."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    email = forms.EmailField(
        label=_("E-postadress"),
        help_text=_("En adress som vi redan har för företaget eller en kontaktperson där."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_identity(self) -> str:
        try:
            return parse_identity(self.cleaned_data["identity"]).digits
        except IdentityError:
            raise ValidationError(
                _("Kontrollera organisationsnumret; det är inte ett giltigt nummer.")
            ) from None


class SendLinkForm(forms.Form):
    email = forms.ChoiceField(label=_("Skicka länken till"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, addresses: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(a, a) for a in addresses]
        if addresses:
            field.initial = addresses[0]


def _formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class CompanyCorrectionForm(forms.Form):
    """The company's own fields, with the model's rules."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_fields = fields_for_model(
            Company,
            fields=SELF_EDITABLE,
            formfield_callback=_formfield,  # type: ignore[arg-type]
        )
        for name in SELF_EDITABLE:
            self.fields[name] = model_fields[name]
        description = self.fields["business_description"]
        description.widget = forms.Textarea(attrs={"rows": 3})

    @classmethod
    def initial_for(cls, company: Company) -> dict[str, Any]:
        return {name: getattr(company, name) for name in SELF_EDITABLE}

    def company_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in SELF_EDITABLE}


class ContactCorrectionForm(forms.Form):
    """One contact: an existing one (``contact_id`` set) or a new one (blank form)."""

    contact_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    consent_processing = forms.BooleanField(
        label=_("Får finnas med i näringslivskontorets register"), required=False
    )
    consent_mailing = forms.BooleanField(
        label=_("Vill få inbjudningar och nyhetsbrev"), required=False
    )
    remove = forms.BooleanField(label=_("Ta bort kontaktpersonen"), required=False)

    def __init__(self, *args: Any, allowed_ids: frozenset[int] = frozenset(), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.allowed_ids = allowed_ids
        model_fields = fields_for_model(Contact, fields=CONTACT_EDITABLE)
        for name in CONTACT_EDITABLE:
            field = model_fields[name]
            # A blank extra form means "no new contact"; the name is checked in clean().
            field.required = False
            self.fields[name] = field
        self.order_fields(
            ["contact_id", *CONTACT_EDITABLE, "consent_processing", "consent_mailing", "remove"]
        )

    @classmethod
    def initial_for(cls, contact: Contact) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(contact, name) for name in CONTACT_EDITABLE}
        initial.update(
            contact_id=contact.pk,
            consent_processing=contact.consent_processing,
            consent_mailing=contact.consent_mailing,
        )
        return initial

    def clean_contact_id(self) -> int | None:
        value = self.cleaned_data.get("contact_id")
        # The hidden id comes back from the browser: it must name one of this
        # company's contacts, never another company's.
        if value is not None and value not in self.allowed_ids:
            raise ValidationError(_("Kontaktpersonen hör inte till företaget."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("remove"):
            return data
        has_content = any(data.get(n) for n in CONTACT_EDITABLE)
        existing = data.get("contact_id") is not None
        if (existing or has_content) and not (data.get("name") or "").strip():
            self.add_error("name", _("Ange kontaktpersonens namn."))
        return data

    def proposal(self) -> ContactProposal | None:
        data = self.cleaned_data
        contact_id = data.get("contact_id")
        fields = {name: data.get(name) or "" for name in CONTACT_EDITABLE}
        if contact_id is None and not fields["name"].strip():
            return None
        return ContactProposal(
            contact_id=contact_id,
            data=fields,
            consents={
                "processing": bool(data.get("consent_processing")),
                "mailing": bool(data.get("consent_mailing")),
            },
            remove=bool(data.get("remove")) and contact_id is not None,
        )


class BaseContactFormSet(forms.BaseFormSet[ContactCorrectionForm]):
    def __init__(self, *args: Any, allowed_ids: frozenset[int] = frozenset(), **kwargs: Any):
        self.allowed_ids = allowed_ids
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        kwargs["allowed_ids"] = self.allowed_ids
        return kwargs

    def clean(self) -> None:
        super().clean()
        ids = [f.cleaned_data.get("contact_id") for f in self.forms if f.cleaned_data]
        known = [i for i in ids if i is not None]
        if len(known) != len(set(known)):
            raise ValidationError(_("Samma kontaktperson finns två gånger i formuläret."))

    def proposals(self) -> list[ContactProposal]:
        found = [form.proposal() for form in self.forms if form.cleaned_data]
        return [p for p in found if p is not None]


ContactFormSet = cast(
    type[BaseContactFormSet],
    forms.formset_factory(
        ContactCorrectionForm,
        formset=BaseContactFormSet,
        extra=1,
        # Bounds what a posted page can make us build, whatever its management form says.
        max_num=50,
        absolute_max=60,
        validate_max=True,
    ),
)


class ReviewForm(forms.Form):
    APPROVE = "approve"
    REJECT = "reject"

    # Set by the submit button pressed; the template renders the buttons.
    decision = forms.ChoiceField(choices=[(APPROVE, _("Godkänn")), (REJECT, _("Avslå"))])
    overwrite_conflicts = forms.BooleanField(
        label=_("Skriv över uppgifter som ändrats i registret sedan företaget skickade in"),
        required=False,
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Krävs när du avslår."),
    )

"""The public's forms: a comment, an idea, a subscription. They only clean input (the
services validate again and write); each carries a honeypot."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from brygga.actionplan.models.participation import NAME_MAX, TEXT_MAX, TITLE_MAX
from brygga.core.forms import HoneypotForm, PublicTextField


def _email_field(help_text: StrOrPromise) -> forms.EmailField:
    return forms.EmailField(
        label=_("E-postadress"),
        max_length=254,
        help_text=help_text,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class _AuthorFields(HoneypotForm):
    name = PublicTextField(
        label=_("Namn"),
        max_length=NAME_MAX,
        multiline=False,
        help_text=_("Visas tillsammans med det du skriver."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = _email_field(
        _("Visas inte. Vi skickar en länk dit som du klickar på för att publicera.")
    )


class CommentForm(_AuthorFields):
    # Prefixes keep field ids unique on pages that show more than one form.
    prefix = "kommentar"
    text = PublicTextField(
        label=_("Kommentar"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Bara text; webbadresser blir länkar. Högst 4 000 tecken."),
    )

    field_order = ["name", "email", "text", "website"]


class IdeaForm(_AuthorFields):
    prefix = "ide"
    title = PublicTextField(label=_("Rubrik"), max_length=TITLE_MAX, multiline=False)
    text = PublicTextField(
        label=_("Beskriv din idé"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Bara text; webbadresser blir länkar. Högst 4 000 tecken."),
    )

    field_order = ["name", "email", "title", "text", "website"]


class SubscribeForm(HoneypotForm):
    prefix = "prenumeration"
    email = _email_field(_("Vi skickar en länk som du klickar på för att starta prenumerationen."))

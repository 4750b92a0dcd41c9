"""Form fields for what the public types, shared by every public form.

* :class:`PublicTextField` cleans the text (:func:`brygga.core.text.clean_public_text`)
  before the length is checked, so the limit applies to what is stored.
* :class:`HoneypotField` is a field people never see or reach (``core/form_fields.html``
  hides it from view and from screen readers, and it is out of the tab order) but
  simple bots fill in. :meth:`HoneypotForm.is_spam` says whether it was.
* :func:`add_errors` shows a service's ValidationError on the form that called it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from brygga.core.text import clean_public_text


class PublicTextField(forms.CharField):
    def __init__(self, *, multiline: bool = True, **kwargs: Any) -> None:
        self.multiline = multiline
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)
        if self.max_length is not None and multiline:
            # The browser counts too, and says so before the form is sent.
            self.widget.attrs.setdefault("maxlength", str(self.max_length))

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return clean_public_text(text, multiline=self.multiline)


class HoneypotField(forms.CharField):
    honeypot = True

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Lämna det här fältet tomt"))
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})
        )
        super().__init__(**kwargs)


class HoneypotForm(forms.Form):
    """A form with a honeypot named ``website``: whoever fills it in is a bot."""

    website = HoneypotField()

    def is_spam(self) -> bool:
        return bool(str(self.data.get(self.add_prefix("website"), "")).strip())


def add_errors(
    form: forms.Form, exc: ValidationError, rename: Mapping[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: on the field it names (renamed to
    the form's field where they differ), else at the top."""
    rename = rename or {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            field = rename.get(name, name)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)

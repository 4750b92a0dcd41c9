from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from brygga.core.outbox import mail_enqueue

# accounts/email/password_reset_subject.txt, _body.txt and _body.html
TEMPLATE = "accounts/email/password_reset"


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-postadress"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "Fel e-postadress eller lösenord. Tänk på att lösenordet skiljer på stora och "
            "små bokstäver."
        ),
        "inactive": _("Kontot är inaktiverat."),
    }


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset, with the e-mail written to the outbox like every other."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        mail_enqueue(
            to=to_email,
            template=TEMPLATE,
            context=context,
            kind="accounts.password_reset",
            sensitive=True,  # the link logs whoever holds it in
        )

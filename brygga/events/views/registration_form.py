"""What a posted registration form does, for the meeting's page and the invitation page.

The order is that of :func:`brygga.core.public_form.public_form_post` (the view's
decorator has already limited the visitor's IP address): a filled-in honeypot gets a
person's answer and nothing is stored; an invalid form is shown again; the e-mail
address has a rate limit of its own; then the service writes, and its refusal is shown
on the form. It differs in where a success goes: the registered person's own page,
whose address holds the registration's token, known only once the service has run.

An address that was already registered gets that registration back from the service,
which mails its link again. Its page is not shown here, since whoever typed the address
need not be its owner: the visitor is told to look in the inbox instead.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.core import ratelimit
from brygga.core.forms import add_errors
from brygga.events.forms.public import RegistrationForm, question_field_name
from brygga.events.models import Event, Invitation
from brygga.events.services.registrations import registration_create

# Per client IP (the view's decorator) and per e-mail address.
RATE_ACTION = "events_registration"
RATE_ACTION_EMAIL = "events_registration_email"


def _show_refusal(form: RegistrationForm, exc: ValidationError) -> None:
    """The service's ValidationError on the field it names (a question's id names the
    question's field), otherwise on top of the form."""
    add_errors(form, exc, rename={str(q.pk): question_field_name(q) for q in form.questions})


def registration_form_post(
    request: HttpRequest,
    form: RegistrationForm,
    event: Event,
    *,
    back: str,
    invitation: Invitation | None = None,
) -> HttpResponse | None:
    """The response to a posted registration form, or None when the form is to be shown
    (again). ``back`` is the page the form is on."""
    if request.method != "POST":
        return None
    if form.is_spam():
        messages.success(request, _("Tack för din anmälan! Vi har skickat ett e-postmeddelande."))
        return redirect(back)
    if not form.is_valid():
        return None
    email = str(form.cleaned_data["email"]).strip().lower()
    verdict = ratelimit.hit(action=RATE_ACTION_EMAIL, key=email)
    if verdict.limited:
        return ratelimit.limited_response(request, verdict)
    started = timezone.now()
    data = form.cleaned_data
    try:
        registration = registration_create(
            event=event,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            company_text=data["company_text"],
            answers=form.answers(),
            consent_contact=data["consent_contact"],
            invitation=invitation,
        )
    except ValidationError as exc:
        _show_refusal(form, exc)
        return None
    if registration.created_at < started:
        messages.info(
            request,
            _("%(email)s är redan anmäld till mötet. Vi har skickat länken till anmälan dit igen.")
            % {"email": data["email"]},
        )
        return redirect(back)
    messages.success(
        request,
        _("Vi har skickat en bekräftelse till %(email)s.") % {"email": data["email"]},
    )
    return redirect("events:registration", token=registration.token)

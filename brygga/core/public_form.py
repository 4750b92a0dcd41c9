"""What every public form does with a POST, in one place.

The visitor's IP address is rate-limited by the view's decorator
(``core.ratelimit.rate_limit``); this adds the rest, in this order: a filled-in
honeypot gets the same answer as a person and nothing is stored; an invalid form
is shown again; the e-mail address has a rate limit of its own (so rotating IP
addresses does not let anyone flood an inbox); then the service writes, and a
refusal from it is shown on the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from brygga.core import ratelimit
from brygga.core.forms import HoneypotForm


def public_form_post(
    request: HttpRequest,
    form: HoneypotForm,
    submit: Callable[[dict[str, Any]], object],
    *,
    done_url: str,
    email_rate_action: str,
    error_field: str | None = None,
) -> HttpResponse | None:
    """The response to a posted public form, or None when the form is to be shown (again).

    ``submit`` gets the cleaned data and calls the service; on success the visitor is
    sent to ``done_url``. A service's ValidationError goes on ``error_field`` (None:
    the whole form).
    """
    if request.method != "POST":
        return None
    if form.is_spam():
        return redirect(done_url)
    if not form.is_valid():
        return None
    verdict = ratelimit.hit(
        action=email_rate_action, key=str(form.cleaned_data["email"]).strip().lower()
    )
    if verdict.limited:
        return ratelimit.limited_response(request, verdict)
    try:
        submit(form.cleaned_data)
    except ValidationError as exc:
        form.add_error(error_field, exc.messages)
        return None
    return redirect(done_url)

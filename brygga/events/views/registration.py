"""The pages behind personal links, without login: the registered person's own page
(status, place in the queue, the button to cancel), the invitation's registration
form (also for meetings that are not public), and the evaluation afterwards.

Links in e-mails are opened by mail scanners too, so GET only shows; a button's POST
acts. An unknown token gets a friendly 404 page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from brygga.core import ratelimit
from brygga.events import selectors_public as selectors
from brygga.events.forms.public import EvaluationForm, RegistrationForm
from brygga.events.models import Event, Registration
from brygga.events.services.evaluations import evaluation_open_for, evaluation_submit
from brygga.events.services.registrations import (
    registration_cancel,
    registration_open_for,
    waitlist_position,
)
from brygga.events.views.registration_form import RATE_ACTION, registration_form_post

T = "events/public/"
EVALUATION_RATE_ACTION = "events_evaluation"


def link_invalid(request: HttpRequest, kind: str) -> HttpResponse:
    return render(request, f"{T}link_invalid.html", {"kind": kind}, status=404)


def _event(pk: int) -> Event:
    event = selectors.event_with_seats(pk)
    assert event is not None  # the registration or invitation holds it
    return event


def can_cancel(registration: Registration) -> bool:
    """Cancelling makes sense until the meeting starts, if it is still on."""
    event = registration.event
    return (
        registration.status != Registration.Status.CANCELLED
        and not event.cancelled
        and event.starts_at > timezone.now()
    )


@never_cache
@require_http_methods(["GET", "POST"])
def registration_page(request: HttpRequest, token: str) -> HttpResponse:
    registration = selectors.registration_for_token(token)
    if registration is None:
        return link_invalid(request, "registration")
    if request.method == "POST":
        if can_cancel(registration):
            try:
                registration_cancel(registration=registration)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Du är avanmäld."))
        return redirect(request.path)
    return render(
        request,
        f"{T}registration.html",
        {
            "registration": registration,
            "event": registration.event,
            "position": waitlist_position(registration),
            "can_cancel": can_cancel(registration),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit.rate_limit(RATE_ACTION)
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        return link_invalid(request, "invitation")
    event = _event(invitation.event_id)
    closed = registration_open_for(event)
    form = None
    if closed is None:
        form = RegistrationForm(
            request.POST if request.method == "POST" else None,
            questions=event.questions.all(),
            initial={"name": invitation.name, "email": invitation.email},
        )
        answered = registration_form_post(
            request, form, event, back=request.path, invitation=invitation
        )
        if answered is not None:
            return answered
    return render(
        request,
        f"{T}invitation.html",
        {"invitation": invitation, "event": event, "form": form, "closed": closed},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit.rate_limit(EVALUATION_RATE_ACTION)
def evaluation_page(request: HttpRequest, token: str) -> HttpResponse:
    registration = selectors.registration_for_token(token)
    if registration is None:
        return link_invalid(request, "evaluation")
    context = {"registration": registration, "event": registration.event}
    if selectors.has_evaluation(registration):
        return render(request, f"{T}evaluation_done.html", context)
    closed = evaluation_open_for(registration)
    if closed is not None:
        return render(request, f"{T}evaluation_closed.html", {**context, "closed": closed})
    form = EvaluationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_submit(
                registration=registration,
                overall=form.cleaned_data["overall"],
                dialogue_time=form.cleaned_data["dialogue_time"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect(request.path)
    return render(request, f"{T}evaluation.html", {**context, "form": form})

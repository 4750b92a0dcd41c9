"""Staff pages about people at a meeting: inviting a segment, a tag or a locality, and
the check-in list on the day (printed, or on a tablet)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from brygga.core.forms import add_errors
from brygga.core.permissions import require
from brygga.events import selectors_staff as selectors
from brygga.events.forms.staff_people import AttendanceForm, InvitationForm
from brygga.events.models import Event, Registration
from brygga.events.permissions import EventPerm
from brygga.events.services import invitations as invitation_svc
from brygga.events.services import registrations as registration_svc
from brygga.events.views.staff_common import crumbs, get_event


def _invite_closed(event: Event) -> str:
    """Why invitations cannot go out, or '' when they can."""
    if event.cancelled:
        return _("Mötet är inställt. Inbjudningar kan inte skickas.")
    if event.starts_at <= timezone.now():
        return _("Mötet har redan börjat. Inbjudningar kan inte skickas.")
    return ""


@require(EventPerm.INVITE)
@require_http_methods(["GET", "POST"])
def staff_invite(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(pk)
    towns = selectors.company_towns()
    closed = _invite_closed(event)
    recipients = None
    if request.method == "POST":
        form = InvitationForm(request.POST, towns=towns)
        if not closed and form.is_valid():
            try:
                batch = invitation_svc.invitation_send(
                    event=event, actor=request.user, **form.target_kwargs()
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Inbjudningarna skickas nu (%(what)s). Det kan ta några minuter; "
                        "antalet syns under Inbjudningar."
                    )
                    % {"what": batch.description},
                )
                return redirect("events:staff_detail", pk=event.pk)
    elif "target" in request.GET:
        form = InvitationForm(request.GET, towns=towns)
        if form.is_valid():
            recipients = invitation_svc.invitation_recipients(
                event=event, **form.target_kwargs()
            ).count()
    else:
        form = InvitationForm(towns=towns)
    heading = _("Bjud in till %(event)s") % {"event": event.title}
    return render(
        request,
        "events/staff/invite.html",
        {
            "event": event,
            "form": form,
            "recipients": recipients,
            "closed": closed,
            "heading": heading,
            "crumbs": crumbs((_("Bjud in"), None), event=event),
        },
    )


@require(EventPerm.CHECK_IN)
@require_http_methods(["GET", "POST"])
def staff_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(pk)
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        if not form.is_valid():
            raise Http404
        registration = get_object_or_404(
            Registration,
            pk=form.cleaned_data["registration"],
            event=event,
            status=Registration.Status.CONFIRMED,
        )
        attended = form.cleaned_data["attended"]
        try:
            registration_svc.registration_set_attended(
                registration=registration, attended=attended, actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            done = (
                _("%(name)s är markerad som närvarande.")
                if attended
                else _("%(name)s är inte längre markerad som närvarande.")
            )
            messages.success(request, done % {"name": registration.name})
        url = reverse("events:staff_check_in", kwargs={"pk": event.pk})
        return redirect(f"{url}#r{registration.pk}")
    people = list(selectors.check_in_list(event))
    heading = _("Närvarolista")
    return render(
        request,
        "events/staff/check_in.html",
        {
            "event": event,
            "people": people,
            "present": sum(1 for person in people if person.attended),
            "questions": list(event.questions.all()),
            "heading": heading,
            "crumbs": crumbs((heading, None), event=event),
        },
    )


urlpatterns: list[URLPattern] = [
    path("hantera/moten/<int:pk>/bjud-in/", staff_invite, name="staff_invite"),
    path("hantera/moten/<int:pk>/narvaro/", staff_check_in, name="staff_check_in"),
]

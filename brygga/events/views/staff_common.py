"""What the staff meeting pages share: breadcrumbs, a meeting's name, a service's errors
on a form, and the form page."""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from brygga.core.permissions import allowed
from brygga.events.models import Event
from brygga.events.permissions import EventPerm
from brygga.events.selectors_staff import event_for_staff

# (label, link); the last one is the page itself and has no link.
Crumbs = list[tuple[str, str | None]]
FORM_TEMPLATE = "events/staff/form.html"


def crumbs(*trail: tuple[str, str | None], event: Event | None = None) -> Crumbs:
    """The trail from the staff list of meetings down to the current page."""
    out: Crumbs = [(_("Möten"), reverse("events:staff_list"))]
    if event is not None:
        out.append((event_title(event), reverse("events:staff_detail", kwargs={"pk": event.pk})))
    out.extend(trail)
    return out


def event_title(event: Event) -> str:
    start = timezone.localtime(event.starts_at)
    return f"{event.title}, {formats.date_format(start, 'Y-m-d')}"


def get_event(pk: int) -> Event:
    event = event_for_staff(pk)
    if event is None:
        raise Http404
    return event


def permissions_for(user: Any) -> dict[str, bool]:
    """What the templates may offer: one flag per action."""
    return {
        "can_manage": allowed(user, EventPerm.MANAGE),
        "can_view_people": allowed(user, EventPerm.VIEW_PEOPLE),
        "can_invite": allowed(user, EventPerm.INVITE),
        "can_check_in": allowed(user, EventPerm.CHECK_IN),
        "can_manage_kinds": allowed(user, EventPerm.MANAGE_KINDS),
    }


def form_page(
    request: HttpRequest,
    form: Form,
    *,
    heading: str,
    trail: Crumbs,
    cancel_url: str,
    template: str = FORM_TEMPLATE,
    submit: str = "",
    **extra: Any,
) -> HttpResponse:
    context = {
        "form": form,
        "heading": heading,
        "crumbs": trail,
        "cancel_url": cancel_url,
        "submit_label": submit or _("Spara"),
    }
    context.update(extra)
    return render(request, template, context)

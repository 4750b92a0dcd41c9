"""Staff pages for meetings: the list, a meeting's page with its figures and people,
the form to create or edit one, and cancelling it. Thin: forms clean, selectors read,
services write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from brygga.core.forms import add_errors
from brygga.core.permissions import allowed, require
from brygga.events import selectors_staff as selectors
from brygga.events.forms.staff import EventFilterForm, EventForm
from brygga.events.permissions import EventPerm
from brygga.events.services import events as svc
from brygga.events.views.staff_common import (
    crumbs,
    event_title,
    form_page,
    get_event,
    permissions_for,
)

PAGE_SIZE = 50


@require(EventPerm.VIEW)
def staff_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET, localities=selectors.event_localities())
    page = None
    params: dict[str, str] = {}
    if form.is_valid():
        params = {k: str(v) for k, v in request.GET.items() if k in form.fields and v}
        page = Paginator(selectors.staff_event_list(**form.filters()), PAGE_SIZE).get_page(
            request.GET.get("sida")
        )
    return render(
        request,
        "events/staff/event_list.html",
        {
            "form": form,
            "page_obj": page,
            "query": urlencode(params),
            "filtered": bool(params),
            "series_list": selectors.upcoming_series(),
            "crumbs": [(_("Möten"), None)],
            **permissions_for(request.user),
        },
    )


@require(EventPerm.VIEW)
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(pk)
    can_view_people = allowed(request.user, EventPerm.VIEW_PEOPLE)
    return render(
        request,
        "events/staff/event_detail.html",
        {
            "event": event,
            "figures": selectors.event_figures(event),
            "registrations": selectors.event_registrations(event) if can_view_people else None,
            "batches": selectors.event_batches(event),
            "started": event.starts_at <= timezone.now(),
            "crumbs": crumbs((event_title(event), None)),
            **permissions_for(request.user),
        },
    )


@require(EventPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = svc.event_create(data=form.event_data(), actor=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Mötet är skapat."))
            return redirect("events:staff_detail", pk=event.pk)
    heading = _("Nytt möte")
    return form_page(
        request,
        form,
        heading=heading,
        trail=crumbs((heading, None)),
        cancel_url=reverse("events:staff_list"),
    )


@require(EventPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(pk)
    form = EventForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            svc.event_update(event=event, data=form.event_data(), actor=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("events:staff_detail", pk=event.pk)
    return form_page(
        request,
        form,
        heading=_("Ändra %(event)s") % {"event": event_title(event)},
        trail=crumbs((_("Ändra"), None), event=event),
        cancel_url=reverse("events:staff_detail", kwargs={"pk": event.pk}),
        event=event,
    )


@require(EventPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(pk)
    if request.method == "POST" and not event.cancelled:
        try:
            svc.event_cancel(event=event, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Mötet är inställt. Alla anmälda och väntande får ett e-brev om det.")
            )
        return redirect("events:staff_detail", pk=event.pk)
    return render(
        request,
        "events/staff/event_cancel.html",
        {
            "event": event,
            "figures": selectors.event_figures(event),
            "heading": _("Ställ in %(event)s") % {"event": event_title(event)},
            "crumbs": crumbs((_("Ställ in"), None), event=event),
        },
    )


urlpatterns: list[URLPattern] = [
    path("hantera/moten/", staff_list, name="staff_list"),
    path("hantera/moten/nytt/", staff_create, name="staff_create"),
    path("hantera/moten/<int:pk>/", staff_detail, name="staff_detail"),
    path("hantera/moten/<int:pk>/andra/", staff_edit, name="staff_edit"),
    path("hantera/moten/<int:pk>/installa/", staff_cancel, name="staff_cancel"),
]

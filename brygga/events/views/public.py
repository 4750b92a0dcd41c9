"""The public meeting pages: the list of coming meetings and a meeting's page with its
registration form. No login; a meeting that is not public answers 404 here (the
invited reach it through their invitation link, :mod:`.registration`).

Thin: the selectors of :mod:`brygga.events.selectors_public` read (a fixed number of
queries), :func:`registration_form_post` hands the form to the service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from brygga.core import ratelimit
from brygga.events import links
from brygga.events import selectors_public as selectors
from brygga.events.forms.public import RegistrationForm
from brygga.events.models import Event
from brygga.events.services.registrations import registration_open_for
from brygga.events.services.series import rule_describe
from brygga.events.views.registration_form import RATE_ACTION, registration_form_post

T = "events/public/"
PAGE_SIZE = 25
PAST_SHOWN = 5


def by_month(events: Iterable[Event]) -> list[tuple[dt.date, list[Event]]]:
    """Meetings in start order grouped by their month (in Swedish time)."""
    months: list[tuple[dt.date, list[Event]]] = []
    for event in events:
        start = timezone.localtime(event.starts_at)
        month = dt.date(start.year, start.month, 1)
        if not months or months[-1][0] != month:
            months.append((month, []))
        months[-1][1].append(event)
    return months


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.upcoming_public_events(), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("sida"))
    past = selectors.past_public_events(limit=PAST_SHOWN) if page_obj.number == 1 else []
    return render(
        request,
        f"{T}event_list.html",
        {
            "page_obj": page_obj,
            "months": by_month(page_obj.object_list),
            "past": past,
            "feed_url": links.feed_url(),
            "webcal_url": links.webcal_url(),
        },
    )


@require_http_methods(["GET", "POST"])
@ratelimit.rate_limit(RATE_ACTION)
def event_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    event = selectors.public_event(pk)
    if event is None:
        raise Http404
    if slug != event.slug:
        return redirect(event.get_absolute_url(), permanent=True)
    closed = registration_open_for(event)
    form = None
    if closed is None:
        form = RegistrationForm(
            request.POST if request.method == "POST" else None,
            questions=event.questions.all(),
        )
        answered = registration_form_post(request, form, event, back=request.path)
        if answered is not None:
            return answered
    return render(
        request,
        f"{T}event_detail.html",
        {
            "event": event,
            "form": form,
            "closed": closed,
            "crumbs": [(_("Möten"), reverse("events:list")), (event.title, "")],
            "series_rule": rule_describe(event.series.rule) if event.series else "",
        },
    )

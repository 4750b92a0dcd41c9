"""The evaluation results: per meeting (``?event=<pk>``: averages, the spread of the
1-5 answers, the comments), the meetings with answers, and per kind over time."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from brygga.core.permissions import require
from brygga.events import selectors_staff_evaluations as selectors
from brygga.events.permissions import EventPerm
from brygga.events.views.staff_common import crumbs, event_title, get_event

PER = {"ar": "year", "halvar": "half"}


@require(EventPerm.VIEW)
def staff_evaluations(request: HttpRequest) -> HttpResponse:
    event_param = request.GET.get("event", "")
    if event_param:
        if not event_param.isdigit():
            raise Http404
        event = get_event(int(event_param))
        heading = _("Utvärdering av %(event)s") % {"event": event_title(event)}
        return render(
            request,
            "events/staff/evaluation_event.html",
            {
                "event": event,
                "results": selectors.event_results(event),
                "heading": heading,
                "crumbs": crumbs(
                    (_("Utvärderingar"), reverse("events:staff_evaluations")),
                    (event_title(event), None),
                ),
            },
        )
    per_key = request.GET.get("per", "ar")
    per = PER.get(per_key, "year")
    return render(
        request,
        "events/staff/evaluations.html",
        {
            "events": selectors.evaluated_events(),
            "by_kind": selectors.results_by_kind(per=per),
            "per": per,
            "per_key": per_key if per_key in PER else "ar",
            "crumbs": crumbs((_("Utvärderingar"), None)),
        },
    )


urlpatterns: list[URLPattern] = [
    path("hantera/moten/utvarderingar/", staff_evaluations, name="staff_evaluations"),
]

"""The calendar files: one meeting, one series, and the feed of every public meeting that
calendar programs subscribe to (also offered as ``webcal:``). The iCalendar text is
written by :mod:`brygga.events.calendar`; these views only find what goes in."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from brygga.events import calendar
from brygga.events import selectors_public as selectors

FEED_FILENAME = "moten.ics"


def _ics(body: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type=calendar.CONTENT_TYPE)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _filename(title: str, fallback: str) -> str:
    return f"{slugify(title)[:60] or fallback}.ics"


@require_GET
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.public_event_for_calendar(pk)
    if event is None:
        raise Http404
    return _ics(calendar.event_calendar(event), _filename(event.slug, "mote"))


@require_GET
def series_ics(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.public_series_for_calendar(pk)
    if found is None:
        raise Http404
    series, occurrences = found
    return _ics(calendar.series_calendar(series, occurrences), _filename(series.title, "serie"))


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    content = selectors.calendar_feed()
    body = calendar.feed_calendar(
        name=_("Möten \N{EN DASH} Näringslivskontoret, %(municipality)s")
        % {"municipality": settings.BRYGGA_MUNICIPALITY_NAME},
        events=content.events,
        series=content.series,
    )
    return _ics(body, FEED_FILENAME, inline=True)

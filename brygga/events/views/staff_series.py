"""Staff pages for repeating meetings: create a series, and the series' page with its
rule in words and its occurrences (each moved or cancelled on its own page)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from brygga.core.forms import add_errors
from brygga.core.permissions import require
from brygga.events import selectors_staff as selectors
from brygga.events.forms.staff_series import SeriesForm
from brygga.events.permissions import EventPerm
from brygga.events.services import series as svc
from brygga.events.views.staff_common import crumbs, form_page, permissions_for

SERIES_RENAME = {"duration": "duration_minutes", "first_start": "first_start"}


@require(EventPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_series_create(request: HttpRequest) -> HttpResponse:
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            series = svc.series_create(data=form.series_data(), actor=request.user)
        except ValidationError as exc:
            add_errors(form, exc, SERIES_RENAME)
        else:
            messages.success(request, _("Mötesserien är skapad med sina första tillfällen."))
            return redirect("events:staff_series", pk=series.pk)
    heading = _("Ny mötesserie")
    return form_page(
        request,
        form,
        heading=heading,
        trail=crumbs((heading, None)),
        cancel_url=reverse("events:staff_list"),
        template="events/staff/series_form.html",
    )


@require(EventPerm.VIEW)
def staff_series(request: HttpRequest, pk: int) -> HttpResponse:
    series = selectors.series_for_staff(pk)
    if series is None:
        raise Http404
    return render(
        request,
        "events/staff/series_detail.html",
        {
            "series": series,
            "rule_words": svc.rule_describe(series.rule),
            "occurrences": selectors.series_occurrences(series),
            "crumbs": crumbs((series.title, None)),
            **permissions_for(request.user),
        },
    )


urlpatterns: list[URLPattern] = [
    path("hantera/moten/serie/ny/", staff_series_create, name="staff_series_create"),
    path("hantera/moten/serie/<int:pk>/", staff_series, name="staff_series"),
]

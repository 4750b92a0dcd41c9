"""The managed list of kinds of meeting: everyone who sees meetings sees it; the office
adds, renames and retires kinds."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from brygga.core.forms import add_errors
from brygga.core.permissions import allowed, require
from brygga.events.forms.staff import KindForm
from brygga.events.models import Event, EventKind
from brygga.events.permissions import EventPerm
from brygga.events.services.kinds import kind_save
from brygga.events.views.staff_common import Crumbs, crumbs, form_page


def _trail(current: str) -> Crumbs:
    return crumbs((_("Typer av möten"), reverse("events:staff_kinds")), (current, None))


@require(EventPerm.VIEW)
def staff_kinds(request: HttpRequest) -> HttpResponse:
    counts = dict(
        Event.objects.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    kinds = [(kind, counts.get(kind.pk, 0)) for kind in EventKind.objects.all()]
    return render(
        request,
        "events/staff/kinds.html",
        {
            "kinds": kinds,
            "can_manage_kinds": allowed(request.user, EventPerm.MANAGE_KINDS),
            "crumbs": crumbs((_("Typer av möten"), None)),
        },
    )


def _kind_page(
    request: HttpRequest, form: KindForm, kind: EventKind | None, *, done: str, heading: str
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            kind_save(kind=kind, data=form.kind_data(), actor=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("events:staff_kinds")
    return form_page(
        request,
        form,
        heading=heading,
        trail=_trail(heading),
        cancel_url=reverse("events:staff_kinds"),
    )


@require(EventPerm.MANAGE_KINDS)
@require_http_methods(["GET", "POST"])
def staff_kind_add(request: HttpRequest) -> HttpResponse:
    form = KindForm(request.POST or None)
    return _kind_page(request, form, None, done=_("Typen är tillagd."), heading=_("Ny typ av möte"))


@require(EventPerm.MANAGE_KINDS)
@require_http_methods(["GET", "POST"])
def staff_kind_edit(request: HttpRequest, pk: int) -> HttpResponse:
    kind = get_object_or_404(EventKind, pk=pk)
    form = KindForm(request.POST or None, kind=kind)
    return _kind_page(
        request,
        form,
        kind,
        done=_("Typen är sparad."),
        heading=_("Ändra typen %(label)s") % {"label": kind.label},
    )


urlpatterns: list[URLPattern] = [
    path("hantera/moten/typer/", staff_kinds, name="staff_kinds"),
    path("hantera/moten/typer/ny/", staff_kind_add, name="staff_kind_add"),
    path("hantera/moten/typer/<int:pk>/", staff_kind_edit, name="staff_kind_edit"),
]

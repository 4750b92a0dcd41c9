"""Staff pages for the managed lists (kinds of visit, feedback topics) and the yearly
visit targets. Everyone who sees visits sees the lists; the office changes them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from brygga.core.forms import add_errors
from brygga.core.permissions import allowed, require
from brygga.visits import selectors
from brygga.visits.forms.lists import KindForm, TargetForm, TopicForm
from brygga.visits.models import Topic, VisitKind, VisitTarget
from brygga.visits.permissions import VisitPerm
from brygga.visits.services.lists import kind_save, topic_save
from brygga.visits.services.targets import target_set
from brygga.visits.views.common import Crumbs, crumbs, form_page

FORM_TEMPLATE = "visits/list_form.html"


def _lists_trail(current: str) -> Crumbs:
    return crumbs((_("Listor"), reverse("visits:lists")), (current, None))


@require(VisitPerm.VIEW)
def lists(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "visits/lists.html",
        {
            "kinds": selectors.kinds_for_lists(),
            "topics": selectors.topics_for_lists(),
            "can_manage": allowed(request.user, VisitPerm.MANAGE_LISTS),
            "crumbs": crumbs((_("Listor"), None)),
        },
    )


def _entry_page(
    request: HttpRequest,
    form: KindForm | TopicForm,
    save: Any,
    *,
    done: str,
    heading: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.entry_data())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("visits:lists")
    return form_page(
        request,
        FORM_TEMPLATE,
        form,
        heading=heading,
        trail=_lists_trail(heading),
        cancel_url=reverse("visits:lists"),
    )


@require(VisitPerm.MANAGE_LISTS)
@require_http_methods(["GET", "POST"])
def kind_add(request: HttpRequest) -> HttpResponse:
    form = KindForm(request.POST or None)
    return _entry_page(
        request,
        form,
        lambda data: kind_save(kind=None, data=data, actor=request.user),
        done=_("Typen är tillagd."),
        heading=_("Ny typ av kontakt"),
    )


@require(VisitPerm.MANAGE_LISTS)
@require_http_methods(["GET", "POST"])
def kind_edit(request: HttpRequest, pk: int) -> HttpResponse:
    kind = get_object_or_404(VisitKind, pk=pk)
    form = KindForm(request.POST or None, entry=kind)
    return _entry_page(
        request,
        form,
        lambda data: kind_save(kind=kind, data=data, actor=request.user),
        done=_("Typen är sparad."),
        heading=_("Ändra typen %(label)s") % {"label": kind.label},
    )


@require(VisitPerm.MANAGE_LISTS)
@require_http_methods(["GET", "POST"])
def topic_add(request: HttpRequest) -> HttpResponse:
    form = TopicForm(request.POST or None)
    return _entry_page(
        request,
        form,
        lambda data: topic_save(topic=None, data=data, actor=request.user),
        done=_("Ämnet är tillagt."),
        heading=_("Nytt ämne"),
    )


@require(VisitPerm.MANAGE_LISTS)
@require_http_methods(["GET", "POST"])
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk)
    form = TopicForm(request.POST or None, entry=topic)
    return _entry_page(
        request,
        form,
        lambda data: topic_save(topic=topic, data=data, actor=request.user),
        done=_("Ämnet är sparat."),
        heading=_("Ändra ämnet %(label)s") % {"label": topic.label},
    )


@require(VisitPerm.VIEW)
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    can_manage = allowed(request.user, VisitPerm.MANAGE_LISTS)
    form = None
    if can_manage:
        if request.method == "POST":
            form = TargetForm(request.POST)
        else:
            form = TargetForm(initial=_target_initial(request.GET.get("ar", "")))
    elif request.method == "POST":
        raise PermissionDenied
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            target = target_set(actor=request.user, **form.target_data())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Målet för %(year)s är sparat.") % {"year": target.year})
            return redirect("visits:targets")
    return render(
        request,
        "visits/targets.html",
        {
            "targets": selectors.targets_with_visits(),
            "form": form,
            "crumbs": crumbs((_("Besöksmål"), None)),
        },
    )


def _target_initial(year: str) -> dict[str, Any]:
    """The form filled in with ``year``'s target (the "Ändra" links), else next year's
    blank one in the autumn and this year's before."""
    if year.isdigit():
        target = VisitTarget.objects.filter(year=int(year)).first()
        if target is not None:
            return {
                "year": target.year,
                "visits": target.visits,
                "coverage_percent": target.coverage_percent,
                "note": target.note,
            }
        return {"year": int(year)}
    today = timezone.localdate()
    return {"year": today.year + 1 if today.month >= 10 else today.year}


urlpatterns: list[URLPattern] = [
    path("hantera/besok/listor/", lists, name="lists"),
    path("hantera/besok/listor/typ/ny/", kind_add, name="kind_add"),
    path("hantera/besok/listor/typ/<int:pk>/", kind_edit, name="kind_edit"),
    path("hantera/besok/listor/amne/nytt/", topic_add, name="topic_add"),
    path("hantera/besok/listor/amne/<int:pk>/", topic_edit, name="topic_edit"),
    path("hantera/besok/mal/", targets, name="targets"),
]

"""Staff pages of the action plan: programs, goals, areas, their subscribers, and the
statuses. Activities and their status changes are in ``staff_activities``; the
moderation queue is in ``moderation``. Thin: selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from brygga.actionplan import selectors_staff as sel
from brygga.actionplan.forms.staff import ActivityStatusForm, AreaForm, GoalForm, ProgramForm
from brygga.actionplan.models import ActivityStatus, Area, Goal, Program
from brygga.actionplan.permissions import ActionPlanPerm
from brygga.actionplan.services import structure
from brygga.actionplan.views import staff_activities
from brygga.actionplan.views.staff_common import Crumbs, crumbs, form_page
from brygga.core.permissions import allowed, require
from brygga.register.forms.companies import add_service_errors

SUBSCRIBERS_PAGE_SIZE = 100


# ---------------------------------------------------------------- start and programs


@require(ActionPlanPerm.VIEW)
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "actionplan/staff/home.html",
        {
            "programs": list(sel.programs_for_staff()),
            "moderation": sel.moderation_counts(),
            "can_manage": allowed(request.user, ActionPlanPerm.MANAGE),
            "can_moderate": allowed(request.user, ActionPlanPerm.MODERATE),
            "crumbs": crumbs(),
        },
    )


@require(ActionPlanPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_program_create(request: HttpRequest) -> HttpResponse:
    form = ProgramForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            program = structure.program_create(actor=request.user, **form.data_for_service())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Programmet är skapat."))
            return redirect("actionplan:staff_program", pk=program.pk)
    title = _("Nytt program")
    return form_page(
        request,
        form,
        heading=title,
        trail=crumbs(current=title),
        cancel_url=reverse("actionplan:staff_home"),
    )


@require(ActionPlanPerm.VIEW)
def staff_program(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.program_for_staff(pk)
    if found is None:
        raise Http404
    program, areas = found
    return render(
        request,
        "actionplan/staff/program.html",
        {
            "program": program,
            "areas": areas,
            "can_manage": allowed(request.user, ActionPlanPerm.MANAGE),
            "crumbs": crumbs(current=program.title),
        },
    )


@require(ActionPlanPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_program_edit(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(Program, pk=pk)
    if request.method == "POST":
        form = ProgramForm(request.POST)
        if form.is_valid():
            try:
                structure.program_update(
                    program=program, data=form.data_for_service(), actor=request.user
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Ändringarna är sparade."))
                return redirect("actionplan:staff_program", pk=program.pk)
    else:
        form = ProgramForm(initial=ProgramForm.initial_for(program))
    return form_page(
        request,
        form,
        heading=_("Ändra %(title)s") % {"title": program.title},
        trail=crumbs(program=program, current=_("Ändra")),
        cancel_url=reverse("actionplan:staff_program", kwargs={"pk": program.pk}),
    )


# ---------------------------------------------------------------- goals


@require(ActionPlanPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(Program, pk=pk)
    form = GoalForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            structure.goal_create(program=program, actor=request.user, **form.data_for_service())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Målet är tillagt."))
            return redirect("actionplan:staff_program", pk=program.pk)
    return form_page(
        request,
        form,
        heading=_("Nytt mål i %(title)s") % {"title": program.title},
        trail=crumbs(program=program, current=_("Nytt mål")),
        cancel_url=reverse("actionplan:staff_program", kwargs={"pk": program.pk}),
    )


@require(ActionPlanPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal.objects.select_related("program"), pk=pk)
    program = goal.program
    if request.method == "POST":
        form = GoalForm(request.POST)
        if form.is_valid():
            try:
                structure.goal_update(goal=goal, data=form.data_for_service(), actor=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Målet är sparat."))
                return redirect("actionplan:staff_program", pk=program.pk)
    else:
        form = GoalForm(initial=GoalForm.initial_for(goal))
    return form_page(
        request,
        form,
        heading=_("Ändra målet %(title)s") % {"title": goal.title},
        trail=crumbs(program=program, current=_("Ändra mål")),
        cancel_url=reverse("actionplan:staff_program", kwargs={"pk": program.pk}),
    )


# ---------------------------------------------------------------- areas


@require(ActionPlanPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_area_create(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(Program, pk=pk)
    form = AreaForm(request.POST or None, program=program, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            area = structure.area_create(
                program=program, actor=request.user, **form.data_for_service()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Förbättringsområdet är skapat."))
            return redirect("actionplan:staff_area", pk=area.pk)
    return form_page(
        request,
        form,
        heading=_("Nytt förbättringsområde i %(title)s") % {"title": program.title},
        trail=crumbs(program=program, current=_("Nytt förbättringsområde")),
        cancel_url=reverse("actionplan:staff_program", kwargs={"pk": program.pk}),
    )


@require(ActionPlanPerm.VIEW)
def staff_area(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.area_for_staff(pk)
    if found is None:
        raise Http404
    area, activities = found
    return render(
        request,
        "actionplan/staff/area.html",
        {
            "area": area,
            "program": area.program,
            "activities": activities,
            "public": area.published and area.program.published,
            "can_manage": allowed(request.user, ActionPlanPerm.MANAGE),
            "crumbs": crumbs(program=area.program, current=area.title),
        },
    )


@require(ActionPlanPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(Area.objects.select_related("program"), pk=pk)
    program = area.program
    if request.method == "POST":
        form = AreaForm(request.POST, program=program)
        if form.is_valid():
            try:
                structure.area_update(area=area, data=form.data_for_service(), actor=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Ändringarna är sparade."))
                return redirect("actionplan:staff_area", pk=area.pk)
    else:
        form = AreaForm(initial=AreaForm.initial_for(area), program=program)
    return form_page(
        request,
        form,
        heading=_("Ändra %(title)s") % {"title": area.title},
        trail=crumbs(program=program, area=area, current=_("Ändra")),
        cancel_url=reverse("actionplan:staff_area", kwargs={"pk": area.pk}),
    )


@require(ActionPlanPerm.VIEW)
def staff_area_subscribers(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(Area.objects.select_related("program"), pk=pk)
    show_addresses = allowed(request.user, ActionPlanPerm.VIEW_SUBSCRIBERS)
    page = None
    if show_addresses:
        page = Paginator(sel.area_subscriptions(area), SUBSCRIBERS_PAGE_SIZE).get_page(
            request.GET.get("sida")
        )
    return render(
        request,
        "actionplan/staff/area_subscribers.html",
        {
            "area": area,
            "program": area.program,
            "counts": sel.area_subscriber_counts(area),
            "page_obj": page,
            "crumbs": crumbs(program=area.program, area=area, current=_("Prenumeranter")),
        },
    )


# ---------------------------------------------------------------- statuses


@require(ActionPlanPerm.VIEW)
def staff_status_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "actionplan/staff/status_list.html",
        {
            "statuses": sel.statuses_for_staff(),
            "can_manage": allowed(request.user, ActionPlanPerm.MANAGE),
            "crumbs": crumbs(current=_("Statusar")),
        },
    )


def _status_crumbs(current: str) -> Crumbs:
    return crumbs(extra=[(_("Statusar"), reverse("actionplan:staff_status_list"))], current=current)


@require(ActionPlanPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_status_create(request: HttpRequest) -> HttpResponse:
    form = ActivityStatusForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            structure.status_create(
                key=form.cleaned_data["key"], actor=request.user, **form.data_for_service()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Statusen är skapad."))
            return redirect("actionplan:staff_status_list")
    title = _("Ny status")
    return form_page(
        request,
        form,
        heading=title,
        trail=_status_crumbs(title),
        cancel_url=reverse("actionplan:staff_status_list"),
    )


@require(ActionPlanPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_status_edit(request: HttpRequest, pk: int) -> HttpResponse:
    status = get_object_or_404(ActivityStatus, pk=pk)
    if request.method == "POST":
        form = ActivityStatusForm(request.POST)
        if form.is_valid():
            try:
                structure.status_update(
                    status=status, data=form.data_for_service(), actor=request.user
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Statusen är sparad."))
                return redirect("actionplan:staff_status_list")
    else:
        form = ActivityStatusForm(initial=ActivityStatusForm.initial_for(status))
    return form_page(
        request,
        form,
        heading=_("Ändra statusen %(label)s") % {"label": status.label},
        trail=_status_crumbs(_("Ändra status")),
        cancel_url=reverse("actionplan:staff_status_list"),
        intro=_("Nyckeln ”%(key)s” kan inte ändras.") % {"key": status.key},
    )


P = "hantera/handlingsplan/"

urlpatterns: list[URLPattern] = [
    path(P, staff_home, name="staff_home"),
    path(f"{P}program/ny/", staff_program_create, name="staff_program_create"),
    path(f"{P}program/<int:pk>/", staff_program, name="staff_program"),
    path(f"{P}program/<int:pk>/andra/", staff_program_edit, name="staff_program_edit"),
    path(f"{P}program/<int:pk>/mal/ny/", staff_goal_create, name="staff_goal_create"),
    path(f"{P}mal/<int:pk>/andra/", staff_goal_edit, name="staff_goal_edit"),
    path(f"{P}program/<int:pk>/omraden/ny/", staff_area_create, name="staff_area_create"),
    path(f"{P}omraden/<int:pk>/", staff_area, name="staff_area"),
    path(f"{P}omraden/<int:pk>/andra/", staff_area_edit, name="staff_area_edit"),
    path(
        f"{P}omraden/<int:pk>/prenumeranter/",
        staff_area_subscribers,
        name="staff_area_subscribers",
    ),
    path(f"{P}statusar/", staff_status_list, name="staff_status_list"),
    path(f"{P}statusar/ny/", staff_status_create, name="staff_status_create"),
    path(f"{P}statusar/<int:pk>/andra/", staff_status_edit, name="staff_status_edit"),
    *staff_activities.urlpatterns,
]

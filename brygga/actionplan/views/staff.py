"""Staff pages of the action plan: programs, goals, areas, their subscribers, and the
statuses. Activities and their status changes are in ``staff_activities``; the
moderation queue is in ``moderation``. Thin: selectors read, services write."""

from __future__ import annotations

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
from brygga.actionplan.views.staff_common import Crumbs, crumbs, form_page, saved
from brygga.core.permissions import allowed, require

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
    program = saved(
        request,
        form,
        lambda data: structure.program_create(actor=request.user, **data),
        done=_("Programmet är skapat."),
    )
    if program is not None:
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
    form = (
        ProgramForm(request.POST)
        if request.method == "POST"
        else ProgramForm(initial=ProgramForm.initial_for(program))
    )
    if saved(
        request,
        form,
        lambda data: structure.program_update(program=program, data=data, actor=request.user),
        done=_("Ändringarna är sparade."),
    ):
        return redirect("actionplan:staff_program", pk=program.pk)
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
    if saved(
        request,
        form,
        lambda data: structure.goal_create(program=program, actor=request.user, **data),
        done=_("Målet är tillagt."),
    ):
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
    form = (
        GoalForm(request.POST)
        if request.method == "POST"
        else GoalForm(initial=GoalForm.initial_for(goal))
    )
    if saved(
        request,
        form,
        lambda data: structure.goal_update(goal=goal, data=data, actor=request.user),
        done=_("Målet är sparat."),
    ):
        return redirect("actionplan:staff_program", pk=program.pk)
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
    area = saved(
        request,
        form,
        lambda data: structure.area_create(program=program, actor=request.user, **data),
        done=_("Förbättringsområdet är skapat."),
    )
    if area is not None:
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
    form = (
        AreaForm(request.POST, program=program)
        if request.method == "POST"
        else AreaForm(initial=AreaForm.initial_for(area), program=program)
    )
    if saved(
        request,
        form,
        lambda data: structure.area_update(area=area, data=data, actor=request.user),
        done=_("Ändringarna är sparade."),
    ):
        return redirect("actionplan:staff_area", pk=area.pk)
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
    if saved(
        request,
        form,
        lambda data: structure.status_create(
            key=form.cleaned_data["key"], actor=request.user, **data
        ),
        done=_("Statusen är skapad."),
    ):
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
    form = (
        ActivityStatusForm(request.POST)
        if request.method == "POST"
        else ActivityStatusForm(initial=ActivityStatusForm.initial_for(status))
    )
    if saved(
        request,
        form,
        lambda data: structure.status_update(status=status, data=data, actor=request.user),
        done=_("Statusen är sparad."),
    ):
        return redirect("actionplan:staff_status_list")
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

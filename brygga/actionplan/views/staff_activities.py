"""Staff pages for activities: create, edit, the activity page with its timeline, and
the two actions that write to the timeline (a status change, a public update).

A status change here calls the same service as the API (``activity_set_status``), so
it has the same effects: the activity changes, one timeline entry is written, the
change is logged, and subscribers are told after commit.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from brygga.actionplan import selectors_staff as sel
from brygga.actionplan.forms.staff import ActivityForm, StatusChangeForm, UpdateForm
from brygga.actionplan.models import Activity, ActivityUpdate, Area
from brygga.actionplan.permissions import ActionPlanPerm
from brygga.actionplan.services import status as status_svc
from brygga.actionplan.services import structure
from brygga.actionplan.views.staff_common import crumbs, form_page, saved
from brygga.core.permissions import allowed, require
from brygga.register.forms.companies import add_service_errors


def _found(pk: int) -> tuple[Activity, list[ActivityUpdate]]:
    found = sel.activity_for_staff(pk)
    if found is None:
        raise Http404
    return found


def _tells_subscribers(activity: Activity, entry: ActivityUpdate) -> bool:
    """Whether the fan-out will write e-mails: the entry is to be told and all is public."""
    area = activity.area
    return entry.notify and area.published and area.program.published


def _activity_page(
    request: HttpRequest,
    activity: Activity,
    timeline: list[ActivityUpdate],
    *,
    status_form: StatusChangeForm | None = None,
    update_form: UpdateForm | None = None,
) -> HttpResponse:
    area = activity.area
    program = area.program
    public = activity.published and area.published and program.published
    can_set_status = allowed(request.user, ActionPlanPerm.SET_STATUS)
    if can_set_status:
        status_form = status_form or StatusChangeForm(
            initial={"status": activity.status_id, "status_text": activity.status_text}
        )
        update_form = update_form or UpdateForm()
    return render(
        request,
        "actionplan/staff/activity.html",
        {
            "activity": activity,
            "area": area,
            "program": program,
            "timeline": timeline,
            "public_url": activity.get_absolute_url() if public else None,
            "can_manage": allowed(request.user, ActionPlanPerm.MANAGE),
            "status_form": status_form if can_set_status else None,
            "update_form": update_form if can_set_status else None,
            "crumbs": crumbs(program=program, area=area, current=activity.title),
        },
    )


@require(ActionPlanPerm.VIEW)
def staff_activity(request: HttpRequest, pk: int) -> HttpResponse:
    activity, timeline = _found(pk)
    return _activity_page(request, activity, timeline)


@require(ActionPlanPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(Area.objects.select_related("program"), pk=pk)
    form = ActivityForm(request.POST or None, creating=True)
    activity = saved(
        request,
        form,
        lambda data: structure.activity_create(
            area=area,
            status=form.cleaned_data["status"],
            status_text=form.cleaned_data["status_text"],
            actor=request.user,
            **data,
        ),
        done=lambda activity: (
            _("Aktiviteten är skapad och publicerad i tidslinjen.")
            if activity.published
            else _("Aktiviteten är skapad som utkast.")
        ),
    )
    if activity is not None:
        return redirect("actionplan:staff_activity", pk=activity.pk)
    return form_page(
        request,
        form,
        heading=_("Ny aktivitet i %(title)s") % {"title": area.title},
        trail=crumbs(program=area.program, area=area, current=_("Ny aktivitet")),
        cancel_url=reverse("actionplan:staff_area", kwargs={"pk": area.pk}),
    )


@require(ActionPlanPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.select_related("area__program"), pk=pk)
    was_published = activity.published_at is not None
    form = (
        ActivityForm(request.POST, current_contact_id=activity.contact_id)
        if request.method == "POST"
        else ActivityForm(
            initial=ActivityForm.initial_for(activity), current_contact_id=activity.contact_id
        )
    )
    if saved(
        request,
        form,
        lambda data: structure.activity_update(activity=activity, data=data, actor=request.user),
        done=lambda activity: (
            _("Aktiviteten är publicerad och har kommit med i tidslinjen.")
            if activity.published and not was_published
            else _("Ändringarna är sparade.")
        ),
    ):
        return redirect("actionplan:staff_activity", pk=activity.pk)
    area = activity.area
    return form_page(
        request,
        form,
        heading=_("Ändra %(title)s") % {"title": activity.title},
        trail=crumbs(program=area.program, area=area, activity=activity, current=_("Ändra")),
        cancel_url=reverse("actionplan:staff_activity", kwargs={"pk": activity.pk}),
        intro=_("Status och statustext ändras på aktivitetens sida."),
    )


@require(ActionPlanPerm.SET_STATUS)
@require_POST
def staff_activity_status(request: HttpRequest, pk: int) -> HttpResponse:
    activity, timeline = _found(pk)
    form = StatusChangeForm(request.POST)
    if form.is_valid():
        new_status = form.cleaned_data["status"]
        try:
            entry = status_svc.activity_set_status(
                activity=activity,
                status=new_status,
                status_text=form.cleaned_data["status_text"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if entry is None:
                messages.info(request, _("Inget ändrades: status och statustext är som förut."))
            elif entry.kind == ActivityUpdate.Kind.STATUS:
                messages.success(
                    request,
                    _("Statusen är ändrad till ”%(label)s”.") % {"label": new_status.label},
                )
            else:
                messages.success(request, _("Statustexten är uppdaterad."))
            if entry is not None and _tells_subscribers(activity, entry):
                messages.info(request, _("Prenumeranterna får besked via e-post."))
            return redirect("actionplan:staff_activity", pk=activity.pk)
    return _activity_page(request, activity, timeline, status_form=form)


@require(ActionPlanPerm.SET_STATUS)
@require_POST
def staff_activity_update(request: HttpRequest, pk: int) -> HttpResponse:
    activity, timeline = _found(pk)
    form = UpdateForm(request.POST)
    if form.is_valid():
        try:
            entry = status_svc.activity_post_update(
                activity=activity, text=form.cleaned_data["text"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Uppdateringen är publicerad i tidslinjen."))
            if _tells_subscribers(activity, entry):
                messages.info(request, _("Prenumeranterna får besked via e-post."))
            return redirect("actionplan:staff_activity", pk=activity.pk)
    return _activity_page(request, activity, timeline, update_form=form)


P = "hantera/handlingsplan/"

urlpatterns: list[URLPattern] = [
    path(
        f"{P}omraden/<int:pk>/aktiviteter/ny/", staff_activity_create, name="staff_activity_create"
    ),
    path(f"{P}aktiviteter/<int:pk>/", staff_activity, name="staff_activity"),
    path(f"{P}aktiviteter/<int:pk>/andra/", staff_activity_edit, name="staff_activity_edit"),
    path(f"{P}aktiviteter/<int:pk>/status/", staff_activity_status, name="staff_activity_status"),
    path(
        f"{P}aktiviteter/<int:pk>/uppdatering/",
        staff_activity_update,
        name="staff_activity_update",
    ),
]

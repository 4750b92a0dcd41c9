"""Staff pages for follow-ups: "Mina uppföljningar", the overdue list, editing one, and
the quick "Markera som klar" button.

The office (``VisitPerm.LOG``) may change any follow-up. A case officer
(``WORK_FOLLOW_UPS`` without ``LOG``) sees and closes the ones they own, but not the
visits themselves (``VIEW`` is not theirs), and may move the date, close and note
the outcome; not change the task or hand it to someone else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from brygga.core.forms import add_errors
from brygga.core.permissions import allowed, require
from brygga.visits import selectors
from brygga.visits.forms.visit_items import FollowUpForm
from brygga.visits.models import FollowUp
from brygga.visits.permissions import VisitPerm
from brygga.visits.services.followups import follow_up_update
from brygga.visits.views.common import safe_next, visit_title

PAGE_SIZE = 50
ROOT = "visits:my_follow_ups"


def _trail(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Mina uppföljningar"), reverse(ROOT)), *items]


def can_change(user: Any, follow_up: FollowUp) -> bool:
    """The office changes any follow-up; others only their own, with WORK_FOLLOW_UPS."""
    if allowed(user, VisitPerm.LOG):
        return True
    return allowed(user, VisitPerm.WORK_FOLLOW_UPS) and follow_up.owner_id == user.pk


def _follow_up_or_403(request: HttpRequest, pk: int) -> FollowUp:
    follow_up = get_object_or_404(FollowUp.objects.select_related("visit__kind", "owner"), pk=pk)
    if not can_change(request.user, follow_up):
        raise PermissionDenied
    return follow_up


def my_follow_ups(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (allowed(user, VisitPerm.WORK_FOLLOW_UPS) or allowed(user, VisitPerm.VIEW)):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "visits/my_follow_ups.html",
        {
            "mine": selectors.my_follow_ups(user, today=today),
            "today": today,
            "days": selectors.RECENTLY_CLOSED_DAYS,
            "can_view_visits": allowed(user, VisitPerm.VIEW),
            "can_close": allowed(user, VisitPerm.WORK_FOLLOW_UPS),
            "crumbs": [(_("Mina uppföljningar"), None)],
        },
    )


@require(VisitPerm.VIEW)
def overdue_follow_ups(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = Paginator(selectors.overdue_follow_ups(today=today), PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    return render(
        request,
        "visits/overdue_follow_ups.html",
        {
            "page_obj": page,
            "today": today,
            "can_close": allowed(request.user, VisitPerm.LOG),
            "crumbs": _trail((_("Försenade uppföljningar"), None)),
        },
    )


@require(VisitPerm.WORK_FOLLOW_UPS)
@require_http_methods(["GET", "POST"])
def follow_up_edit(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _follow_up_or_403(request, pk)
    full = allowed(request.user, VisitPerm.LOG)
    form = FollowUpForm(request.POST or None, follow_up=follow_up, full=full)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_update(follow_up=follow_up, data=form.follow_up_data(), actor=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Uppföljningen är sparad."))
            return redirect(safe_next(request, reverse(ROOT)))
    visit = follow_up.visit
    can_view_visit = allowed(request.user, VisitPerm.VIEW)
    return render(
        request,
        "visits/follow_up_form.html",
        {
            "form": form,
            "follow_up": follow_up,
            "visit": visit,
            "visit_title": visit_title(visit),
            "companies": list(visit.companies.all()),
            "can_view_visit": can_view_visit,
            "next": safe_next(request, ""),
            "heading": _("Ändra uppföljning"),
            "crumbs": _trail((_("Ändra uppföljning"), None)),
            "cancel_url": safe_next(request, reverse(ROOT)),
        },
    )


@require(VisitPerm.WORK_FOLLOW_UPS)
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a follow-up done in one click (from the lists and the visit's page)."""
    follow_up = _follow_up_or_403(request, pk)
    back = safe_next(request, reverse(ROOT))
    if follow_up.status != FollowUp.Status.OPEN:
        messages.info(request, _("Uppföljningen var redan avslutad."))
        return redirect(back)
    try:
        follow_up_update(
            follow_up=follow_up, data={"status": FollowUp.Status.DONE}, actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("”%(title)s” är markerad som klar.") % {"title": follow_up.title}
        )
    return redirect(back)


urlpatterns: list[URLPattern] = [
    path("hantera/uppfoljningar/", my_follow_ups, name="my_follow_ups"),
    path("hantera/uppfoljningar/forsenade/", overdue_follow_ups, name="overdue_follow_ups"),
    path("hantera/uppfoljningar/<int:pk>/", follow_up_edit, name="follow_up_edit"),
    path("hantera/uppfoljningar/<int:pk>/klar/", follow_up_done, name="follow_up_done"),
]

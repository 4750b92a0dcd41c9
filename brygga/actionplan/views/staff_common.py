"""What the staff pages of the action plan share: breadcrumbs, saving a form through a
service, and the form page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from brygga.actionplan.models import Activity, Area, Program
from brygga.register.forms.companies import add_service_errors

FORM_TEMPLATE = "actionplan/staff/form.html"

# (label, link); the last one is the page itself and has no link.
Crumbs = list[tuple[str, str | None]]


def crumbs(
    *,
    program: Program | None = None,
    area: Area | None = None,
    activity: Activity | None = None,
    extra: Crumbs | None = None,
    current: str | None = None,
) -> Crumbs:
    """The trail from the action plan's staff start page down to the current page."""
    trail: Crumbs = [(_("Handlingsplanen"), reverse("actionplan:staff_home"))]
    if program is not None:
        trail.append(
            (program.title, reverse("actionplan:staff_program", kwargs={"pk": program.pk}))
        )
    if area is not None:
        trail.append((area.title, reverse("actionplan:staff_area", kwargs={"pk": area.pk})))
    if activity is not None:
        trail.append(
            (activity.title, reverse("actionplan:staff_activity", kwargs={"pk": activity.pk}))
        )
    trail.extend(extra or [])
    if current is None:
        label, _link = trail.pop()
        trail.append((label, None))
    else:
        trail.append((current, None))
    return trail


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    heading: str,
    trail: Crumbs,
    cancel_url: str,
    intro: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "heading": heading,
            "crumbs": trail,
            "cancel_url": cancel_url,
            "intro": intro,
        },
        status=status,
    )


def saved(
    request: HttpRequest,
    form: Any,
    write: Callable[[dict[str, Any]], Any],
    *,
    done: str | Callable[[Any], str],
) -> Any | None:
    """On a valid POST, ``write`` the form's data through a service and say so.

    Returns what the service returned, or None when the form is to be shown (again):
    not posted, invalid, or refused by the service, whose errors are then on the form.
    ``done`` is the message, or makes it from what was saved.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        obj = write(form.data_for_service())
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, done(obj) if callable(done) else done)
    return obj

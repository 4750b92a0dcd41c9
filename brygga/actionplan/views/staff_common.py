"""What the staff pages of the action plan share: breadcrumbs and the form page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from brygga.actionplan.models import Activity, Area, Program

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

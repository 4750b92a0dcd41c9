"""What the visit pages share: breadcrumbs, a visit's name, a service's errors on a
form, a safe way back, and the form page."""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from brygga.visits.models import Visit

# (label, link); the last one is the page itself and has no link.
Crumbs = list[tuple[str, str | None]]


def crumbs(*trail: tuple[str, str | None], visit: Visit | None = None) -> Crumbs:
    """The trail from the visit list down to the current page (the last item)."""
    out: Crumbs = [(_("Besök"), reverse("visits:visit_list"))]
    if visit is not None:
        out.append((visit_title(visit), reverse("visits:visit_detail", kwargs={"pk": visit.pk})))
    out.extend(trail)
    return out


def visit_title(visit: Visit) -> str:
    return f"{visit.kind.label} {visit.date:%Y-%m-%d}"


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` the form came with, if it points into this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def form_page(
    request: HttpRequest,
    template: str,
    form: Form,
    *,
    heading: str,
    trail: Crumbs,
    cancel_url: str,
    **extra: Any,
) -> HttpResponse:
    context = {"form": form, "heading": heading, "crumbs": trail, "cancel_url": cancel_url}
    context.update(extra)
    return render(request, template, context)

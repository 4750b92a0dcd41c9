"""Saved segments: save the current list filter under a name, list, open, delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from brygga.core.permissions import allowed
from brygga.register import selectors
from brygga.register.filters import filters_from
from brygga.register.forms.companies import add_service_errors
from brygga.register.forms.segments import SegmentForm
from brygga.register.models import Segment
from brygga.register.permissions import RegisterPerm
from brygga.register.services.segments import segment_create as create_segment
from brygga.register.services.segments import segment_delete as delete_segment
from brygga.register.views.companies import PAGE_SIZE, require


@require(RegisterPerm.VIEW)
def segment_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "register/segment_list.html",
        {
            "segments": selectors.segment_list(),
            "can_manage": allowed(request.user, RegisterPerm.MANAGE_SEGMENTS),
        },
    )


@require(RegisterPerm.MANAGE_SEGMENTS)
@require_POST
def segment_create(request: HttpRequest) -> HttpResponse:
    """Save the list's current filters (sent along as hidden fields) as a segment."""
    _filter_form, filters = filters_from(request.POST)
    form = SegmentForm(request.POST)
    if filters is None or filters.is_empty:
        form.add_error(None, _("Sök eller välj minst ett filter innan du sparar ett urval."))
    elif form.is_valid():
        try:
            segment = create_segment(
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                filters=filters,
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Urvalet är sparat."))
            return redirect("register:segment_detail", pk=segment.pk)
    params = filters.to_params() if filters is not None else {}
    return render(
        request,
        "register/segment_form.html",
        {"form": form, "params": params, "query": urlencode(params)},
        status=400 if form.errors else 200,
    )


@require(RegisterPerm.VIEW)
def segment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    segment = get_object_or_404(Segment.objects.select_related("created_by"), pk=pk)
    _form, filters = filters_from(segment.filters)
    page = Paginator(selectors.segment_companies(segment), PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    return render(
        request,
        "register/segment_detail.html",
        {
            "segment": segment,
            "valid": filters is not None,
            "list_query": urlencode(segment.filters),
            "page_obj": page,
            "query": "",
            "show_pnr": allowed(request.user, RegisterPerm.VIEW_PERSONAL_NUMBER),
            "can_manage": allowed(request.user, RegisterPerm.MANAGE_SEGMENTS),
        },
    )


@require(RegisterPerm.MANAGE_SEGMENTS)
@require_http_methods(["GET", "POST"])
def segment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    segment = get_object_or_404(Segment, pk=pk)
    if request.method == "POST":
        delete_segment(segment=segment)
        messages.success(request, _("Urvalet är borttaget."))
        return redirect("register:segment_list")
    return render(request, "register/segment_confirm_delete.html", {"segment": segment})


urlpatterns = [
    path("register/urval/", segment_list, name="segment_list"),
    path("register/urval/nytt/", segment_create, name="segment_create"),
    path("register/urval/<int:pk>/", segment_detail, name="segment_detail"),
    path("register/urval/<int:pk>/ta-bort/", segment_delete, name="segment_delete"),
]

"""API views of the action plan.

Anyone may read what is published (anonymous callers are throttled); staff with
``ActionPlanPerm.VIEW`` also see drafts. ``PATCH /activities/<id>/`` with ``status``
and ``status_text`` is for ``ActionPlanPerm.SET_STATUS`` and has exactly the effects
of the staff page: it calls :func:`brygga.actionplan.services.status.activity_set_status`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.serializers import BaseSerializer
from rest_framework.throttling import AnonRateThrottle, BaseThrottle

from brygga.actionplan import selectors
from brygga.actionplan.api.serializers import (
    ActivityDetailSerializer,
    ActivitySerializer,
    AreaSerializer,
    ProgramSerializer,
)
from brygga.actionplan.models import Activity, Area, Program
from brygga.actionplan.permissions import ActionPlanPerm
from brygga.actionplan.services.status import activity_set_status
from brygga.core.permissions import allowed, api_public_read

VIA = "API"


class _PublicOrStaff:
    """Drafts only for staff who may see them."""

    request: Any
    throttle_classes: Sequence[type[BaseThrottle]] = [AnonRateThrottle]

    @property
    def sees_drafts(self) -> bool:
        return allowed(self.request.user, ActionPlanPerm.VIEW)


def _int_param(request: Any, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError({name: ["Ange ett heltal (id)."]}) from None


class _Programs(_PublicOrStaff, generics.GenericAPIView[Program]):
    serializer_class = ProgramSerializer
    permission_classes = [api_public_read(ActionPlanPerm.MANAGE)]

    def get_queryset(self) -> QuerySet[Program]:
        programs = Program.objects.all() if self.sees_drafts else selectors.public_programs()
        return programs.prefetch_related("goals").order_by("position", "title")


class ProgramListView(_Programs, generics.ListAPIView[Program]):
    """Programs (improvement programs and business strategies) with their goals."""


class ProgramDetailView(_Programs, generics.RetrieveAPIView[Program]):
    """One program with its goals."""


class _Areas(_PublicOrStaff, generics.GenericAPIView[Area]):
    serializer_class = AreaSerializer
    permission_classes = [api_public_read(ActionPlanPerm.MANAGE)]

    def get_queryset(self) -> QuerySet[Area]:
        areas = Area.objects.all() if self.sees_drafts else selectors.public_areas()
        return areas.select_related("program").order_by("program__position", "position", "id")


@extend_schema_view(
    get=extend_schema(
        parameters=[OpenApiParameter("program", OpenApiTypes.INT, description="A program's id.")]
    )
)
class AreaListView(_Areas, generics.ListAPIView[Area]):
    """Improvement areas, optionally of one program."""

    def get_queryset(self) -> QuerySet[Area]:
        areas = super().get_queryset()
        program = _int_param(self.request, "program")
        return areas if program is None else areas.filter(program_id=program)


class AreaDetailView(_Areas, generics.RetrieveAPIView[Area]):
    """One improvement area."""


ACTIVITY_FILTERS = [
    OpenApiParameter("area", OpenApiTypes.INT, description="An area's id."),
    OpenApiParameter("program", OpenApiTypes.INT, description="A program's id."),
    OpenApiParameter("status", OpenApiTypes.STR, description="A status key, e.g. `done`."),
]


class _Activities(_PublicOrStaff, generics.GenericAPIView[Activity]):
    def get_queryset(self) -> QuerySet[Activity]:
        activities = Activity.objects.all() if self.sees_drafts else selectors.public_activities()
        return activities.select_related("area__program", "status", "contact")


@extend_schema_view(get=extend_schema(parameters=ACTIVITY_FILTERS))
class ActivityListView(_Activities, generics.ListAPIView[Activity]):
    """Activities, paginated, optionally filtered by area, program or status."""

    serializer_class = ActivitySerializer
    permission_classes = [api_public_read(ActionPlanPerm.SET_STATUS)]

    def get_queryset(self) -> QuerySet[Activity]:
        activities = super().get_queryset()
        area = _int_param(self.request, "area")
        program = _int_param(self.request, "program")
        status = self.request.query_params.get("status")
        if area is not None:
            activities = activities.filter(area_id=area)
        if program is not None:
            activities = activities.filter(area__program_id=program)
        if status:
            activities = activities.filter(status__key=status[:30])
        return activities.order_by("area__program__position", "area__position", "position", "id")


class ActivityDetailView(_Activities, generics.RetrieveUpdateAPIView[Activity]):
    """One activity with its timeline.

    PATCH (staff who may change statuses) takes ``status`` (a key) and/or
    ``status_text``. A new status writes a "status" entry on the timeline, the same
    status with a new text an "update" entry; subscribers are notified either way.
    A PATCH that changes nothing writes nothing.
    """

    serializer_class = ActivityDetailSerializer
    permission_classes = [api_public_read(ActionPlanPerm.SET_STATUS)]
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer: BaseSerializer[Activity]) -> None:
        activity = serializer.instance
        assert activity is not None
        data = serializer.validated_data
        try:
            activity_set_status(
                activity=activity,
                status=data.get("status", activity.status),
                status_text=data.get("status_text", activity.status_text),
                actor=self.request.user,
                via=VIA,
            )
        except DjangoValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"status_text": exc.messages}
            ) from None

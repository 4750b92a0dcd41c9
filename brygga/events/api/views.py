"""API views of meetings, for staff.

* ``GET /api/v1/events/`` — paginated, soonest first; ``from`` (a date: meetings
  starting that day or later, Stockholm time) and ``kind`` (a kind's key) filter.
* ``POST /api/v1/events/`` — create a meeting; answers 201 with the meeting,
  ``id`` and ``url`` (the public page's path) among its fields.
* ``GET /api/v1/events/<id>/`` — one meeting with its counts (``registered``,
  ``waitlisted``, ``invited``, ``seats_left``); ``PATCH`` changes it.

Reading needs ``EventPerm.VIEW``, writing ``EventPerm.MANAGE``. Writes go through
the services the staff pages use (``event_create``, ``event_update``: a moved
meeting is mailed to those with a seat, more seats go to the waitlist), logged with
``via="API"``. A service's ValidationError answers 400 naming the field. The counts
are annotated (correlated subqueries), so a list or a meeting is a fixed number of
queries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.serializers import BaseSerializer

from brygga.core.permissions import api_permission
from brygga.events.api.serializers import EventSerializer
from brygga.events.models import Event, EventKind
from brygga.events.permissions import EventPerm
from brygga.events.selectors_staff import with_counts
from brygga.events.services.events import EVENT_EDITABLE, event_create, event_update

VIA = "API"
# The services' field names that the API calls otherwise.
FIELD_NAMES = {"place": "location", "__all__": "non_field_errors"}
CanView = api_permission(EventPerm.VIEW)
CanManage = api_permission(EventPerm.MANAGE)


def as_drf_error(exc: DjangoValidationError) -> ValidationError:
    """A service's ValidationError as a 400 naming the API's fields."""
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {FIELD_NAMES.get(name, name): messages for name, messages in exc.message_dict.items()}
        )
    return ValidationError({"non_field_errors": exc.messages})


def events_for_api() -> QuerySet[Event]:
    return with_counts(Event.objects.select_related("kind", "organiser"))


def _service_data(validated: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in validated.items() if name in EVENT_EDITABLE}


class _EventAccess:
    request: Any

    def get_permissions(self) -> list[BasePermission]:
        perm = CanView if self.request.method in SAFE_METHODS else CanManage
        return [perm()]


EVENT_FILTERS = [
    OpenApiParameter(
        "from",
        OpenApiTypes.DATE,
        description="Meetings starting on this day or later (Stockholm time), e.g. 2026-09-01.",
    ),
    OpenApiParameter("kind", OpenApiTypes.STR, description="A kind's key, e.g. `frukostmote`."),
]


@extend_schema_view(get=extend_schema(parameters=EVENT_FILTERS))
class EventListView(_EventAccess, generics.ListCreateAPIView[Event]):
    """Meetings, soonest first, paginated; POST creates one."""

    serializer_class = EventSerializer

    def get_queryset(self) -> QuerySet[Event]:
        events = events_for_api().order_by("starts_at", "id")
        if self.request.method not in SAFE_METHODS:
            return events
        params = self.request.query_params
        errors: dict[str, list[str]] = {}
        start = params.get("from", "")
        day: dt.date | None = None
        if start:
            try:
                day = dt.date.fromisoformat(str(start)[:10])
            except ValueError:
                errors["from"] = ["Ange ett datum som 2026-09-01."]
        kind = str(params.get("kind", ""))[:30]
        if kind and not EventKind.objects.filter(key=kind).exists():
            errors["kind"] = [f"Det finns ingen typ av möte med nyckeln ”{kind}”."]
        if errors:
            raise ValidationError(errors)
        if day is not None:
            midnight = dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_default_timezone())
            events = events.filter(starts_at__gte=midnight)
        if kind:
            events = events.filter(kind__key=kind)
        return events

    def perform_create(self, serializer: BaseSerializer[Event]) -> None:
        try:
            event = event_create(
                data=_service_data(dict(serializer.validated_data)),
                actor=self.request.user,
                via=VIA,
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from None
        serializer.instance = events_for_api().get(pk=event.pk)


class EventDetailView(_EventAccess, generics.RetrieveUpdateAPIView[Event]):
    """One meeting with its counts. PATCH changes it as the staff page does: a new time
    or place is mailed to those with a seat, more seats go to the waitlist."""

    serializer_class = EventSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Event]:
        return events_for_api()

    def perform_update(self, serializer: BaseSerializer[Event]) -> None:
        event = serializer.instance
        assert event is not None
        try:
            event_update(
                event=event,
                data=_service_data(dict(serializer.validated_data)),
                actor=self.request.user,
                via=VIA,
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from None
        serializer.instance = events_for_api().get(pk=event.pk)

"""API views of visits and follow-ups, for staff.

* ``/visits/`` — list (``year``, ``kind``, ``status``, ``company`` filters) and
  create; ``/visits/<id>/`` — retrieve (with the feedback the caller may see) and
  PATCH. Reading needs ``VisitPerm.VIEW``, writing ``VisitPerm.LOG``.
* ``/follow-ups/`` — list (``mine``, ``overdue``, ``status``, ``visit`` filters) and
  create; ``/follow-ups/<id>/`` — retrieve and PATCH. Roles with ``VisitPerm.VIEW``
  read all follow-ups; anyone else reads the ones they own. Creating and changing
  any follow-up needs ``VisitPerm.LOG``; an owner with
  ``VisitPerm.WORK_FOLLOW_UPS`` may change the ``status`` and ``outcome`` of their
  own (as on the "my follow-ups" page).

Writes go through the services the staff pages use (``visit_create``,
``visit_update``, ``follow_up_create``, ``follow_up_update``), logged with
``via="API"``. A service's ValidationError answers 400 with the field's message.
Every list and detail is a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.serializers import BaseSerializer

from brygga.accounts.models import User
from brygga.core.permissions import allowed
from brygga.register.api.views import parse_company_key
from brygga.register.identity import IdentityError
from brygga.register.models import Company
from brygga.register.permissions import RegisterPerm
from brygga.visits.api.serializers import (
    FollowUpSerializer,
    VisitDetailSerializer,
    VisitSerializer,
)
from brygga.visits.models import FollowUp, Visit, VisitCompany, VisitKind
from brygga.visits.permissions import VisitPerm
from brygga.visits.selectors_feedback import feedback_visible_to
from brygga.visits.services.followups import follow_up_create, follow_up_update
from brygga.visits.services.visits import VisitData, visit_create, visit_update

VIA = "API"
YEAR_MIN, YEAR_MAX = 1900, 2100
ID_MAX = 2**63  # larger ints overflow the database's integer
OWNER_FIELDS = frozenset({"status", "outcome"})
# The services name a visit's companies "companies"; the API writes "org_numbers".
FIELD_NAMES = {"companies": "org_numbers", "__all__": "non_field_errors"}


class VisitAccess(BasePermission):
    """Reading needs ``VisitPerm.VIEW``, writing ``VisitPerm.LOG``."""

    def has_permission(self, request: Any, view: Any) -> bool:
        perm = VisitPerm.VIEW if request.method in SAFE_METHODS else VisitPerm.LOG
        return allowed(request.user, perm)


class FollowUpAccess(BasePermission):
    """Any active staff member reads (the queryset limits them to their own unless they
    have ``VisitPerm.VIEW``); ``VisitPerm.LOG`` writes; an owner with
    ``VisitPerm.WORK_FOLLOW_UPS`` changes their own."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (getattr(user, "is_authenticated", False) and user.is_active):
            return False
        if request.method in SAFE_METHODS:
            return True
        if request.method == "POST":
            return allowed(user, VisitPerm.LOG)
        return allowed(user, VisitPerm.LOG) or allowed(user, VisitPerm.WORK_FOLLOW_UPS)

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        user = request.user
        if allowed(user, VisitPerm.LOG):
            return True
        if request.method in SAFE_METHODS:
            return allowed(user, VisitPerm.VIEW) or obj.owner_id == user.pk
        return obj.owner_id == user.pk and allowed(user, VisitPerm.WORK_FOLLOW_UPS)


def as_drf_error(exc: DjangoValidationError) -> ValidationError:
    """A service's ValidationError as a 400 naming the API's fields."""
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {FIELD_NAMES.get(name, name): messages for name, messages in exc.message_dict.items()}
        )
    return ValidationError({"non_field_errors": exc.messages})


def _int_param(params: Any, name: str, errors: dict[str, list[str]]) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        errors[name] = ["Ange ett heltal."]
        return None
    if name == "year" and not YEAR_MIN <= value <= YEAR_MAX:
        errors[name] = [f"Ange ett år mellan {YEAR_MIN} och {YEAR_MAX}."]
        return None
    if not 0 < value < ID_MAX:
        errors[name] = ["Ange ett id (ett positivt heltal)."]
        return None
    return value


def _bool_param(params: Any, name: str, errors: dict[str, list[str]]) -> bool | None:
    raw = str(params.get(name, "")).strip().lower()
    if raw == "":
        return None
    if raw in {"1", "true", "yes", "ja"}:
        return True
    if raw in {"0", "false", "no", "nej"}:
        return False
    errors[name] = ["Ange true eller false."]
    return None


def _choice_param(
    params: Any, name: str, choices: list[str], errors: dict[str, list[str]]
) -> str | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    if raw not in choices:
        errors[name] = [f"Ange ett av: {', '.join(choices)}."]
        return None
    return str(raw)


class _Context:
    request: Any

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()  # type: ignore[misc]
        context["show_personal_number"] = allowed(
            self.request.user, RegisterPerm.VIEW_PERSONAL_NUMBER
        )
        return context


# ---------------------------------------------------------------- visits


def visits_for_api() -> QuerySet[Visit]:
    return Visit.objects.select_related("kind", "created_by").prefetch_related(
        Prefetch("companies", queryset=Company.objects.order_by("name", "id")),
        Prefetch("staff", queryset=User.objects.order_by("full_name", "id")),
    )


VISIT_FILTERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="Visits dated in this year."),
    OpenApiParameter("kind", OpenApiTypes.STR, description="A kind's key, e.g. `besok`."),
    OpenApiParameter("status", OpenApiTypes.STR, enum=Visit.Status.values),
    OpenApiParameter(
        "company",
        OpenApiTypes.STR,
        description="Visits to the company with this org number (any form).",
    ),
]


@extend_schema_view(get=extend_schema(parameters=VISIT_FILTERS))
class VisitListView(_Context, generics.ListCreateAPIView[Visit]):
    """Visits, newest first, paginated; POST logs a visit (``org_numbers`` required)."""

    serializer_class = VisitSerializer
    permission_classes = [VisitAccess]

    def get_queryset(self) -> QuerySet[Visit]:
        visits = visits_for_api().order_by("-date", "-id")
        if self.request.method not in SAFE_METHODS:
            return visits
        params = self.request.query_params
        errors: dict[str, list[str]] = {}
        year = _int_param(params, "year", errors)
        status = _choice_param(params, "status", list(Visit.Status.values), errors)
        kind = params.get("kind", "")
        if kind and not VisitKind.objects.filter(key=kind[:30]).exists():
            errors["kind"] = [f"Det finns ingen typ av kontakt med nyckeln ”{kind[:30]}”."]
        company = params.get("company", "")
        key: tuple[str, int | None] | None = None
        if company:
            try:
                key = parse_company_key(str(company)[:40])
            except IdentityError as exc:
                errors["company"] = [f"Inget giltigt organisationsnummer: {exc}."]
        if errors:
            raise ValidationError(errors)
        if year is not None:
            visits = visits.filter(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31))
        if status:
            visits = visits.filter(status=status)
        if kind:
            visits = visits.filter(kind__key=kind)
        if key is not None:
            digits, number = key
            links = VisitCompany.objects.filter(visit_id=OuterRef("pk"), company__identity=digits)
            if number is not None:
                links = links.filter(company__name_protection_no=number)
            visits = visits.filter(Exists(links))
        return visits

    def perform_create(self, serializer: BaseSerializer[Visit]) -> None:
        data = serializer.validated_data
        try:
            visit = visit_create(
                data=VisitData(
                    companies=data["org_numbers"],
                    date=data["date"],
                    kind=data["kind"],
                    status=data.get("status", Visit.Status.HELD),
                    staff=data.get("staff", []),
                    politicians=data.get("politicians", ""),
                    other_participants=data.get("other_participants", ""),
                    notes=data.get("notes", ""),
                    rating=data.get("rating"),
                ),
                actor=self.request.user,
                via=VIA,
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from None
        serializer.instance = visits_for_api().get(pk=visit.pk)


class VisitDetailView(_Context, generics.RetrieveUpdateAPIView[Visit]):
    """One visit with the feedback the caller may see. PATCH changes its fields;
    ``org_numbers`` replaces its companies and ``staff`` its staff."""

    serializer_class = VisitDetailSerializer
    permission_classes = [VisitAccess]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Visit]:
        visible = feedback_visible_to(self.request.user).select_related("topic").order_by("id")
        return visits_for_api().prefetch_related(
            Prefetch("feedback", queryset=visible, to_attr="visible_feedback")
        )

    def perform_update(self, serializer: BaseSerializer[Visit]) -> None:
        visit = serializer.instance
        assert visit is not None
        data = dict(serializer.validated_data)
        companies = data.pop("org_numbers", None)
        staff = data.pop("staff", None)
        try:
            visit_update(
                visit=visit,
                data=data,
                companies=companies,
                staff=staff,
                actor=self.request.user,
                via=VIA,
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from None
        serializer.instance = self.get_queryset().get(pk=visit.pk)


# ---------------------------------------------------------------- follow-ups


FOLLOW_UP_FILTERS = [
    OpenApiParameter("mine", OpenApiTypes.BOOL, description="Only the caller's own."),
    OpenApiParameter(
        "overdue", OpenApiTypes.BOOL, description="Only open follow-ups past their due date."
    ),
    OpenApiParameter("status", OpenApiTypes.STR, enum=FollowUp.Status.values),
    OpenApiParameter("visit", OpenApiTypes.INT, description="Only this visit's (its id)."),
]


class _FollowUps(generics.GenericAPIView[FollowUp]):
    serializer_class = FollowUpSerializer
    permission_classes = [FollowUpAccess]

    def get_queryset(self) -> QuerySet[FollowUp]:
        follow_ups = FollowUp.objects.select_related("visit", "owner").prefetch_related(
            Prefetch("visit__companies", queryset=Company.objects.order_by("name", "id"))
        )
        if not allowed(self.request.user, VisitPerm.VIEW):
            follow_ups = follow_ups.filter(owner_id=self.request.user.pk)
        return follow_ups.order_by("due_on", "id")


@extend_schema_view(get=extend_schema(parameters=FOLLOW_UP_FILTERS))
class FollowUpListView(_FollowUps, generics.ListCreateAPIView[FollowUp]):
    """Follow-ups, the earliest due first; POST creates one (the caller owns it
    unless ``owner`` says otherwise)."""

    def get_queryset(self) -> QuerySet[FollowUp]:
        follow_ups = super().get_queryset()
        if self.request.method not in SAFE_METHODS:
            return follow_ups
        params = self.request.query_params
        errors: dict[str, list[str]] = {}
        mine = _bool_param(params, "mine", errors)
        overdue = _bool_param(params, "overdue", errors)
        status = _choice_param(params, "status", list(FollowUp.Status.values), errors)
        visit = _int_param(params, "visit", errors)
        if errors:
            raise ValidationError(errors)
        if mine:
            follow_ups = follow_ups.filter(owner_id=self.request.user.pk)
        late = Q(status=FollowUp.Status.OPEN, due_on__lt=timezone.localdate())
        if overdue is True:
            follow_ups = follow_ups.filter(late)
        elif overdue is False:
            follow_ups = follow_ups.exclude(late)
        if status:
            follow_ups = follow_ups.filter(status=status)
        if visit is not None:
            follow_ups = follow_ups.filter(visit_id=visit)
        return follow_ups

    @transaction.atomic
    def perform_create(self, serializer: BaseSerializer[FollowUp]) -> None:
        data = serializer.validated_data
        user = self.request.user
        try:
            follow_up = follow_up_create(
                visit=data["visit"],
                title=data["title"],
                owner=data.get("owner", user),
                due_on=data["due_on"],
                actor=user,
                via=VIA,
            )
            rest = {name: data[name] for name in OWNER_FIELDS if name in data}
            if rest:
                follow_up_update(follow_up=follow_up, data=rest, actor=user, via=VIA)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from None
        serializer.instance = self.get_queryset().get(pk=follow_up.pk)


class FollowUpDetailView(_FollowUps, generics.RetrieveUpdateAPIView[FollowUp]):
    """One follow-up. PATCH changes it; closing it (``done``, ``cancelled``) stamps
    ``done_at``, reopening clears it, and a new ``due_on`` lets the reminder go out
    again."""

    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer: BaseSerializer[FollowUp]) -> None:
        follow_up = serializer.instance
        assert follow_up is not None
        user = self.request.user
        data = {k: v for k, v in serializer.validated_data.items() if k != "visit"}
        if not allowed(user, VisitPerm.LOG) and set(data) - OWNER_FIELDS:
            raise PermissionDenied(
                "Du kan bara ändra status och resultat på dina egna uppföljningar."
            )
        try:
            follow_up_update(follow_up=follow_up, data=data, actor=user, via=VIA)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from None
        serializer.instance = self.get_queryset().get(pk=follow_up.pk)

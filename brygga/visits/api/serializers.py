"""Visits and follow-ups in the API.

Companies are written as **org numbers** (``org_numbers``: any form the register's
API takes — ``556036-0793``, ``5560360793``, SCB's ``16`` prefix — and, for one of a
sole trader's several businesses, the personnummer with ``-<namnskyddslöpnummer>``)
and read back as ``companies``: objects with the register's ``id``, ``org_number``
(masked for roles that may not see personnummer) and ``name``. Org numbers are what
other systems hold; ids would have to be looked up first. Staff and a follow-up's
owner are users' e-mail addresses (the login), read and written alike.

Kinds are the managed list's stable keys (``besok``, ``telefon``, …); a visit's
``feedback`` lists only the items the caller may see (a case officer: their own
department's topics).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from brygga.accounts.models import User
from brygga.register.api.views import parse_company_key
from brygga.register.identity import IdentityError
from brygga.register.models import Company
from brygga.visits.models import Feedback, FollowUp, Topic, Visit, VisitKind
from brygga.visits.selectors_feedback import is_department_scoped

MAX_COMPANIES = 100


@extend_schema_field(OpenApiTypes.STR)
class StatusField(serializers.ChoiceField):
    """A status key. Described as a plain string with its values in the description:
    as an enum it would clash with the register's company ``status`` in the schema
    (drf-spectacular warns about enums that share a field name)."""

    def __init__(self, choices: Any, **kwargs: Any) -> None:
        values = ", ".join(f"`{value}`" for value, _label in choices)
        kwargs.setdefault("help_text", f"One of {values}.")
        super().__init__(choices=choices, **kwargs)


class VisitCompanyRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    org_number = serializers.SerializerMethodField(
        help_text="Organisationsnummer, or a sole trader's personnummer (masked for "
        "roles that may not see it)."
    )
    name = serializers.CharField(read_only=True)

    @extend_schema_field(serializers.CharField())
    def get_org_number(self, company: Company) -> str:
        if self.context.get("show_personal_number"):
            return company.identity_display
        return company.identity_masked


class VisitFeedbackSerializer(serializers.ModelSerializer[Feedback]):
    topic: serializers.SlugRelatedField[Topic] = serializers.SlugRelatedField(
        slug_field="key", read_only=True, help_text="The topic's stable key."
    )
    topic_label = serializers.CharField(source="topic.label", read_only=True)

    class Meta:
        model = Feedback
        fields = [
            "id",
            "company",
            "topic",
            "topic_label",
            "sentiment",
            "text",
            "area",
            "activity",
        ]
        read_only_fields = fields


def resolve_org_numbers(values: list[str]) -> list[Company]:
    """The companies named by ``values``, in order; a ValidationError lists every
    value that names no company (or more than one)."""
    companies: list[Company] = []
    errors: dict[int, list[str]] = {}
    for index, raw in enumerate(values):
        try:
            digits, number = parse_company_key(raw)
        except IdentityError as exc:
            errors[index] = [f"”{raw}” är inget giltigt organisationsnummer: {exc}."]
            continue
        found = Company.objects.filter(identity=digits)
        if number is not None:
            found = found.filter(name_protection_no=number)
        matches = list(found.order_by("name_protection_no")[:2])
        if not matches:
            errors[index] = [f"Inget företag i registret har nummer ”{raw}”."]
        elif len(matches) > 1:
            errors[index] = [f"Flera företag har nummer ”{raw}”; lägg till -<namnskyddslöpnummer>."]
        else:
            companies.append(matches[0])
    if errors:
        raise serializers.ValidationError(errors)  # type: ignore[arg-type]
    return companies


class VisitSerializer(serializers.ModelSerializer[Visit]):
    kind: serializers.SlugRelatedField[VisitKind] = serializers.SlugRelatedField(
        slug_field="key",
        queryset=VisitKind.objects.filter(active=True),
        help_text="A kind's stable key: besok, lunch, telefon, digitalt, massa, "
        "natverkstraff, or one the office added.",
        error_messages={"does_not_exist": "Det finns ingen typ av kontakt med nyckeln ”{value}”."},
    )
    kind_label = serializers.CharField(source="kind.label", read_only=True)
    status = StatusField(Visit.Status.choices, required=False)
    companies = serializers.SerializerMethodField(help_text="The companies of the visit.")
    org_numbers = serializers.ListField(
        child=serializers.CharField(max_length=40),
        write_only=True,
        required=False,
        min_length=1,
        max_length=MAX_COMPANIES,
        help_text="Write only: the companies of the visit by org number (any form; a "
        "sole trader's business as <personnummer>-<löpnummer>). Required when "
        "creating; in a PATCH it replaces the companies.",
    )
    staff: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="email",
        many=True,
        required=False,
        queryset=User.objects.filter(is_active=True),
        help_text="E-mail addresses of the staff who took part.",
        error_messages={"does_not_exist": "Ingen aktiv användare har e-postadressen ”{value}”."},
    )
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="email", read_only=True, allow_null=True
    )

    class Meta:
        model = Visit
        fields = [
            "id",
            "date",
            "kind",
            "kind_label",
            "status",
            "companies",
            "org_numbers",
            "staff",
            "politicians",
            "other_participants",
            "notes",
            "rating",
            "imported",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["imported", "created_at", "updated_at"]

    @extend_schema_field(VisitCompanyRefSerializer(many=True))
    def get_companies(self, visit: Visit) -> list[dict[str, Any]]:
        return list(
            VisitCompanyRefSerializer(visit.companies.all(), many=True, context=self.context).data
        )

    def validate_org_numbers(self, value: list[str]) -> list[Company]:
        return resolve_org_numbers(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and not attrs.get("org_numbers"):
            raise serializers.ValidationError({"org_numbers": ["Ange minst ett företag."]})
        return attrs

    def to_representation(self, instance: Visit) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and is_department_scoped(request.user):
            data.pop("notes", None)  # internal notes are never shown to case officers
        return data


class VisitDetailSerializer(VisitSerializer):
    feedback = serializers.SerializerMethodField(
        help_text="Feedback heard in the visit that the caller may see."
    )

    class Meta(VisitSerializer.Meta):
        fields = [*VisitSerializer.Meta.fields, "feedback"]

    @extend_schema_field(VisitFeedbackSerializer(many=True))
    def get_feedback(self, visit: Visit) -> list[dict[str, Any]]:
        # The view prefetches the visible items into ``visible_feedback``.
        items = getattr(visit, "visible_feedback", [])
        return list(VisitFeedbackSerializer(items, many=True).data)


class FollowUpSerializer(serializers.ModelSerializer[FollowUp]):
    visit = serializers.PrimaryKeyRelatedField(
        queryset=Visit.objects.all(),
        help_text="The visit's id. Set when creating; a follow-up cannot move.",
    )
    visit_date = serializers.DateField(source="visit.date", read_only=True)
    companies = serializers.SerializerMethodField(help_text="Names of the visit's companies.")
    owner: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="email",
        required=False,
        queryset=User.objects.filter(is_active=True),
        help_text="E-mail address of the owner; the caller when left out.",
        error_messages={"does_not_exist": "Ingen aktiv användare har e-postadressen ”{value}”."},
    )
    status = StatusField(FollowUp.Status.choices, required=False)
    overdue = serializers.SerializerMethodField(help_text="Open and past its due date.")

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "visit",
            "visit_date",
            "companies",
            "title",
            "owner",
            "due_on",
            "status",
            "outcome",
            "overdue",
            "done_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["done_at", "created_at", "updated_at"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_companies(self, follow_up: FollowUp) -> list[str]:
        return [c.name for c in follow_up.visit.companies.all()]

    def get_overdue(self, follow_up: FollowUp) -> bool:
        return follow_up.status == FollowUp.Status.OPEN and follow_up.due_on < timezone.localdate()

    def validate_visit(self, value: Visit) -> Visit:
        if self.instance is not None and value.pk != self.instance.visit_id:
            raise serializers.ValidationError(
                "En uppföljning kan inte flyttas till ett annat besök."
            )
        return value

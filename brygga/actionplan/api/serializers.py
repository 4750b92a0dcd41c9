"""The action plan in the API: programs, areas and activities as the public sees them.

An activity's ``status`` is the status's stable key (``done``, ``investigating``, …);
``url`` is the path of its public page. Staff change ``status`` and ``status_text``
with PATCH, which calls the same service as the staff page.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from brygga.actionplan.models import (
    Activity,
    ActivityStatus,
    ActivityUpdate,
    Area,
    Goal,
    Program,
)
from brygga.actionplan.services.status import TEXT_MAX
from brygga.core.text import clean_public_text


class GoalSerializer(serializers.ModelSerializer[Goal]):
    class Meta:
        model = Goal
        fields = ["id", "title", "description", "target"]


class ProgramSerializer(serializers.ModelSerializer[Program]):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    goals = GoalSerializer(many=True, read_only=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "title",
            "url",
            "summary",
            "description",
            "period_start",
            "period_end",
            "source",
            "source_detail",
            "goals",
            "published",
        ]


class AreaSerializer(serializers.ModelSerializer[Area]):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    program_title = serializers.CharField(source="program.title", read_only=True)

    class Meta:
        model = Area
        fields = [
            "id",
            "title",
            "url",
            "program",
            "program_title",
            "goal",
            "summary",
            "description",
            "published",
        ]


class ContactSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="full_name")
    title = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    status = serializers.SlugRelatedField(
        slug_field="key",
        queryset=ActivityStatus.objects.all(),
        help_text="The status's stable key: planned, ongoing, investigating, done, "
        "cancelled, or one the office added.",
        error_messages={"does_not_exist": "Det finns ingen status med nyckeln ”{value}”."},
    )
    status_label = serializers.CharField(source="status.label", read_only=True)
    status_text = serializers.CharField(
        max_length=TEXT_MAX,
        allow_blank=True,
        required=False,
        help_text="The public status text. Omitted in a PATCH: the current one is kept.",
    )
    area_title = serializers.CharField(source="area.title", read_only=True)
    program = serializers.IntegerField(source="area.program_id", read_only=True)
    program_title = serializers.CharField(source="area.program.title", read_only=True)
    url = serializers.CharField(
        source="get_absolute_url", read_only=True, help_text="Path of the public page."
    )
    contact = ContactSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "status",
            "status_label",
            "status_text",
            "area",
            "area_title",
            "program",
            "program_title",
            "url",
            "description",
            "further_info",
            "contact",
            "start_date",
            "end_date",
            "published",
            "updated_at",
        ]
        read_only_fields = [
            f for f in fields if f not in {"status", "status_text"}
        ]  # the rest is edited on the staff pages

    def validate_status_text(self, value: str) -> str:
        return clean_public_text(value)


class TimelineEntrySerializer(serializers.ModelSerializer[ActivityUpdate]):
    status: serializers.SlugRelatedField[ActivityStatus] = serializers.SlugRelatedField(
        slug_field="key", read_only=True
    )
    previous_status: serializers.SlugRelatedField[ActivityStatus] = serializers.SlugRelatedField(
        slug_field="key", read_only=True
    )

    class Meta:
        model = ActivityUpdate
        fields = ["id", "at", "kind", "status", "previous_status", "text"]


class ActivityDetailSerializer(ActivitySerializer):
    timeline = serializers.SerializerMethodField(help_text="Timeline entries, newest first.")

    class Meta(ActivitySerializer.Meta):
        fields = [*ActivitySerializer.Meta.fields, "timeline"]

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, activity: Activity) -> list[dict[str, Any]]:
        entries = activity.updates.select_related("status", "previous_status").order_by(
            "-at", "-id"
        )
        if activity.published_at is not None:
            # As on the public page: what was written while it was a draft stays internal.
            entries = entries.filter(at__gte=activity.published_at)
        return list(TimelineEntrySerializer(entries, many=True).data)

"""A meeting in the API.

Times are ISO 8601; a time without an offset is read as Europe/Stockholm wall-clock
time (the site's time zone), and times are answered with their offset. The kind is
the managed list's stable key (``frukostmote``, ``dialogmote``, …; ``frukostmote``
when left out). ``location`` is the place (the venue's name, free text), with
``locality`` and ``address`` beside it; ``where`` reads them back as one line. The
organiser is a staff user's e-mail address (the login).

Read only: ``url`` (the public page's path), ``status``, ``series`` and the counts
``registered`` (seats taken), ``waitlisted``, ``invited`` and ``seats_left`` (null
when the number of seats is free).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from brygga.accounts.models import User
from brygga.events.models import Event, EventKind

DEFAULT_KIND = "frukostmote"


class EventSerializer(serializers.ModelSerializer[Event]):
    url = serializers.SerializerMethodField(help_text="The path of the meeting's public page.")
    kind: serializers.SlugRelatedField[EventKind] = serializers.SlugRelatedField(
        slug_field="key",
        queryset=EventKind.objects.filter(active=True),
        required=False,
        help_text=f"A kind's stable key, e.g. `{DEFAULT_KIND}` (the default), `lunchmote`, "
        "`dialogmote`, `politikerlunch`, `upphandlingsmote`.",
        error_messages={"does_not_exist": "Det finns ingen typ av möte med nyckeln ”{value}”."},
    )
    kind_label = serializers.CharField(source="kind.label", read_only=True)
    starts_at = serializers.DateTimeField(
        help_text="ISO 8601; without an offset the time is Europe/Stockholm's."
    )
    ends_at = serializers.DateTimeField(
        help_text="ISO 8601; without an offset the time is Europe/Stockholm's."
    )
    registration_deadline = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="ISO 8601, or null for none: registration closes at this time.",
    )
    location = serializers.CharField(
        source="place",
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Where the meeting is held: the venue's name (free text).",
    )
    where = serializers.CharField(
        read_only=True, help_text="Location, address and locality as one line."
    )
    capacity = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="Number of seats, or null when the number is free.",
        error_messages={
            "min_value": "Ange minst 1 plats, eller null för fritt antal.",
            "invalid": "Ange antalet platser som ett heltal.",
        },
    )
    organiser: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="email",
        required=False,
        allow_null=True,
        queryset=User.objects.filter(is_active=True),
        help_text="E-mail address of the staff member participants may ask.",
        error_messages={"does_not_exist": "Ingen aktiv användare har e-postadressen ”{value}”."},
    )
    status = serializers.CharField(
        read_only=True, help_text="`scheduled`, or `cancelled` once the meeting is cancelled."
    )
    registered = serializers.IntegerField(read_only=True, help_text="Seats taken.")
    waitlisted = serializers.IntegerField(read_only=True, help_text="People on the waitlist.")
    invited = serializers.IntegerField(read_only=True, help_text="Invitations sent.")
    seats_left = serializers.SerializerMethodField(
        help_text="Free seats; null when the number of seats is free."
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "url",
            "kind",
            "kind_label",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "location",
            "locality",
            "address",
            "where",
            "organiser",
            "capacity",
            "public",
            "regulatory",
            "registration_open",
            "registration_deadline",
            "status",
            "series",
            "registered",
            "waitlisted",
            "invited",
            "seats_left",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["series", "created_at", "updated_at"]

    def get_url(self, event: Event) -> str:
        return event.get_absolute_url()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_seats_left(self, event: Event) -> int | None:
        if event.capacity is None:
            return None
        return max(event.capacity - getattr(event, "registered", 0), 0)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance
        starts = attrs.get("starts_at", getattr(instance, "starts_at", None))
        ends = attrs.get("ends_at", getattr(instance, "ends_at", None))
        errors: dict[str, list[str]] = {}
        if starts and ends and ends <= starts:
            errors["ends_at"] = ["Mötet måste sluta efter att det börjar."]
        deadline = attrs.get("registration_deadline")
        if deadline and starts and deadline > starts:
            errors["registration_deadline"] = [
                "Sista anmälningsdag kan inte vara efter att mötet börjar."
            ]
        if errors:
            raise serializers.ValidationError(errors)
        if instance is None and "kind" not in attrs:
            kind = EventKind.objects.filter(key=DEFAULT_KIND).first()
            if kind is None:
                raise serializers.ValidationError({"kind": ["Ange typ av möte."]})
            attrs["kind"] = kind
        return attrs

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from brygga.insights.suggestions import SUGGESTIONS_MAX


class YearQuerySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        required=False,
        help_text="Året (standard: innevarande år).",
        error_messages={
            "invalid": "Ange året med fyra siffror, t.ex. 2026.",
            "min_value": "Året ska vara 2000 eller senare.",
            "max_value": "Året ska vara 2100 eller tidigare.",
        },
    )

    def validated_year(self) -> int:
        year: int | None = self.validated_data.get("year")
        return year if year is not None else timezone.localdate().year


class SuggestionQuerySerializer(YearQuerySerializer):
    n = serializers.IntegerField(
        min_value=1,
        max_value=SUGGESTIONS_MAX,
        required=False,
        default=10,
        help_text=f"Antal förslag, 1 till {SUGGESTIONS_MAX} (standard 10).",
        error_messages={
            "invalid": "Ange antalet som ett heltal.",
            "min_value": "Ange minst 1.",
            "max_value": f"Högst {SUGGESTIONS_MAX} förslag åt gången.",
        },
    )


class GroupSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(
        help_text="SNI-avdelning (A till U), ort eller storleksklass; ? saknas."
    )
    label = serializers.CharField()  # type: ignore[assignment]  # the field, not Field.label
    companies = serializers.IntegerField(help_text="Aktiva företag.")
    visited = serializers.IntegerField(help_text="Besökta aktiva företag.")


class CoverageSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    target = serializers.IntegerField(allow_null=True, help_text="Årets besöksmål, om satt.")
    visits = serializers.IntegerField(help_text="Genomförda besök under året.")
    companies_visited = serializers.IntegerField()
    active_companies = serializers.IntegerField()
    coverage = serializers.FloatField(
        allow_null=True, help_text="Besökta / aktiva, mellan 0 och 1."
    )
    representativeness = serializers.FloatField(
        allow_null=True, help_text="1 - D över SNI-avdelningarna, mellan 0 och 1; null utan besök."
    )
    by_sni_section = GroupSerializer(many=True)
    by_locality = GroupSerializer(many=True)
    by_size_class = GroupSerializer(many=True)


class SuggestionSerializer(serializers.Serializer[Any]):
    org_number = serializers.CharField(help_text="Maskerat för enskilda näringsidkare.")
    name = serializers.CharField()
    reason = serializers.CharField()
    company_id = serializers.IntegerField()
    section = serializers.CharField()
    locality = serializers.CharField()
    size_class = serializers.CharField()

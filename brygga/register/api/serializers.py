"""Read-only representations of companies for the API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from brygga.register.models import Company


class CompanySerializer(serializers.Serializer[Company]):
    """A company; the personnummer of a sole trader is masked unless the context allows it.

    The view passes ``show_personal_number`` in the context, decided once per request
    from ``RegisterPerm.VIEW_PERSONAL_NUMBER``.
    """

    org_number = serializers.SerializerMethodField(
        help_text="Organisationsnummer (NNNNNN-NNNN) or, for a sole trader, the "
        "personnummer (ÅÅÅÅMMDD-NNNN), masked for roles that may not see it."
    )
    identity_kind = serializers.CharField(read_only=True, help_text="`org` or `pnr`.")
    name_protection_no = serializers.IntegerField(
        read_only=True, help_text="Namnskyddslöpnummer; 0 when the register gave none."
    )
    name = serializers.CharField(read_only=True)
    legal_form = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=Company.Status.choices, read_only=True)
    deregistered_on = serializers.DateField(read_only=True, allow_null=True)
    registered_on = serializers.DateField(read_only=True, allow_null=True)
    sni_codes = serializers.SerializerMethodField(help_text="SNI codes, the primary one first.")
    sni_system = serializers.SerializerMethodField(
        help_text="Code system of the primary SNI code (`sni2007` or `sni2025`)."
    )
    postal_code = serializers.CharField(read_only=True)
    postal_town = serializers.CharField(read_only=True)
    tags = serializers.SerializerMethodField(help_text="Tag names.")

    @extend_schema_field(serializers.CharField())
    def get_org_number(self, company: Company) -> str:
        if self.context.get("show_personal_number"):
            return company.identity_display
        return company.identity_masked

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_sni_codes(self, company: Company) -> list[str]:
        # Ordered in Python over the prefetched rows, so no query per company.
        return [s.code for s in sorted(company.sni_codes.all(), key=lambda s: s.position)]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_sni_system(self, company: Company) -> str | None:
        codes = sorted(company.sni_codes.all(), key=lambda s: s.position)
        return codes[0].system if codes else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, company: Company) -> list[str]:
        return sorted(t.name for t in company.tags.all())

"""API views: the company list with search, and one company by its key."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from brygga.core.permissions import allowed, api_permission
from brygga.register.api.serializers import CompanySerializer
from brygga.register.filters import filters_from
from brygga.register.identity import IdentityError, parse_identity
from brygga.register.models import Company
from brygga.register.ordering import name_order
from brygga.register.permissions import RegisterPerm
from brygga.register.search import SearchResult, company_search
from brygga.register.selectors import company_filter

FILTER_KEYS = ("sni", "town", "status", "tag", "consent", "ad_block")


def parse_company_key(raw: str) -> tuple[str, int | None]:
    """``(identity digits, löpnummer or None)`` from a company key in any common form.

    Accepted: ``556677-8899``, ``5566778899``, ``165566778899`` (SCB's prefix),
    ``19121212-1212`` / ``191212121212`` (a sole trader's personnummer) and, for one
    of several businesses under the same identity, the identity followed by
    ``-<namnskyddslöpnummer>``: ``191212121212-2`` or ``19121212-1212-2``.
    Raises :class:`IdentityError` for anything else.
    """
    raw = raw.strip()
    head, sep, tail = raw.rpartition("-")
    if sep and tail.isdigit() and len(tail) <= 6:
        try:
            return parse_identity(head).digits, int(tail)
        except IdentityError:
            pass  # the hyphen belongs to the number itself: 556677-8899
    return parse_identity(raw).digits, None


class _CompanyQueryMixin:
    request: Any

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()  # type: ignore[misc]
        context["show_personal_number"] = allowed(
            self.request.user, RegisterPerm.VIEW_PERSONAL_NUMBER
        )
        return context


FILTER_PARAMETERS = [
    OpenApiParameter(
        "search",
        OpenApiTypes.STR,
        description="Name (part of it) or organisationsnummer in any form, with or "
        "without hyphen or SCB's 16 prefix. Every word must occur in a name; names "
        "that start with the search come first. A search lists at most 1,000 "
        "companies; `truncated` in the answer says when more matched (narrow the "
        "search with more words or filters). With no exact match, each misspelt "
        "word is corrected to the most alike word of a name.",
    ),
    OpenApiParameter("sni", OpenApiTypes.STR, description="SNI section, A to U."),
    OpenApiParameter("town", OpenApiTypes.STR, description="Postal town, any case."),
    OpenApiParameter("status", OpenApiTypes.STR, enum=Company.Status.values),
    OpenApiParameter("tag", OpenApiTypes.STR, description="A tag's slug."),
    OpenApiParameter(
        "consent",
        OpenApiTypes.BOOL,
        description="Only companies with a contact who consented to mailings.",
    ),
    OpenApiParameter("ad_block", OpenApiTypes.STR, enum=["yes", "no"]),
]


class CompanyPagination(PageNumberPagination):
    """Page numbers, plus whether a search matched more than it lists."""

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        listed = self.page.paginator.object_list if self.page is not None else None
        response.data["truncated"] = isinstance(listed, SearchResult) and listed.capped
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["truncated"] = {
            "type": "boolean",
            "description": "True when the search matched more companies than it lists.",
        }
        return paginated


@extend_schema(parameters=FILTER_PARAMETERS)
class CompanyListView(_CompanyQueryMixin, generics.ListAPIView[Company]):
    """Companies in the register, paginated, with the staff list's search and filters."""

    serializer_class = CompanySerializer
    pagination_class = CompanyPagination

    permission_classes = [api_permission(RegisterPerm.VIEW)]

    def get_queryset(self) -> QuerySet[Company] | SearchResult:  # type: ignore[override]
        params = self.request.query_params
        data = {key: params[key] for key in FILTER_KEYS if key in params}
        data["q"] = str(params.get("search", ""))[:200]
        form, filters = filters_from(data)
        if filters is None:
            raise ValidationError(
                {
                    ("search" if field == "q" else field): [str(e) for e in errors]
                    for field, errors in form.errors.items()
                }
            )
        # Two prefetches, whatever the page size: the query count stays constant.
        qs = company_filter(Company.objects.prefetch_related("sni_codes", "tags"), filters)
        if filters.q.strip():
            return company_search(qs, filters.q)
        return qs.order_by(*name_order())


class CompanyDetailView(_CompanyQueryMixin, generics.RetrieveAPIView[Company]):
    """One company by its key.

    ``org_number`` is an organisationsnummer or personnummer in any form. A sole
    trader may run several businesses under one personnummer: append
    ``-<namnskyddslöpnummer>`` to pick one (``191212121212-2``). Without it the
    business with the lowest löpnummer is returned; its ``name_protection_no`` tells
    which, and the list endpoint (``?search=<personnummer>``) shows all of them.
    """

    serializer_class = CompanySerializer

    permission_classes = [api_permission(RegisterPerm.VIEW)]

    def get_queryset(self) -> QuerySet[Company]:
        return Company.objects.prefetch_related("sni_codes", "tags")

    def get_object(self) -> Company:
        try:
            digits, number = parse_company_key(self.kwargs["org_number"])
        except IdentityError:
            raise Http404 from None
        companies = self.get_queryset().filter(identity=digits)
        if number is not None:
            companies = companies.filter(name_protection_no=number)
        company = companies.order_by("name_protection_no").first()
        if company is None:
            raise Http404
        self.check_object_permissions(self.request, company)
        return company

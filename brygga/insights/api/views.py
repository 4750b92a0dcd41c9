"""The office's figures as API (staff only): a year's coverage and representativeness,
and whom to visit next. Both are the staff pages' selectors, serialised."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from brygga.core.permissions import api_permission
from brygga.insights.api.serializers import (
    CoverageSerializer,
    SuggestionQuerySerializer,
    SuggestionSerializer,
    YearQuerySerializer,
)
from brygga.insights.permissions import InsightsPerm
from brygga.insights.selectors import visit_coverage
from brygga.insights.suggestions import visit_suggestions


class VisitCoverageView(APIView):
    permission_classes = [api_permission(InsightsPerm.VIEW)]

    @extend_schema(parameters=[YearQuerySerializer], responses=CoverageSerializer)
    def get(self, request: Request) -> Response:
        """A year's visits against its target, coverage and representativeness."""
        query = YearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        coverage = visit_coverage(query.validated_year())
        return Response(CoverageSerializer(asdict(coverage)).data)


class VisitSuggestionsView(APIView):
    permission_classes = [api_permission(InsightsPerm.SUGGESTIONS)]

    @extend_schema(
        parameters=[SuggestionQuerySerializer], responses=SuggestionSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        """Active companies not visited in 24 months whose visits would raise
        representativeness the most, with the reason in words."""
        query = SuggestionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        suggestions = visit_suggestions(query.validated_year(), query.validated_data["n"])
        return Response(SuggestionSerializer([asdict(s) for s in suggestions], many=True).data)

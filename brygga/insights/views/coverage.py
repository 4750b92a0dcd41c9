"""The year's coverage and representativeness, and the suggestions of whom to visit."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brygga.core.permissions import allowed, require
from brygga.insights.forms import SuggestionsForm, YearForm
from brygga.insights.permissions import InsightsPerm
from brygga.insights.selectors import visit_coverage
from brygga.insights.suggestions import visit_suggestions
from brygga.visits.permissions import VisitPerm

# The breakdowns shown as tables, in this order: (attribute, caption, key column).
BREAKDOWNS = (
    ("by_sni_section", gettext_lazy("Per bransch (SNI-avdelning)"), gettext_lazy("Avdelning")),
    ("by_locality", gettext_lazy("Per ort"), gettext_lazy("Ort")),
    ("by_size_class", gettext_lazy("Per storleksklass"), gettext_lazy("Storleksklass")),
)


def _crumbs(current: str) -> list[tuple[str, str]]:
    return [(_("Start"), reverse("insights:staff_home")), (current, "")]


@require(InsightsPerm.VIEW)
def coverage(request: HttpRequest) -> HttpResponse:
    form = YearForm(request.GET or None)
    year = form.chosen_year()
    result = visit_coverage(year)
    shares = result.shares
    return render(
        request,
        "insights/coverage.html",
        {
            "form": form,
            "year": year,
            "coverage": result,
            "over": [s for s in shares if s.difference > 0],
            "under": [s for s in reversed(shares) if s.difference < 0],
            "tables": [
                (name, caption, key_header, getattr(result, name))
                for name, caption, key_header in BREAKDOWNS
            ],
            "can_suggest": allowed(request.user, InsightsPerm.SUGGESTIONS),
            "crumbs": _crumbs(_("Täckning")),
        },
    )


@require(InsightsPerm.SUGGESTIONS)
def suggestions(request: HttpRequest) -> HttpResponse:
    form = SuggestionsForm(request.GET or None)
    year = form.chosen_year()
    result = visit_coverage(year)
    return render(
        request,
        "insights/suggestions.html",
        {
            "form": form,
            "year": year,
            "n": form.chosen_n(),
            "suggestions": visit_suggestions(year, form.chosen_n(), coverage=result),
            "coverage": result,
            "can_plan": allowed(request.user, VisitPerm.LOG) and year >= timezone.localdate().year,
            "crumbs": _crumbs(_("Förslag på besök")),
        },
    )


urlpatterns: list[URLPattern] = [
    path("hantera/tackning/", coverage, name="coverage"),
    path("hantera/forslag/", suggestions, name="suggestions"),
]

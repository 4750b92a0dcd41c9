"""Staff meeting pages: /hantera/moten/. Each views module owns its routes; this file
joins them (fixed paths such as nytt/, serie/, utvarderingar/, typer/ come before
nothing that could read them as an id, since ids are <int:pk>)."""

from __future__ import annotations

from django.urls import URLPattern

from brygga.events.views import (
    staff,
    staff_evaluations,
    staff_kinds,
    staff_people,
    staff_questions,
    staff_series,
)

urlpatterns: list[URLPattern] = [
    *staff.urlpatterns,
    *staff_questions.urlpatterns,
    *staff_people.urlpatterns,
    *staff_series.urlpatterns,
    *staff_evaluations.urlpatterns,
    *staff_kinds.urlpatterns,
]

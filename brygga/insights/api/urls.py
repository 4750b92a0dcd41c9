from django.urls import path

from brygga.insights.api import views

urlpatterns = [
    path("visits/", views.VisitCoverageView.as_view(), name="api-insights-visits"),
    path(
        "visit-suggestions/",
        views.VisitSuggestionsView.as_view(),
        name="api-insights-visit-suggestions",
    ),
]

"""The REST API under /api/: its OpenAPI schema, and version 1 of each app's endpoints."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("v1/", include("brygga.register.api.urls")),
    path("v1/", include("brygga.actionplan.api.urls")),
    path("v1/", include("brygga.visits.api.urls")),
    path("v1/", include("brygga.events.api.urls")),
    path("v1/insights/", include("brygga.insights.api.urls")),
]

from django.contrib import admin
from django.urls import include, path

from brygga.core.health import healthz

urlpatterns = [
    path("", include("brygga.core.urls")),
    path("konto/", include("brygga.accounts.urls")),
    path("", include("brygga.register.urls")),
    path("", include("brygga.actionplan.urls")),
    path("", include("brygga.visits.urls")),
    path("", include("brygga.insights.urls")),
    path("", include("brygga.events.urls")),
    path("api/", include("brygga.api_urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

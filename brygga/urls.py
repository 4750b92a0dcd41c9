from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("brygga.core.urls")),
    path("konto/", include("brygga.accounts.urls")),
    path("", include("brygga.register.urls")),
    path("", include("brygga.actionplan.urls")),
    path("api/", include("brygga.register.api.urls")),
    path("admin/", admin.site.urls),
]

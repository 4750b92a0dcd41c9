from django.urls import path

from brygga.actionplan.api import views

urlpatterns = [
    path("programs/", views.ProgramListView.as_view(), name="api-program-list"),
    path("programs/<int:pk>/", views.ProgramDetailView.as_view(), name="api-program-detail"),
    path("areas/", views.AreaListView.as_view(), name="api-area-list"),
    path("areas/<int:pk>/", views.AreaDetailView.as_view(), name="api-area-detail"),
    path("activities/", views.ActivityListView.as_view(), name="api-activity-list"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="api-activity-detail"),
]

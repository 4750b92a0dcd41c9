"""Visits and follow-ups in the API, mounted at /api/v1/."""

from django.urls import path

from brygga.visits.api import views

urlpatterns = [
    path("visits/", views.VisitListView.as_view(), name="api-visit-list"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="api-visit-detail"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="api-follow-up-list"),
    path("follow-ups/<int:pk>/", views.FollowUpDetailView.as_view(), name="api-follow-up-detail"),
]

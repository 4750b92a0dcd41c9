"""Meetings in the API, mounted at /api/v1/."""

from django.urls import path

from brygga.events.api import views

urlpatterns = [
    path("events/", views.EventListView.as_view(), name="api-event-list"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="api-event-detail"),
]

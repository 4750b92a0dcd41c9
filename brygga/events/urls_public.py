"""Public meeting pages: /moten/. The names are used by links.py and the e-mails."""

from __future__ import annotations

from django.urls import URLPattern, path

from brygga.events.views import calendar, public, registration

urlpatterns: list[URLPattern] = [
    path("moten/", public.event_list, name="list"),
    path("moten/kalender.ics", calendar.feed, name="feed"),
    path("moten/<int:pk>/kalender.ics", calendar.event_ics, name="event_ics"),
    path("moten/serie/<int:pk>/kalender.ics", calendar.series_ics, name="series_ics"),
    path("moten/<int:pk>/<slug:slug>/", public.event_detail, name="event"),
    path("moten/anmalan/<str:token>/", registration.registration_page, name="registration"),
    path("moten/inbjudan/<str:token>/", registration.invitation_page, name="invitation"),
    path("moten/utvardering/<str:token>/", registration.evaluation_page, name="evaluate"),
]

"""URLs of insights: the staff start page /hantera/ and the figures under it."""

from brygga.insights.views import coverage, home

app_name = "insights"

urlpatterns = [*home.urlpatterns, *coverage.urlpatterns]

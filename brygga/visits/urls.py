"""URLs of visits: staff pages under /hantera/besok/, /hantera/uppfoljningar/ and
/hantera/synpunkter/. Each views module owns its routes; this file joins them."""

from brygga.visits.views import feedback, followups, imports, lists, visits

app_name = "visits"

urlpatterns = [
    # imports and lists first: their fixed paths would otherwise read as a visit's id
    *imports.urlpatterns,
    *lists.urlpatterns,
    *visits.urlpatterns,
    *followups.urlpatterns,
    *feedback.urlpatterns,
]

"""URLs of the action plan: public pages under /handlingsplan/ (plus the e-mail links
under /bekrafta/ and /prenumeration/), staff pages under /hantera/handlingsplan/.

Each views module owns its routes; this file only joins them under one namespace.
The public routes come last: their slug patterns would otherwise catch the others.
"""

from brygga.actionplan.views import (
    feeds,
    moderation,
    participation,
    public,
    staff,
    subscriptions,
)

app_name = "actionplan"

urlpatterns = [
    *staff.urlpatterns,
    *moderation.urlpatterns,
    *subscriptions.urlpatterns,
    *participation.urlpatterns,
    *feeds.urlpatterns,
    *public.urlpatterns,
]

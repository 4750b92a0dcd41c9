"""The meetings' URLs: the public pages under /moten/, the staff pages under /hantera/moten/."""

from __future__ import annotations

from brygga.events.urls_public import urlpatterns as public_patterns
from brygga.events.urls_staff import urlpatterns as staff_patterns

app_name = "events"

urlpatterns = [*public_patterns, *staff_patterns]

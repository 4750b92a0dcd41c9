from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from brygga.core.permissions import CorePerm, allowed


def brygga(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "municipality_name": settings.BRYGGA_MUNICIPALITY_NAME,
        # What the main menu offers this user (no database query: roles only).
        "nav_outbox": allowed(user, CorePerm.VIEW_OUTBOX),
        # By name: core does not import the apps whose rules these are.
        "nav_visits": allowed(user, "visits.view"),
        "nav_feedback": allowed(user, "visits.view_feedback"),
        "nav_events": allowed(user, "events.view"),
    }

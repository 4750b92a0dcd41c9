"""What the staff start page shows of the user's own work."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch

from brygga.register.models import Company
from brygga.visits.models import FollowUp, Visit
from brygga.visits.selectors import COMPANY_FIELDS, follow_ups_base


def open_follow_ups_of(user: Any, *, limit: int) -> list[FollowUp]:
    """``user``'s open follow-ups, earliest due first. Two queries."""
    return list(
        follow_ups_base()
        .filter(owner=user, status=FollowUp.Status.OPEN)
        .order_by("due_on", "id")[:limit]
    )


def planned_visits_of(user: Any, *, today: dt.date, limit: int) -> list[Visit]:
    """Visits ``user`` takes part in that are planned from today on. Two queries."""
    return list(
        Visit.objects.filter(status=Visit.Status.PLANNED, staff=user, date__gte=today)
        .select_related("kind")
        .prefetch_related(Prefetch("companies", queryset=Company.objects.only(*COMPANY_FIELDS)))
        .order_by("date", "id")[:limit]
    )

"""Background work of the insights: counting the visit figures ahead of the readers."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from brygga.insights.group_counts import population_counts, visited_counts
from brygga.insights.suggestions import Window, candidate_counts

log = logging.getLogger(__name__)

# Set while a count is queued, so a burst of changes (a day of logged visits, an
# import) queues one count, not one per change.
QUEUED_KEY = "insights:warm-queued"
DELAY_SECONDS = 10
WATCHED = frozenset({"register", "visits"})


@shared_task(name="insights.visit_figures_warm")
def visit_figures_warm_task() -> str:
    """Count this year's population, visited companies and suggestion candidates if
    they are not cached, so the next start page, coverage page, suggestion list or API
    call reads them."""
    cache.delete(QUEUED_KEY)
    today = timezone.localdate()
    population_counts(today.year)
    visited_counts(today.year)
    candidate_counts(today.year, Window.of(today.year, today))
    return str(today.year)


def visit_figures_warm_later(sender: Any, name: str, **kwargs: Any) -> None:
    """Receiver of :data:`brygga.core.versions.data_changed`: the register or the
    visits changed and committed; queue a count for the worker."""
    if name not in WATCHED or not cache.add(QUEUED_KEY, 1, DELAY_SECONDS * 6):
        return
    try:
        visit_figures_warm_task.apply_async(countdown=DELAY_SECONDS)
    except Exception:
        cache.delete(QUEUED_KEY)
        log.exception("could not queue the visit figures count")

"""The worker counts the visit figures after the register or the visits change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from brygga.celery import app
from brygga.insights.selectors import visit_coverage
from brygga.insights.suggestions import visit_suggestions
from brygga.insights.tasks import QUEUED_KEY, visit_figures_warm_task
from brygga.register.tests.companies_factory import make_company
from brygga.visits.tests.factories import make_visit, set_sni


def _queued_tasks() -> list[str]:
    """The names of the tasks waiting in the (in-memory) broker's queue, taken off it."""
    names = []
    with app.connection_for_read() as conn:
        queue = conn.SimpleQueue(app.conf.task_default_queue)
        try:
            while True:
                message = queue.get(block=False)
                names.append(message.headers["task"])
                message.ack()
        except queue.Empty:
            pass
        finally:
            queue.close()
    return names


@pytest.fixture
def office(db: None) -> Any:
    _queued_tasks()  # start from an empty queue
    companies = []
    for i, code in enumerate(("43210", "47110", "56100")):
        company = make_company(f"Företag {i} AB", postal_town="Mariefred", size_class="0 anställda")
        set_sni(company, code)
        companies.append(company)
    return companies


def test_the_task_counts_this_years_figures(office: Any, django_assert_num_queries: Any) -> None:
    today = timezone.localdate()
    make_visit(office[:1], date=today)
    assert visit_figures_warm_task() == str(today.year)
    # Only the target and the number of visits are left to read.
    with django_assert_num_queries(2):
        coverage = visit_coverage(today.year)
    assert (coverage.active_companies, coverage.companies_visited) == (3, 1)
    # The candidates are counted too: left is reading the picked group's companies.
    with django_assert_num_queries(1):
        [suggestion] = visit_suggestions(today.year, 1, today=today, coverage=coverage)
    assert suggestion.company_id in {c.pk for c in office[1:]}


def test_a_logged_visit_queues_one_count(
    office: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_visit(office[:1], date=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        make_visit(office[1:2], date=timezone.localdate() - dt.timedelta(days=1))
    # Two changes in a row, one count: the second finds one queued.
    assert _queued_tasks() == ["insights.visit_figures_warm"]
    visit_figures_warm_task()
    assert cache.get(QUEUED_KEY) is None
    with django_capture_on_commit_callbacks(execute=True):
        make_visit(office[2:], date=timezone.localdate())
    assert _queued_tasks() == ["insights.visit_figures_warm"]


def test_feedback_and_notes_queue_nothing(
    office: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from brygga.visits.services.visits import visit_update

    visit = make_visit(office[:1], date=timezone.localdate())
    _queued_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        visit_update(visit=visit, data={"notes": "Ny anteckning"})
    assert _queued_tasks() == []

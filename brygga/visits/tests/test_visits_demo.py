"""The demo visits (``brygga.visits.demo``, loaded by ``manage.py load_demo``)."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command

from brygga.actionplan.demo import load_actionplan_demo
from brygga.register.demo import load_demo
from brygga.register.models import Company, SniCode
from brygga.register.sni import DIVISION_SECTION
from brygga.visits.demo import load_visits_demo
from brygga.visits.models import Feedback, FollowUp, Visit, VisitCompany, VisitTarget

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 20)


@pytest.fixture
def register() -> None:
    load_demo(companies=150)
    load_actionplan_demo()


def fingerprint() -> list[Any]:
    visits = Visit.objects.order_by("date", "kind__key", "pk").prefetch_related(
        "companies", "staff", "feedback", "follow_ups"
    )
    return [
        (
            v.date,
            v.kind.key,
            v.status,
            sorted(c.identity for c in v.companies.all()),
            sorted(u.email for u in v.staff.all()),
            v.politicians,
            v.notes,
            v.rating,
            sorted(
                (f.topic_id, f.sentiment, f.text, f.area_id, f.activity_id)
                for f in v.feedback.all()
            ),
            sorted((f.title, f.owner_id, f.due_on, f.status) for f in v.follow_ups.all()),
        )
        for v in visits
    ] + list(VisitTarget.objects.order_by("year").values_list("year", "visits"))


def test_it_is_the_same_every_time(register) -> None:
    load_visits_demo(today=TODAY)
    first = fingerprint()
    Visit.objects.all().delete()
    VisitTarget.objects.all().delete()

    load_visits_demo(today=TODAY)

    assert fingerprint() == first
    assert len(first) > 50


def test_three_years_of_held_visits_end_today_with_targets_and_a_pace(register) -> None:
    result = load_visits_demo(today=TODAY)

    assert result.years == [2024, 2025, 2026]
    assert [year for year, _visits in result.targets] == [2024, 2025, 2026]
    held = Visit.objects.filter(status=Visit.Status.HELD)
    assert held.count() == result.held
    assert held.filter(date__gt=TODAY).count() == 0
    assert {v.year for v in held.dates("date", "year")} == {2024, 2025, 2026}
    this_year = held.filter(date__year=2026).count()
    target = VisitTarget.objects.get(year=2026).visits
    pace = target * (TODAY - dt.date(2026, 1, 1)).days / 365
    assert 0.7 * pace < this_year < pace  # a little behind
    planned = Visit.objects.filter(status=Visit.Status.PLANNED)
    assert planned.count() == result.planned > 0
    assert all(v.date > TODAY and v.staff.exists() for v in planned)
    assert not Visit.objects.filter(date__week_day__in=[1, 7]).exists()  # no weekends


def test_about_one_company_in_eight_is_visited_a_year_skewed_to_builders(register) -> None:
    load_visits_demo(today=TODAY)
    population: Counter[str] = Counter()
    visited: Counter[str] = Counter()
    primary = dict(SniCode.objects.filter(position=0).values_list("company_id", "code"))
    for year in (2024, 2025):
        active = Company.objects.filter(status=Company.Status.ACTIVE).count()
        ids = set(
            VisitCompany.objects.filter(
                visit__date__year=year, visit__status=Visit.Status.HELD
            ).values_list("company_id", flat=True)
        )
        assert 0.07 < len(ids) / active < 0.2, year
        visited.update(DIVISION_SECTION.get(primary.get(pk, "")[:2], "?") for pk in ids)
    population.update(DIVISION_SECTION.get(code[:2], "?") for code in primary.values())
    share = lambda counts, key: counts[key] / sum(counts.values())  # noqa: E731
    assert share(visited, "F") + share(visited, "C") > share(population, "F") + share(
        population, "C"
    )
    assert share(visited, "G") < share(population, "G")


def test_feedback_follow_ups_and_politicians_for_the_demo_users(register) -> None:
    result = load_visits_demo(today=TODAY)

    feedback = Feedback.objects.all()
    assert feedback.count() == result.feedback
    assert set(feedback.values_list("sentiment", flat=True)) == {"positive", "negative", "neutral"}
    assert feedback.values("topic").distinct().count() >= 10
    assert feedback.filter(area__isnull=False).count() == result.linked > 0
    assert feedback.filter(activity__isnull=False).exists()
    assert feedback.filter(sentiment="negative", area__isnull=True).exists()
    assert Visit.objects.exclude(politicians="").exists()
    assert Visit.objects.filter(rating__isnull=False).exists()
    open_ = FollowUp.objects.filter(status=FollowUp.Status.OPEN)
    assert open_.count() == result.follow_ups_open
    assert open_.filter(due_on__lt=TODAY).count() == result.follow_ups_overdue > 0
    assert open_.filter(due_on__gte=TODAY).exists()
    done = FollowUp.objects.filter(status=FollowUp.Status.DONE)
    assert done.exists() and all(f.done_at is not None for f in done)
    owners = set(FollowUp.objects.values_list("owner__email", flat=True))
    assert owners <= {"utvecklare@demo.brygga.se", "admin@demo.brygga.se"}
    assert set(Visit.objects.values_list("staff__email", flat=True)) >= {
        "utvecklare@demo.brygga.se",
        "admin@demo.brygga.se",
    }


def test_every_visited_company_was_active_on_the_day(register) -> None:
    load_visits_demo(today=TODAY)

    for link in VisitCompany.objects.select_related("visit", "company"):
        company, day = link.company, link.visit.date
        assert company.registered_on is None or company.registered_on <= day
        assert company.deregistered_on is None or company.deregistered_on > day


def test_load_demo_adds_the_visits_once_and_if_empty_still_works(settings) -> None:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", "--if-empty", "--companies", "60", stdout=out)
    text = out.getvalue()
    assert "Besöken laddade på" in text and "genomförda besök" in text
    held = Visit.objects.filter(status=Visit.Status.HELD).count()
    assert held > 0

    again = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=again)
    assert "Besöksloggen innehåller redan besök; den hoppades över." in again.getvalue()
    assert "inget laddades" in again.getvalue()
    assert Visit.objects.filter(status=Visit.Status.HELD).count() == held


def test_an_older_demo_database_gets_the_visits_on_the_next_run(settings, register) -> None:
    settings.DEBUG = True
    out = io.StringIO()

    call_command("load_demo", "--if-empty", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Företagsregistret innehåller redan företag")
    assert lines[-1].startswith("Besöken laddade på")
    assert Visit.objects.exists()

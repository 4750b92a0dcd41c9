"""The staff start page /hantera/: the year's visits against the target's pace,
coverage at a glance, and the user's own follow-ups and planned visits."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone

from brygga.core.permissions import allowed, require
from brygga.insights.chart import pace_chart
from brygga.insights.pace import visit_pace
from brygga.insights.permissions import InsightsPerm
from brygga.insights.selectors import visit_coverage
from brygga.insights.selectors_home import open_follow_ups_of, planned_visits_of
from brygga.visits.permissions import VisitPerm

HOME_FOLLOW_UPS = 5


@require(InsightsPerm.VIEW)
def staff_home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    user = request.user
    sees_visits = allowed(user, VisitPerm.VIEW)
    pace = visit_pace(today.year, today=today) if sees_visits else None
    context = {
        "year": today.year,
        "pace": pace,
        "chart": pace_chart(pace) if pace is not None else None,
        "coverage": visit_coverage(today.year) if sees_visits else None,
        "sees_visits": sees_visits,
        "can_log": allowed(user, VisitPerm.LOG),
        "can_set_target": allowed(user, VisitPerm.MANAGE_LISTS),
        "can_suggest": allowed(user, InsightsPerm.SUGGESTIONS),
        "sees_feedback": allowed(user, VisitPerm.VIEW_FEEDBACK),
        "works_follow_ups": allowed(user, VisitPerm.WORK_FOLLOW_UPS),
        "follow_ups": open_follow_ups_of(user, limit=HOME_FOLLOW_UPS),
        "planned": planned_visits_of(user, today=today, limit=HOME_FOLLOW_UPS)
        if sees_visits
        else [],
        "today": today,
    }
    return render(request, "insights/home.html", context)


urlpatterns: list[URLPattern] = [path("hantera/", staff_home, name="staff_home")]

"""Writes for visits and the feedback heard in them.

Every service validates with ``full_clean()``, owns its transaction and writes an
audit entry (notes and feedback may hold what a named person said).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import holidays
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.core.audit import audit_record, diff, snapshot
from brygga.core.models import AuditEntry
from brygga.register.models import Company
from brygga.visits.models import Feedback, Topic, Visit, VisitCompany, VisitKind
from brygga.visits.versions import VISITS_VERSION

VISIT_EDITABLE = (
    "date",
    "kind",
    "status",
    "politicians",
    "other_participants",
    "notes",
    "rating",
)
FEEDBACK_EDITABLE = ("topic", "sentiment", "text", "company", "area", "activity")

# A visit planned from the suggestions lands this many working days ahead.
PLAN_WORKING_DAYS_AHEAD = 10


@dataclass
class FeedbackData:
    topic: Topic
    sentiment: str = Feedback.Sentiment.NEUTRAL
    text: str = ""
    company: Company | None = None
    area: Any = None
    activity: Any = None


@dataclass
class VisitData:
    companies: Sequence[Company]
    date: dt.date
    kind: VisitKind
    status: str = Visit.Status.HELD
    staff: Sequence[Any] = ()
    politicians: str = ""
    other_participants: str = ""
    notes: str = ""
    rating: int | None = None
    feedback: Sequence[FeedbackData] = field(default_factory=tuple)


def _check_companies(companies: Sequence[Company]) -> list[Company]:
    unique = list({c.pk: c for c in companies}.values())
    if not unique:
        raise ValidationError({"companies": _("Välj minst ett företag.")})
    return unique


@transaction.atomic
def visit_create(
    *, data: VisitData, actor: Any = None, via: str = "", imported: bool = False
) -> Visit:
    """Log a visit with its companies, staff and feedback in one transaction."""
    companies = _check_companies(data.companies)
    visit = Visit(
        date=data.date,
        kind=data.kind,
        status=data.status,
        politicians=data.politicians,
        other_participants=data.other_participants,
        notes=data.notes,
        rating=data.rating,
        imported=imported,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    visit.full_clean()
    visit.save()
    VisitCompany.objects.bulk_create(VisitCompany(visit=visit, company=c) for c in companies)
    VISITS_VERSION.changed()
    if data.staff:
        visit.staff.set(data.staff)
    for item in data.feedback:
        _feedback_create(visit, item)
    changes = diff({}, snapshot(visit, VISIT_EDITABLE))
    changes["companies"] = [None, sorted(c.pk for c in companies)]
    audit_record(
        action=AuditEntry.Action.CREATE, subject=visit, changes=changes, actor=actor, via=via
    )
    return visit


@transaction.atomic
def visit_update(
    *,
    visit: Visit,
    data: dict[str, Any],
    companies: Sequence[Company] | None = None,
    staff: Iterable[Any] | None = None,
    actor: Any = None,
    via: str = "",
) -> Visit:
    unknown = set(data) - set(VISIT_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    before = snapshot(visit, VISIT_EDITABLE)
    for name, value in data.items():
        setattr(visit, name, value)
    visit.full_clean()
    visit.save()
    changes = diff(before, snapshot(visit, VISIT_EDITABLE))
    if companies is not None:
        wanted = {c.pk for c in _check_companies(companies)}
        current = set(visit.visit_companies.values_list("company_id", flat=True))
        if wanted != current:
            visit.visit_companies.exclude(company_id__in=wanted).delete()
            # Feedback said by a company no longer on the visit is the visit's as a whole.
            visit.feedback.exclude(company_id__in=wanted).exclude(company__isnull=True).update(
                company=None
            )
            VisitCompany.objects.bulk_create(
                VisitCompany(visit=visit, company_id=pk) for pk in wanted - current
            )
            changes["companies"] = [sorted(current), sorted(wanted)]
    if {"date", "status", "companies"} & set(changes):
        VISITS_VERSION.changed()
    if staff is not None:
        wanted_staff = {user.pk for user in staff}
        current_staff = set(visit.staff.values_list("pk", flat=True))
        if wanted_staff != current_staff:
            visit.staff.set(list(wanted_staff))
            changes["staff"] = [sorted(current_staff), sorted(wanted_staff)]
    if changes:
        audit_record(
            action=AuditEntry.Action.UPDATE, subject=visit, changes=changes, actor=actor, via=via
        )
    return visit


@transaction.atomic
def visit_delete(*, visit: Visit, actor: Any = None, via: str = "") -> None:
    audit_record(
        action=AuditEntry.Action.DELETE,
        subject=visit,
        changes=diff(snapshot(visit, VISIT_EDITABLE), {}),
        actor=actor,
        via=via,
    )
    visit.delete()
    VISITS_VERSION.changed()


def next_working_day(start: dt.date, working_days: int) -> dt.date:
    """The date ``working_days`` Swedish working days after ``start`` (weekends and
    public holidays skipped, and the de facto ones too: midsommarafton, julafton and
    nyårsafton)."""
    se = holidays.country_holidays(
        "SE", years=range(start.year, start.year + 2), categories=("public", "de_facto")
    )
    day = start
    left = working_days
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in se:
            left -= 1
    return day


@transaction.atomic
def visit_plan(
    *,
    company: Company,
    kind: VisitKind,
    actor: Any = None,
    date: dt.date | None = None,
    via: str = "",
) -> Visit:
    """Plan a visit to ``company`` (one click from the suggestions): a planned visit
    with the planner taking part, ``PLAN_WORKING_DAYS_AHEAD`` working days ahead
    unless a date is given."""
    when = date or next_working_day(timezone.localdate(), PLAN_WORKING_DAYS_AHEAD)
    staff = [actor] if getattr(actor, "is_authenticated", False) else []
    return visit_create(
        data=VisitData(
            companies=[company], date=when, kind=kind, status=Visit.Status.PLANNED, staff=staff
        ),
        actor=actor,
        via=via,
    )


def _feedback_create(visit: Visit, item: FeedbackData) -> Feedback:
    feedback = Feedback(
        visit=visit,
        topic=item.topic,
        sentiment=item.sentiment,
        text=item.text,
        company=item.company,
        area=item.area,
        activity=item.activity,
    )
    _feedback_check(feedback)
    feedback.save()
    return feedback


def _feedback_check(feedback: Feedback) -> None:
    feedback.full_clean()
    if (
        feedback.company_id is not None
        and not VisitCompany.objects.filter(
            visit_id=feedback.visit_id, company_id=feedback.company_id
        ).exists()
    ):
        raise ValidationError({"company": _("Företaget var inte med i besöket.")})
    if feedback.activity is not None and feedback.area is None:
        # An activity belongs to exactly one area; fill it in so both lists find it.
        feedback.area = feedback.activity.area
    if (
        feedback.activity is not None
        and feedback.area is not None
        and feedback.activity.area_id != feedback.area.pk
    ):
        raise ValidationError({"activity": _("Aktiviteten hör till ett annat förbättringsområde.")})


@transaction.atomic
def feedback_add(*, visit: Visit, item: FeedbackData, actor: Any = None, via: str = "") -> Feedback:
    feedback = _feedback_create(visit, item)
    audit_record(
        action=AuditEntry.Action.CREATE,
        subject=feedback,
        changes=diff({}, snapshot(feedback, FEEDBACK_EDITABLE)),
        actor=actor,
        via=via,
        parent=visit,
    )
    return feedback


@transaction.atomic
def feedback_update(
    *, feedback: Feedback, data: dict[str, Any], actor: Any = None, via: str = ""
) -> Feedback:
    """Change a feedback item, e.g. link it to the improvement area it concerns."""
    unknown = set(data) - set(FEEDBACK_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    before = snapshot(feedback, FEEDBACK_EDITABLE)
    for name, value in data.items():
        setattr(feedback, name, value)
    _feedback_check(feedback)
    feedback.save()
    changes = diff(before, snapshot(feedback, FEEDBACK_EDITABLE))
    if changes:
        audit_record(
            action=AuditEntry.Action.UPDATE,
            subject=feedback,
            changes=changes,
            actor=actor,
            via=via,
            parent=feedback.visit,
        )
    return feedback


@transaction.atomic
def feedback_delete(*, feedback: Feedback, actor: Any = None, via: str = "") -> None:
    audit_record(
        action=AuditEntry.Action.DELETE,
        subject=feedback,
        changes=diff(snapshot(feedback, FEEDBACK_EDITABLE), {}),
        actor=actor,
        via=via,
        parent=feedback.visit,
    )
    feedback.delete()

"""Writes for the yearly visit targets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from brygga.core.audit import audit_record, diff, snapshot
from brygga.core.models import AuditEntry
from brygga.visits.models import VisitTarget

TARGET_EDITABLE = ("visits", "coverage_percent", "note")


@transaction.atomic
def target_set(
    *,
    year: int,
    visits: int,
    coverage_percent: Decimal | None = None,
    note: str = "",
    actor: Any = None,
    via: str = "",
) -> VisitTarget:
    """Set (create or change) the target of ``year``."""
    target = VisitTarget.objects.select_for_update().filter(year=year).first()
    creating = target is None
    if target is None:
        target = VisitTarget(year=year)
    before = {} if creating else snapshot(target, TARGET_EDITABLE)
    target.visits = visits
    target.coverage_percent = coverage_percent
    target.note = note
    target.full_clean()
    target.save()
    changes = diff(before, snapshot(target, TARGET_EDITABLE))
    if changes:
        action = AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE
        audit_record(action=action, subject=target, changes=changes, actor=actor, via=via)
    return target

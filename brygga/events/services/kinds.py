"""Writes for the managed list of event kinds."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from brygga.core.audit import audit_record, diff, snapshot
from brygga.core.models import AuditEntry
from brygga.events import defaults
from brygga.events.models import EventKind

KIND_EDITABLE = ("key", "label", "position", "active")


def kinds_ensure_defaults() -> None:
    """Create the default kinds that are missing (by key); leave others alone.

    Run by migration 0002 (its own copy) and by ``load_demo``; tests on a live server
    call it again because flushing the database empties the migration's rows.
    """
    for position, (key, label) in enumerate(defaults.EVENT_KINDS):
        EventKind.objects.get_or_create(key=key, defaults={"label": label, "position": position})


@transaction.atomic
def kind_save(
    *, kind: EventKind | None, data: dict[str, Any], actor: Any = None, via: str = ""
) -> EventKind:
    unknown = set(data) - set(KIND_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    creating = kind is None
    obj = EventKind() if kind is None else kind
    before = {} if creating else snapshot(obj, KIND_EDITABLE)
    for field, value in data.items():
        setattr(obj, field, value)
    obj.full_clean()
    obj.save()
    changes = diff(before, snapshot(obj, KIND_EDITABLE))
    if changes:
        action = AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE
        audit_record(action=action, subject=obj, changes=changes, actor=actor, via=via)
    return obj

"""Writes for the managed lists: visit kinds and feedback topics."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from brygga.core.audit import audit_record, diff, snapshot
from brygga.core.models import AuditEntry
from brygga.visits import defaults
from brygga.visits.models import Topic, VisitKind

KIND_EDITABLE = ("key", "label", "position", "active")
TOPIC_EDITABLE = ("key", "label", "department", "position", "active")


@transaction.atomic
def lists_ensure_defaults() -> None:
    """Create the default kinds and topics that are missing (by key); leave others alone.

    Run by migration 0002 and by ``load_demo``; tests on a live server call it again
    because flushing the database empties the migration's rows.
    """
    for position, (key, label) in enumerate(defaults.VISIT_KINDS):
        VisitKind.objects.get_or_create(key=key, defaults={"label": label, "position": position})
    for position, (key, label) in enumerate(defaults.TOPICS):
        Topic.objects.get_or_create(key=key, defaults={"label": label, "position": position})


@transaction.atomic
def kind_save(
    *, kind: VisitKind | None, data: dict[str, Any], actor: Any = None, via: str = ""
) -> VisitKind:
    return _save(VisitKind, kind, data, KIND_EDITABLE, actor=actor, via=via)


@transaction.atomic
def topic_save(
    *, topic: Topic | None, data: dict[str, Any], actor: Any = None, via: str = ""
) -> Topic:
    return _save(Topic, topic, data, TOPIC_EDITABLE, actor=actor, via=via)


def _save(
    model: Any, obj: Any, data: dict[str, Any], editable: tuple[str, ...], **audit: Any
) -> Any:
    unknown = set(data) - set(editable)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    creating = obj is None
    if creating:
        obj = model()
    before = {} if creating else snapshot(obj, editable)
    for field, value in data.items():
        setattr(obj, field, value)
    obj.full_clean()
    obj.save()
    changes = diff(before, snapshot(obj, editable))
    if changes:
        action = AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE
        audit_record(action=action, subject=obj, changes=changes, **audit)
    return obj

"""Recording changes in the audit log. Called by services, never by save() or signals."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from brygga.core.models import AuditEntry

Changes = dict[str, list[Any]]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | dt.timedelta):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def label(obj: models.Model) -> str:
    return obj._meta.label_lower


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` on ``obj``, taken before an edit."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """``{field: [old, new]}`` for every field whose value differs."""
    return {
        key: [_jsonable(before.get(key)), _jsonable(after.get(key))]
        for key in sorted(set(before) | set(after))
        if _jsonable(before.get(key)) != _jsonable(after.get(key))
    }


def audit_record(
    *,
    action: str,
    subject: models.Model,
    changes: Mapping[str, Any] | None = None,
    actor: Any = None,
    via: str = "",
    parent: models.Model | None = None,
) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        action=action,
        actor=user,
        via=via[:100],
        subject_type=label(subject),
        subject_id=str(subject.pk),
        subject_repr=str(subject)[:200],
        parent_type=label(parent) if parent is not None else "",
        parent_id=str(parent.pk) if parent is not None else "",
        changes=dict(changes or {}),
    )

"""Writes for the plan's structure: programs, goals, areas and activities.

Every service validates with ``full_clean()``, owns its transaction and writes an
audit entry. Publishing an activity for the first time adds the "added" entry to its
timeline (and so notifies subscribers); status changes are in
:mod:`brygga.actionplan.services.status`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from brygga.actionplan.models import (
    RESERVED_SLUGS,
    Activity,
    ActivityStatus,
    ActivityUpdate,
    Area,
    Goal,
    Program,
)
from brygga.actionplan.page_cache import public_pages_changed
from brygga.core.audit import audit_record, diff, snapshot
from brygga.core.models import AuditEntry

PROGRAM_EDITABLE = (
    "title",
    "slug",
    "summary",
    "description",
    "period_start",
    "period_end",
    "source",
    "source_detail",
    "premoderate",
    "published",
    "position",
)
GOAL_EDITABLE = ("title", "description", "target", "position")
AREA_EDITABLE = ("goal", "title", "slug", "summary", "description", "published", "position")
ACTIVITY_EDITABLE = (
    "title",
    "slug",
    "description",
    "further_info",
    "contact",
    "start_date",
    "end_date",
    "published",
    "position",
)
# The key is fixed once made: the API and other systems refer to statuses by it.
STATUS_EDITABLE = ("label", "progress", "position", "description")

M = TypeVar("M", bound=models.Model)


def _attname(obj: models.Model, name: str) -> str:
    """The attribute holding the field's own value: ``goal_id`` for ``goal``."""
    return obj._meta.get_field(name).attname  # type: ignore[union-attr]


def _raw(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, _attname(obj, name)) for name in fields}


def unique_slug(text: str, taken: Iterable[str], *, max_length: int) -> str:
    """An ASCII slug of ``text`` ("Förbättra dialogen" → "forbattra-dialogen") not in ``taken``."""
    # "politiker/tjänstemän" is two words, in the address too.
    base = slugify(text.replace("/", " "))[:max_length].strip("-") or "sida"
    if base in RESERVED_SLUGS:
        base = f"{base}-1"
    used = set(taken)
    slug, n = base, 2
    while slug in used:
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)].strip("-") + suffix
        n += 1
    return slug


def _create(obj: M, *, actor: Any, via: str, fields: Iterable[str], parent: Any = None) -> M:
    obj.full_clean()
    obj.save()
    public_pages_changed()
    audit_record(
        action=AuditEntry.Action.CREATE,
        subject=obj,
        parent=parent,
        changes=diff({}, snapshot(obj, fields)),
        actor=actor,
        via=via,
    )
    return obj


def _update(
    obj: M,
    data: Mapping[str, Any],
    *,
    editable: Iterable[str],
    actor: Any,
    via: str,
    parent: Any = None,
) -> tuple[M, list[str]]:
    allowed = set(editable)
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    before = snapshot(obj, data.keys())
    before_raw = _raw(obj, data.keys())
    for name, value in data.items():
        setattr(obj, name, value)
    changes = diff(before, snapshot(obj, data.keys()))
    # Two goals or two contacts may read the same; compare related objects by key too.
    for name, (old, new) in diff(before_raw, _raw(obj, data.keys())).items():
        changes.setdefault(name, [old, new])
    if not changes:
        return obj, []
    try:
        obj.full_clean()
    except ValidationError:
        # Leave the caller's object as it was, so the page showing the errors
        # still names it by what is saved.
        for name, value in before_raw.items():
            setattr(obj, _attname(obj, name), value)
        raise
    changed = list(changes)
    if any(f.name == "updated_at" for f in obj._meta.get_fields()):
        changed.append("updated_at")
    obj.save(update_fields=changed)
    public_pages_changed()
    audit_record(
        action=AuditEntry.Action.UPDATE,
        subject=obj,
        parent=parent,
        changes=changes,
        actor=actor,
        via=via,
    )
    return obj, list(changes)


# ---------------------------------------------------------------- programs and goals


@transaction.atomic
def program_create(*, title: str, actor: Any = None, via: str = "", **data: Any) -> Program:
    unknown = set(data) - set(PROGRAM_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    if not data.get("slug"):
        data["slug"] = unique_slug(
            title, Program.objects.values_list("slug", flat=True), max_length=80
        )
    program = Program(title=title, **data)
    return _create(program, actor=actor, via=via, fields=PROGRAM_EDITABLE)


@transaction.atomic
def program_update(
    *, program: Program, data: Mapping[str, Any], actor: Any = None, via: str = ""
) -> Program:
    return _update(program, data, editable=PROGRAM_EDITABLE, actor=actor, via=via)[0]


@transaction.atomic
def goal_create(
    *, program: Program, title: str, actor: Any = None, via: str = "", **data: Any
) -> Goal:
    goal = Goal(program=program, title=title, **data)
    return _create(goal, actor=actor, via=via, fields=GOAL_EDITABLE, parent=program)


@transaction.atomic
def goal_update(*, goal: Goal, data: Mapping[str, Any], actor: Any = None, via: str = "") -> Goal:
    return _update(goal, data, editable=GOAL_EDITABLE, actor=actor, via=via, parent=goal.program)[0]


# ---------------------------------------------------------------- areas


@transaction.atomic
def area_create(
    *, program: Program, title: str, actor: Any = None, via: str = "", **data: Any
) -> Area:
    unknown = set(data) - set(AREA_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    if not data.get("slug"):
        data["slug"] = unique_slug(
            title, program.areas.values_list("slug", flat=True), max_length=80
        )
    area = Area(program=program, title=title, **data)
    return _create(area, actor=actor, via=via, fields=AREA_EDITABLE, parent=program)


@transaction.atomic
def area_update(*, area: Area, data: Mapping[str, Any], actor: Any = None, via: str = "") -> Area:
    return _update(area, data, editable=AREA_EDITABLE, actor=actor, via=via, parent=area.program)[0]


# ---------------------------------------------------------------- activities


def _record_added(activity: Activity, *, actor: Any, at: dt.datetime | None, notify: bool) -> None:
    from brygga.actionplan.services.status import timeline_entry_write

    timeline_entry_write(
        activity=activity,
        kind=ActivityUpdate.Kind.ADDED,
        status=activity.status,
        text=activity.status_text,
        actor=actor,
        at=at,
        notify=notify,
    )


@transaction.atomic
def activity_create(
    *,
    area: Area,
    title: str,
    status: ActivityStatus,
    status_text: str = "",
    actor: Any = None,
    via: str = "",
    at: dt.datetime | None = None,
    notify: bool = True,
    **data: Any,
) -> Activity:
    """Create an activity; when it is ``published`` it appears on the timeline at once.

    ``at`` dates the "added" entry (the demo data recreates a plan from 2014) and
    ``notify`` False keeps it from subscribers.
    """
    unknown = set(data) - set(ACTIVITY_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    if not data.get("slug"):
        data["slug"] = unique_slug(
            title, area.activities.values_list("slug", flat=True), max_length=100
        )
    activity = Activity(area=area, title=title, status=status, status_text=status_text, **data)
    if activity.published:
        activity.published_at = at or timezone.now()
    _create(
        activity,
        actor=actor,
        via=via,
        fields=(*ACTIVITY_EDITABLE, "status", "status_text"),
        parent=area,
    )
    if activity.published:
        _record_added(activity, actor=actor, at=activity.published_at, notify=notify)
    return activity


@transaction.atomic
def activity_update(
    *, activity: Activity, data: Mapping[str, Any], actor: Any = None, via: str = ""
) -> Activity:
    """Change an activity's texts and settings (not its status: see ``activity_set_status``).

    Publishing it for the first time adds it to the timeline and tells subscribers.
    """
    unknown = set(data) - set(ACTIVITY_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    first_publication = bool(data.get("published")) and activity.published_at is None
    values = dict(data)
    if first_publication:
        # Saved with ``published``: a published activity always has its date.
        values["published_at"] = timezone.now()
    activity, _changed = _update(
        activity,
        values,
        editable=(*ACTIVITY_EDITABLE, "published_at"),
        actor=actor,
        via=via,
        parent=activity.area,
    )
    if first_publication:
        _record_added(activity, actor=actor, at=activity.published_at, notify=True)
    return activity


# ---------------------------------------------------------------- statuses

# The default set (also written by migration 0002): key, label, progress, order, text.
DEFAULT_STATUSES = (
    ("ongoing", "Pågående", 50, 10, "Arbetet pågår."),
    ("planned", "Planerad", 0, 20, "Beslutad men inte påbörjad."),
    ("investigating", "Utredning", 10, 30, "Förslaget utreds innan vi bestämmer oss."),
    ("done", "Avklarad", 100, 40, "Genomförd."),
    ("cancelled", "Avbruten", 0, 50, "Genomförs inte."),
)


def statuses_ensure_defaults() -> dict[str, ActivityStatus]:
    """The default statuses by key, made again if missing (what the demo data uses).

    Existing ones are left as the office has them (renamed, reordered).
    """
    found = {}
    for key, label, progress, position, description in DEFAULT_STATUSES:
        found[key] = ActivityStatus.objects.get_or_create(
            key=key,
            defaults={
                "label": label,
                "progress": progress,
                "position": position,
                "description": description,
            },
        )[0]
    return found


@transaction.atomic
def status_create(
    *, key: str, label: str, progress: int, actor: Any = None, **data: Any
) -> ActivityStatus:
    status = ActivityStatus(key=key, label=label, progress=progress, **data)
    return _create(status, actor=actor, via="", fields=("key", *STATUS_EDITABLE))


@transaction.atomic
def status_update(
    *, status: ActivityStatus, data: Mapping[str, Any], actor: Any = None
) -> ActivityStatus:
    return _update(status, data, editable=STATUS_EDITABLE, actor=actor, via="")[0]

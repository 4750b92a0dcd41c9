"""Status changes and public updates: the activity's timeline, and what follows from it.

The staff page, the API and the demo data all call :func:`activity_set_status` and
:func:`activity_post_update`, so a change has the same effects whichever way it came
in: the activity changes, a dated timeline entry is written, the change is logged,
and after commit the worker writes one e-mail per subscriber to the outbox
(:mod:`brygga.actionplan.services.notifications`). The entry's ``notified_at``
stays empty until that is done, so a lost task is picked up by the periodic sweep.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.actionplan.models import Activity, ActivityStatus, ActivityUpdate
from brygga.actionplan.page_cache import public_pages_changed
from brygga.core.audit import audit_record
from brygga.core.models import AuditEntry

TEXT_MAX = 4000


def timeline_entry_write(
    *,
    activity: Activity,
    kind: str,
    text: str = "",
    status: ActivityStatus | None = None,
    previous_status: ActivityStatus | None = None,
    actor: Any = None,
    at: dt.datetime | None = None,
    notify: bool = True,
) -> ActivityUpdate:
    """Write one timeline entry and, when it is to be told, queue its fan-out after commit."""
    entry = ActivityUpdate(
        activity=activity,
        kind=kind,
        text=text,
        status=status,
        previous_status=previous_status,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        at=at or timezone.now(),
        notify=notify and activity.published,
    )
    entry.full_clean()
    entry.save()
    public_pages_changed()
    if entry.notify:
        from brygga.actionplan.tasks import update_fanout_task

        entry_id = entry.pk
        # robust: a broker that is down must not fail the change; the sweep catches up.
        transaction.on_commit(lambda: update_fanout_task.delay(entry_id), robust=True)
    return entry


def _check_text(text: str, *, field: str) -> str:
    text = text.strip()
    if len(text) > TEXT_MAX:
        raise ValidationError(
            {field: _("Texten får vara högst %(max)s tecken.") % {"max": TEXT_MAX}}
        )
    return text


@transaction.atomic
def activity_set_status(
    *,
    activity: Activity,
    status: ActivityStatus,
    status_text: str,
    actor: Any = None,
    via: str = "",
    at: dt.datetime | None = None,
    notify: bool = True,
) -> ActivityUpdate | None:
    """Give ``activity`` a new status and public status text.

    A new status is a ``status`` entry on the timeline; the same status with a new
    text is an ``update``. Nothing changed: nothing is written and None is returned.
    """
    status_text = _check_text(status_text, field="status_text")
    locked = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("status")
        .get(pk=activity.pk)
    )
    previous = locked.status
    if previous.pk == status.pk and locked.status_text == status_text:
        return None
    kind = ActivityUpdate.Kind.STATUS if previous.pk != status.pk else ActivityUpdate.Kind.UPDATE
    old_text = locked.status_text
    locked.status = status
    locked.status_text = status_text
    locked.save(update_fields=["status", "status_text", "updated_at"])
    changes: dict[str, list[Any]] = {}
    if previous.pk != status.pk:
        changes["status"] = [previous.key, status.key]
    if old_text != status_text:
        changes["status_text"] = [old_text, status_text]
    audit_record(
        action=AuditEntry.Action.UPDATE,
        subject=locked,
        parent=locked.area,
        changes=changes,
        actor=actor,
        via=via,
    )
    activity.status = locked.status
    activity.status_text = locked.status_text
    activity.updated_at = locked.updated_at
    return timeline_entry_write(
        activity=locked,
        kind=kind,
        text=status_text,
        status=status,
        previous_status=previous if kind == ActivityUpdate.Kind.STATUS else None,
        actor=actor,
        at=at,
        notify=notify,
    )


@transaction.atomic
def activity_post_update(
    *,
    activity: Activity,
    text: str,
    actor: Any = None,
    via: str = "",
    at: dt.datetime | None = None,
    notify: bool = True,
) -> ActivityUpdate:
    """A public update on the activity's timeline, without changing its status."""
    text = _check_text(text, field="text")
    if not text:
        raise ValidationError({"text": _("Skriv vad som har hänt.")})
    entry = timeline_entry_write(
        activity=activity,
        kind=ActivityUpdate.Kind.UPDATE,
        text=text,
        status=activity.status,
        actor=actor,
        at=at,
        notify=notify,
    )
    audit_record(
        action=AuditEntry.Action.CREATE,
        subject=entry,
        parent=activity,
        changes={"text": [None, text]},
        actor=actor,
        via=via,
    )
    return entry

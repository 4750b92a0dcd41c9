"""Comments and ideas from the public: submission, e-mail verification, moderation,
public answers and the idea's status ("you said, we did").

A visitor's text is cleaned (:func:`brygga.core.text.clean_public_text`) and stored
unverified; a link mailed to the given address publishes it (or puts it before a
moderator when the program says so). Only the link token's SHA-256 is stored.
Rate limits and the honeypot are the views' business; these services are what the
views, the staff pages and the demo data share.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.actionplan.links import absolute
from brygga.actionplan.models import Activity, Area, Comment, Contribution, Idea, Program
from brygga.actionplan.models.participation import REASON_MAX, TEXT_MAX
from brygga.actionplan.page_cache import public_pages_changed
from brygga.core.audit import audit_record
from brygga.core.models import AuditEntry
from brygga.core.outbox import mail_enqueue
from brygga.core.text import clean_public_text

C = TypeVar("C", bound=Contribution)
State = Contribution.State
KIND_VERIFY = "actionplan.verify"
KIND_IDEA_STATUS = "actionplan.idea_status"
VIA_MODERATION = "moderation"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def contribution_program(contribution: Contribution) -> Program:
    if isinstance(contribution, Comment):
        return contribution.activity.area.program
    assert isinstance(contribution, Idea)
    return contribution.area.program


def verify_url(contribution: Contribution, token: str) -> str:
    name = (
        "actionplan:comment_verify"
        if isinstance(contribution, Comment)
        else "actionplan:idea_verify"
    )
    return absolute(reverse(name, kwargs={"token": token}))


def verification_expired(contribution: Contribution, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    days = settings.BRYGGA_VERIFY_LINK_DAYS
    return contribution.created_at + dt.timedelta(days=days) <= now


def _submit(contribution: C, *, template: str, context: dict[str, Any]) -> C:
    token = secrets.token_urlsafe(32)
    contribution.token_hash = token_hash(token)
    contribution.full_clean()
    contribution.save()
    mail_enqueue(
        to=contribution.email,
        template=template,
        context={**context, "url": verify_url(contribution, token), "contribution": contribution},
        kind=KIND_VERIFY,
        sensitive=True,
    )
    return contribution


@transaction.atomic
def comment_submit(*, activity: Activity, name: str, email: str, text: str) -> Comment:
    """A visitor's comment on ``activity``; a verification link goes to ``email``."""
    comment = Comment(
        activity=activity,
        name=clean_public_text(name, multiline=False),
        email=email.strip(),
        text=clean_public_text(text),
    )
    return _submit(
        comment,
        template="actionplan/email/comment_verify",
        context={"activity": activity, "days": settings.BRYGGA_VERIFY_LINK_DAYS},
    )


@transaction.atomic
def idea_submit(*, area: Area, name: str, email: str, title: str, text: str) -> Idea:
    """A visitor's idea within ``area``; a verification link goes to ``email``."""
    idea = Idea(
        area=area,
        name=clean_public_text(name, multiline=False),
        email=email.strip(),
        title=clean_public_text(title, multiline=False),
        text=clean_public_text(text),
    )
    return _submit(
        idea,
        template="actionplan/email/idea_verify",
        context={"area": area, "days": settings.BRYGGA_VERIFY_LINK_DAYS},
    )


@transaction.atomic
def contribution_verify(*, contribution: C) -> C:
    """The author clicked the link: publish, or queue for moderation. Idempotent."""
    model: Any = type(contribution)
    locked: C = model.objects.select_for_update().get(pk=contribution.pk)
    if locked.state != State.UNVERIFIED:
        return locked
    now = timezone.now()
    if verification_expired(locked, now):
        raise ValidationError(_("Länken har slutat gälla. Skriv gärna ditt inlägg igen."))
    premoderate = contribution_program(contribution).premoderate
    locked.verified_at = now
    locked.state = State.PENDING if premoderate else State.PUBLISHED
    locked.published_at = None if premoderate else now
    locked.save(update_fields=["verified_at", "state", "published_at"])
    if not premoderate:
        public_pages_changed()
    return locked


def _moderation_log(contribution: Contribution, changes: dict[str, Any], actor: Any) -> None:
    """Log a moderator's change; what moderators change is what the public sees."""
    public_pages_changed()
    parent: Any = (
        contribution.activity
        if isinstance(contribution, Comment)
        else cast(Idea, contribution).area
    )
    audit_record(
        action=AuditEntry.Action.UPDATE,
        subject=contribution,
        parent=parent,
        changes=changes,
        actor=actor,
        via=VIA_MODERATION,
    )


def _require_verified(contribution: Contribution) -> None:
    if contribution.state == State.UNVERIFIED:
        raise ValidationError(_("Skribenten har inte bekräftat sin e-postadress än."))


@transaction.atomic
def contribution_publish(*, contribution: C, actor: Any) -> C:
    """A moderator publishes a pending (or earlier hidden) comment or idea."""
    _require_verified(contribution)
    if contribution.state == State.PUBLISHED:
        return contribution
    before = contribution.state
    now = timezone.now()
    contribution.state = State.PUBLISHED
    contribution.published_at = contribution.published_at or now
    contribution.hidden_reason = ""
    contribution.moderated_by = actor
    contribution.moderated_at = now
    contribution.save(
        update_fields=["state", "published_at", "hidden_reason", "moderated_by", "moderated_at"]
    )
    _moderation_log(contribution, {"state": [before, contribution.state]}, actor)
    return contribution


@transaction.atomic
def contribution_hide(*, contribution: C, reason: str, actor: Any) -> C:
    """A moderator hides a comment or idea; the public sees the reason in its place.

    Hiding an already hidden one changes its reason.
    """
    reason = clean_public_text(reason, multiline=False)
    if not reason:
        raise ValidationError({"reason": _("Skriv varför inlägget döljs. Skälet visas öppet.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Skälet får vara högst %(max)s tecken.") % {"max": REASON_MAX}}
        )
    _require_verified(contribution)
    before = (contribution.state, contribution.hidden_reason)
    if before == (State.HIDDEN, reason):
        return contribution
    contribution.state = State.HIDDEN
    contribution.hidden_reason = reason
    contribution.moderated_by = actor
    contribution.moderated_at = timezone.now()
    contribution.full_clean()
    contribution.save(update_fields=["state", "hidden_reason", "moderated_by", "moderated_at"])
    changes: dict[str, Any] = {"hidden_reason": [before[1], reason]}
    if before[0] != State.HIDDEN:
        changes["state"] = [before[0], State.HIDDEN]
    _moderation_log(contribution, changes, actor)
    return contribution


@transaction.atomic
def contribution_reply(*, contribution: C, text: str, actor: Any) -> C:
    """The municipality's public answer under a comment or idea (empty text removes it)."""
    text = clean_public_text(text)
    if len(text) > TEXT_MAX:
        raise ValidationError(
            {"text": _("Svaret får vara högst %(max)s tecken.") % {"max": TEXT_MAX}}
        )
    _require_verified(contribution)
    before = contribution.reply_text
    if text == before:
        return contribution
    contribution.reply_text = text
    contribution.reply_by = actor if text else None
    contribution.reply_at = timezone.now() if text else None
    contribution.full_clean()
    contribution.save(update_fields=["reply_text", "reply_by", "reply_at"])
    _moderation_log(contribution, {"reply_text": [before, text]}, actor)
    return contribution


@transaction.atomic
def idea_set_status(
    *,
    idea: Idea,
    status: str,
    reason: str = "",
    activity: Activity | None = None,
    actor: Any,
) -> Idea:
    """Give an idea its public status; the proposer is told by e-mail when it changes.

    ``activity`` (required for "became an activity") must be in the idea's program;
    a declined idea needs a ``reason``, which the public reads. Everything is checked
    before ``idea`` is touched, so a refused change leaves it as it was. Nothing
    changed: nothing is written and nobody is mailed.
    """
    if status not in Idea.Status.values:
        raise ValidationError({"status": _("Välj en av statusarna i listan.")})
    reason = clean_public_text(reason)
    if len(reason) > TEXT_MAX:
        raise ValidationError(
            {"reason": _("Motiveringen får vara högst %(max)s tecken.") % {"max": TEXT_MAX}}
        )
    if status == Idea.Status.ACTIVITY:
        if activity is None:
            raise ValidationError({"activity": _("Välj aktiviteten som idén blev.")})
        if activity.area.program_id != idea.area.program_id:
            raise ValidationError({"activity": _("Aktiviteten hör till ett annat program.")})
    else:
        activity = None
    if status == Idea.Status.DECLINED and not reason:
        raise ValidationError(
            {"reason": _("Skriv varför idén inte genomförs. Motiveringen visas öppet.")}
        )
    before = {
        "status": idea.status,
        "status_reason": idea.status_reason,
        "activity": idea.activity_id,
    }
    after = {
        "status": status,
        "status_reason": reason,
        "activity": activity.pk if activity is not None else None,
    }
    if before == after:
        return idea
    idea.status = status
    idea.status_reason = reason
    idea.activity = activity
    idea.status_changed_at = timezone.now()
    idea.full_clean()
    idea.save(update_fields=["status", "status_reason", "activity", "status_changed_at"])
    _moderation_log(idea, {k: [before[k], after[k]] for k in after if before[k] != after[k]}, actor)
    # The proposer hears of a new status, or of another activity the idea became;
    # an edited motivation alone is not worth an e-mail.
    told = before["status"] != status or before["activity"] != after["activity"]
    if told and idea.verified_at is not None and idea.email:
        mail_enqueue(
            to=idea.email,
            template="actionplan/email/idea_status",
            context={
                "idea": idea,
                "area": idea.area,
                "idea_url": absolute(idea_path(idea)),
                "activity_url": absolute(activity) if activity is not None else "",
            },
            kind=KIND_IDEA_STATUS,
        )
    return idea


def idea_path(idea: Idea) -> str:
    return (
        reverse(
            "actionplan:area", kwargs={"program": idea.area.program.slug, "area": idea.area.slug}
        )
        + f"#ide-{idea.pk}"
    )


def contributions_purge_unverified(*, now: dt.datetime | None = None) -> int:
    """Delete comments and ideas whose author never confirmed (they hold an address)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.BRYGGA_VERIFY_LINK_DAYS)
    deleted = 0
    for model in (Comment, Idea):
        count, _ = model.objects.filter(state=State.UNVERIFIED, created_at__lt=cutoff).delete()
        deleted += count
    return deleted

"""Telling subscribers: one e-mail per timeline entry (immediately) or a weekly digest.

Both run in the worker, never in a request: a status change in an area with 10,000
subscribers commits in milliseconds and the fan-out writes the 10,000 messages to
the outbox afterwards, in batches. Both are safe to run twice: every message has a
``dedupe_key`` (entry and subscriber, or subscriber and week), and an entry is
marked ``notified_at`` in the same transaction as its messages.

Every notification carries one-click unsubscribe (RFC 8058): ``List-Unsubscribe``
with the subscription's own https link, which accepts a bare POST, and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.text import Truncator

from brygga.actionplan.links import (
    absolute,
    list_domain,
    manage_url,
    unsubscribe_all_url,
    unsubscribe_url,
)
from brygga.actionplan.models import ActivityUpdate, Area, Subscriber, Subscription
from brygga.core.models import OutboxMessage
from brygga.core.outbox import Mail, mail_render, outbox_message, outbox_write_many

KIND_UPDATE = "actionplan.update"
KIND_DIGEST = "actionplan.digest"
UPDATE_TEMPLATE = "actionplan/email/update"
DIGEST_TEMPLATE = "actionplan/email/digest"
# The weekly digest goes out on Monday morning, local time.
DIGEST_WEEKDAY = 0
DIGEST_HOUR = 7


def list_headers(*, unsubscribe: str, list_id: str) -> dict[str, str]:
    """RFC 2919 List-Id and RFC 8058 one-click unsubscribe."""
    return {
        "List-Id": list_id,
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _list_id(area: Area) -> str:
    return f"<omrade-{area.pk}.handlingsplan.{list_domain()}>"


def _is_public(update: ActivityUpdate) -> bool:
    activity = update.activity
    return activity.published and activity.area.published and activity.area.program.published


def _recipients(area: Area) -> Iterator[Subscription]:
    """One confirmed, immediate subscription per subscriber of ``area`` or its program.

    A subscriber following both gets one e-mail, with the area subscription's
    unsubscribe link (what the e-mail is about); that link ends the program
    subscription too, or the program would go on mailing about the area
    (:func:`~brygga.actionplan.services.subscriptions.subscription_unsubscribe`).
    """
    subscriptions = (
        Subscription.objects.filter(
            Q(area=area) | Q(program_id=area.program_id),
            confirmed_at__isnull=False,
            subscriber__frequency=Subscriber.Frequency.IMMEDIATE,
        )
        .select_related("subscriber")
        .order_by("subscriber_id", F("area_id").asc(nulls_last=True))
    )
    last = None
    for subscription in subscriptions.iterator(chunk_size=2000):
        if subscription.subscriber_id != last:
            last = subscription.subscriber_id
            # What it follows is known: no query per recipient for names and links.
            if subscription.area_id is not None:
                subscription.area = area
            else:
                subscription.program = area.program
            yield subscription


def _update_context(update: ActivityUpdate) -> dict[str, Any]:
    activity = update.activity
    return {
        "update": update,
        "activity": activity,
        "area": activity.area,
        "program": activity.area.program,
        "activity_url": absolute(activity),
    }


class _UpdateMails:
    """The e-mails about one entry, rendered twice instead of once per recipient.

    Recipients differ only in their two links and in whether they follow the area
    or the whole program. Each variant is rendered once with unguessable
    placeholders for the links, which are then replaced per recipient: with 10,000
    subscribers this turns 30,000 template renderings into six.
    """

    def __init__(self, update: ActivityUpdate) -> None:
        self._context = _update_context(update)
        marker = secrets.token_hex(16)
        self._unsubscribe = f"https://{marker}.invalid/avsluta/"
        self._manage = f"https://{marker}.invalid/hantera/"
        self._rendered: dict[bool, Mail] = {}

    def _variant(self, subscription: Subscription) -> Mail:
        follows_program = subscription.area_id is None
        if follows_program not in self._rendered:
            self._rendered[follows_program] = mail_render(
                UPDATE_TEMPLATE,
                {
                    **self._context,
                    "unsubscribe_url": self._unsubscribe,
                    "manage_url": self._manage,
                    "target": subscription.target,
                    "follows_program": follows_program,
                },
            )
        return self._rendered[follows_program]

    def for_subscription(self, subscription: Subscription) -> Mail:
        mail = self._variant(subscription)
        unsubscribe = unsubscribe_url(subscription)
        manage = manage_url(subscription.subscriber)

        def fill(text: str, escape: Callable[[str], str]) -> str:
            text = text.replace(self._unsubscribe, escape(unsubscribe))
            return text.replace(self._manage, escape(manage))

        return Mail(
            subject=mail.subject,
            text=fill(mail.text, str),
            html=fill(mail.html, conditional_escape),
        )


def update_fanout(*, update_id: int) -> int:
    """Write the e-mails about one timeline entry to the outbox. Returns how many.

    Does nothing for an entry already fanned out (or not to be told), so the task
    may run any number of times.
    """
    with transaction.atomic():
        update = (
            ActivityUpdate.objects.select_for_update(of=("self",))
            .select_related(
                "activity__area__program", "activity__status", "status", "previous_status"
            )
            .filter(pk=update_id, notify=True, notified_at__isnull=True)
            .first()
        )
        if update is None:
            return 0
        count = 0
        if _is_public(update):
            area = update.activity.area
            list_id = _list_id(area)
            mails = _UpdateMails(update)
            messages = (
                outbox_message(
                    to=subscription.subscriber.email,
                    mail=mails.for_subscription(subscription),
                    kind=KIND_UPDATE,
                    headers=list_headers(
                        unsubscribe=unsubscribe_url(subscription), list_id=list_id
                    ),
                    dedupe_key=f"{KIND_UPDATE}:{update.pk}:{subscription.subscriber_id}",
                    priority=OutboxMessage.Priority.BULK,
                )
                for subscription in _recipients(area)
            )
            count = outbox_write_many(messages)
        update.notified_at = timezone.now()
        update.save(update_fields=["notified_at"])
    return count


def updates_awaiting_fanout(*, older_than: dt.timedelta) -> list[int]:
    """Entries whose fan-out task seems lost (queued ``older_than`` ago and still not done)."""
    cutoff = timezone.now() - older_than
    return list(
        ActivityUpdate.objects.filter(notify=True, notified_at__isnull=True, at__lte=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:1000]
    )


# ---------------------------------------------------------------- weekly digest


def digest_period_start(now: dt.datetime) -> dt.datetime:
    """The most recent Monday 07:00 in the municipality's time zone, at or before ``now``."""
    local_tz = timezone.get_default_timezone()
    local = now.astimezone(local_tz)
    monday = (local - dt.timedelta(days=(local.weekday() - DIGEST_WEEKDAY) % 7)).date()
    start = dt.datetime.combine(monday, dt.time(DIGEST_HOUR), tzinfo=local_tz)
    if start > local:
        start -= dt.timedelta(days=7)
    return start


DIGEST_TEXT_MAX = 400


@dataclass
class _Entry:
    update: ActivityUpdate
    url: str

    @property
    def summary(self) -> str:
        """The entry's text as one short paragraph, for a list of many."""
        return Truncator(" ".join(self.update.text.split())).chars(DIGEST_TEXT_MAX)


@dataclass
class DigestGroup:
    """One area's entries in a digest, oldest first."""

    area: Area
    url: str
    entries: list[_Entry]


def _grouped(entries: list[_Entry]) -> list[DigestGroup]:
    groups: dict[int, DigestGroup] = {}
    for entry in entries:
        area = entry.update.activity.area
        if area.pk not in groups:
            groups[area.pk] = DigestGroup(area, absolute(area), [])
        groups[area.pk].entries.append(entry)
    return sorted(
        groups.values(),
        key=lambda g: (
            g.area.program.position,
            g.area.program.title,
            g.area.position,
            g.area.title,
        ),
    )


def _digest_since(subscriber: Subscriber, now: dt.datetime) -> dt.datetime:
    """What the subscriber's next digest covers: since the last one, or since they confirmed."""
    if subscriber.last_digest_at is not None:
        return subscriber.last_digest_at
    confirmed = [s.confirmed_at for s in subscriber.subscriptions.all() if s.confirmed_at]
    # (None left if they unsubscribed since the list was read: nothing to cover.)
    return min(confirmed, default=now)


def digests_send(*, now: dt.datetime | None = None) -> int:
    """Write this week's digest for every weekly subscriber who has not had it yet.

    Run every hour by the worker's schedule, so a digest missed while no worker ran
    goes out at the next run. Each covers what was published since the subscriber's
    last digest (or since they confirmed). Returns how many were written.
    """
    now = now or timezone.now()
    week_start = digest_period_start(now)
    subscribers = list(
        Subscriber.objects.filter(
            Q(last_digest_at__isnull=True) | Q(last_digest_at__lt=week_start),
            frequency=Subscriber.Frequency.WEEKLY,
            subscriptions__confirmed_at__isnull=False,
        )
        .distinct()
        .prefetch_related(
            Prefetch(
                "subscriptions",
                queryset=Subscription.objects.select_related("area__program", "program"),
            )
        )
    )
    if not subscribers:
        return 0
    since = {s.pk: _digest_since(s, now) for s in subscribers}
    updates = list(
        ActivityUpdate.objects.filter(
            at__gt=min(since.values()),
            at__lte=now,
            notify=True,
            activity__published=True,
            activity__area__published=True,
            activity__area__program__published=True,
        )
        .select_related("activity__area__program", "status", "previous_status")
        .order_by("at", "id")
    )
    entries = [_Entry(u, absolute(u.activity)) for u in updates]
    written = 0
    for subscriber in subscribers:
        with transaction.atomic():
            written += _digest_one(
                subscriber, entries, now=now, week_start=week_start, since=since[subscriber.pk]
            )
    return written


def _digest_one(
    subscriber: Subscriber,
    entries: list[_Entry],
    *,
    now: dt.datetime,
    week_start: dt.datetime,
    since: dt.datetime,
) -> int:
    confirmed = [s for s in subscriber.subscriptions.all() if s.confirmed_at is not None]
    areas = {s.area_id for s in confirmed if s.area_id}
    programs = {s.program_id for s in confirmed if s.program_id}
    mine = [
        e
        for e in entries
        if e.update.at > since
        and (e.update.activity.area_id in areas or e.update.activity.area.program_id in programs)
    ]
    # Still weekly, still here and still without this week's digest? (It may have
    # unsubscribed since the list was read, or another run may have got here first.)
    current = Subscriber.objects.select_for_update().filter(
        Q(last_digest_at__isnull=True) | Q(last_digest_at__lt=week_start),
        pk=subscriber.pk,
        frequency=Subscriber.Frequency.WEEKLY,
    )
    if not current.exists():
        return 0
    count = 0
    if mine:
        message = outbox_message(
            to=subscriber.email,
            mail=mail_render(
                DIGEST_TEMPLATE,
                {
                    "entries": mine,
                    "groups": _grouped(mine),
                    "subscriber": subscriber,
                    "subscriptions": confirmed,
                    "manage_url": manage_url(subscriber),
                    "unsubscribe_url": unsubscribe_all_url(subscriber),
                    "since": since,
                },
            ),
            kind=KIND_DIGEST,
            headers=list_headers(
                unsubscribe=unsubscribe_all_url(subscriber),
                list_id=f"<vecka.handlingsplan.{list_domain()}>",
            ),
            dedupe_key=f"{KIND_DIGEST}:{subscriber.pk}:{week_start:%G-W%V}",
            priority=OutboxMessage.Priority.BULK,
        )
        count = outbox_write_many([message])
    Subscriber.objects.filter(pk=subscriber.pk).update(last_digest_at=now)
    return count

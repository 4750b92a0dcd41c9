"""Subscriptions to areas and programs: double opt-in, management, unsubscribe.

A visitor asks with an e-mail address; nothing is sent to that address about the
plan until its owner has clicked the confirmation link (which carries the
subscriber's token, so it also proves they read that mailbox). Whoever holds the
token may manage the subscriptions, so additions made on the management page need
no second confirmation. Each subscription has its own token for one-click
unsubscribe (RFC 8058). An address with no subscriptions left is deleted.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brygga.actionplan.links import confirm_url, manage_url
from brygga.actionplan.models import Area, Program, Subscriber, Subscription
from brygga.core.audit import audit_record
from brygga.core.models import AuditEntry
from brygga.core.outbox import mail_enqueue

KIND_CONFIRM = "actionplan.subscription"
VIA = "prenumeration"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _subscriber_for(email: str) -> Subscriber:
    email = email.strip().lower()
    subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
    if subscriber is not None:
        return subscriber
    subscriber = Subscriber(email=email, token=new_token())
    subscriber.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            subscriber.save()
    except IntegrityError:
        # Someone subscribed the same address at the same moment: use theirs.
        return Subscriber.objects.get(email__iexact=email)
    return subscriber


def _subscription(
    subscriber: Subscriber, *, area: Area | None, program: Program | None, confirmed: bool
) -> Subscription:
    """The subscriber's subscription to ``area`` or ``program``, made if need be.

    An existing one is confirmed when ``confirmed``; a request for one still waiting
    starts its validity again (the new e-mail's link is the one that counts).
    """
    target: dict[str, Area | Program | None] = (
        {"area": area} if area is not None else {"program": program}
    )
    now = timezone.now()
    existing = Subscription.objects.filter(subscriber=subscriber, **target).first()
    if existing is None:
        subscription = Subscription(
            subscriber=subscriber,
            token=new_token(),
            confirmed_at=now if confirmed else None,
            **target,
        )
        subscription.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                subscription.save()
        except IntegrityError:
            # The same request twice at the same moment (a double click): the other won.
            existing = Subscription.objects.get(subscriber=subscriber, **target)
        else:
            audit_record(
                action=AuditEntry.Action.CREATE,
                subject=subscription,
                parent=area or program,
                changes={"confirmed": [None, confirmed]},
                via=VIA,
            )
            return subscription
    if existing.confirmed_at is None:
        if confirmed:
            existing.confirmed_at = now
            existing.save(update_fields=["confirmed_at"])
            audit_record(
                action=AuditEntry.Action.UPDATE,
                subject=existing,
                parent=area or program,
                changes={"confirmed": [False, True]},
                via=VIA,
            )
        else:
            existing.created_at = now
            existing.save(update_fields=["created_at"])
    # The caller's objects, so that names and links need no further queries.
    if area is not None:
        existing.area = area
    else:
        existing.program = program
    return existing


def _targets_or_error(areas: Sequence[Area], programs: Sequence[Program]) -> None:
    if not areas and not programs:
        raise ValidationError(_("Välj minst ett förbättringsområde eller program."))
    targets: list[Area | Program] = [*areas, *programs]
    for target in targets:
        program = target.program if isinstance(target, Area) else target
        if not (target.published and program.published):
            raise ValidationError(_("Det går bara att prenumerera på publicerade delar av planen."))


@transaction.atomic
def subscription_request(
    *, email: str, areas: Sequence[Area] = (), programs: Sequence[Program] = ()
) -> Subscriber:
    """A visitor asks to follow ``areas`` and/or ``programs``; a confirmation link is mailed.

    If the address already follows all of them, it gets its management link instead,
    so the page never tells a visitor whether an address is subscribed.
    """
    _targets_or_error(areas, programs)
    subscriber = _subscriber_for(email)
    requested = [
        *(_subscription(subscriber, area=a, program=None, confirmed=False) for a in areas),
        *(_subscription(subscriber, area=None, program=p, confirmed=False) for p in programs),
    ]
    # Everything still waiting is confirmed by the one link, so the e-mail lists it all.
    pending = list(
        subscriber.subscriptions.filter(
            confirmed_at__isnull=True, created_at__gt=confirm_cutoff()
        ).select_related("area__program", "program")
    )
    already = [s for s in requested if s.confirmed_at is not None]
    mail_enqueue(
        to=subscriber.email,
        template=(
            "actionplan/email/subscription_confirm"
            if pending
            else "actionplan/email/subscription_exists"
        ),
        context={
            "subscriber": subscriber,
            "pending": pending,
            "already": already,
            "confirm_url": confirm_url(subscriber),
            "manage_url": manage_url(subscriber),
            "days": settings.BRYGGA_VERIFY_LINK_DAYS,
        },
        kind=KIND_CONFIRM,
        sensitive=True,
    )
    return subscriber


def confirm_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Requests made before this were never confirmed in time: the link no longer holds them."""
    return (now or timezone.now()) - dt.timedelta(days=settings.BRYGGA_VERIFY_LINK_DAYS)


@transaction.atomic
def subscription_confirm(*, subscriber: Subscriber) -> list[Subscription]:
    """The owner clicked the confirmation link: every pending subscription takes effect.

    Requests older than the link's validity are left for the purge. Confirming again
    changes nothing and returns an empty list.
    """
    now = timezone.now()
    pending = list(
        # From the model, not ``subscriber.subscriptions``: that may be a prefetched
        # queryset with outer joins, which PostgreSQL cannot lock.
        Subscription.objects.select_for_update(of=("self",))
        .filter(
            subscriber=subscriber, confirmed_at__isnull=True, created_at__gt=confirm_cutoff(now)
        )
        .order_by("id")
    )
    for subscription in pending:
        subscription.confirmed_at = now
        subscription.save(update_fields=["confirmed_at"])
        audit_record(
            action=AuditEntry.Action.UPDATE,
            subject=subscription,
            changes={"confirmed": [False, True]},
            via=VIA,
        )
    return pending


@transaction.atomic
def subscription_add(
    *, subscriber: Subscriber, area: Area | None = None, program: Program | None = None
) -> Subscription:
    """Add a subscription from the management page: the token proves the mailbox."""
    _targets_or_error([area] if area else [], [program] if program else [])
    return _subscription(subscriber, area=area, program=program, confirmed=True)


def _delete_if_empty(subscriber: Subscriber) -> bool:
    # Asked of the database: the caller's subscriber may carry prefetched subscriptions.
    if Subscription.objects.filter(subscriber_id=subscriber.pk).exists():
        return False
    subscriber.delete()
    return True


def _delete(subscription: Subscription) -> None:
    audit_record(
        action=AuditEntry.Action.DELETE,
        subject=subscription,
        changes={"confirmed": [subscription.confirmed_at is not None, None]},
        via=VIA,
    )
    subscription.delete()


@transaction.atomic
def subscription_cancel(*, subscription: Subscription) -> None:
    """End one subscription (the management page); the address goes with its last."""
    _delete(subscription)
    _delete_if_empty(subscription.subscriber)


def subscriptions_covering(subscription: Subscription) -> list[Subscription]:
    """What brings the subscriber e-mail about what ``subscription`` follows: itself and,
    for an area, a subscription to the area's whole program."""
    covering = [subscription]
    area = subscription.area
    if area is not None:
        covering += Subscription.objects.filter(
            subscriber_id=subscription.subscriber_id, program_id=area.program_id
        ).select_related("program")
    return covering


@transaction.atomic
def subscription_unsubscribe(*, subscription: Subscription) -> list[Subscription]:
    """The unsubscribe link of an e-mail (RFC 8058 one-click): no more e-mail about it.

    Someone following an area and also its whole program gets one e-mail per entry,
    whose link is the area subscription's. Ending only that would let the program
    subscription go on mailing them about the very area they left, so both end.
    Returns what ended; the address goes with its last subscription.
    """
    ended = subscriptions_covering(subscription)
    for each in ended:
        _delete(each)
    _delete_if_empty(subscription.subscriber)
    return ended


@transaction.atomic
def subscriber_cancel_all(*, subscriber: Subscriber) -> int:
    """End every subscription of an address and forget the address. Returns how many."""
    subscriptions = list(subscriber.subscriptions.all())
    for subscription in subscriptions:
        audit_record(
            action=AuditEntry.Action.DELETE,
            subject=subscription,
            changes={"confirmed": [subscription.confirmed_at is not None, None]},
            via=VIA,
        )
    subscriber.delete()
    return len(subscriptions)


@transaction.atomic
def subscriber_set_frequency(*, subscriber: Subscriber, frequency: str) -> Subscriber:
    if frequency not in Subscriber.Frequency.values:
        raise ValidationError({"frequency": _("Välj hur ofta du vill få e-post.")})
    if subscriber.frequency != frequency:
        before = subscriber.frequency
        subscriber.frequency = frequency
        if frequency == Subscriber.Frequency.WEEKLY:
            # The first digest covers what happens from now on, not what was already sent.
            subscriber.last_digest_at = timezone.now()
        subscriber.save(update_fields=["frequency", "last_digest_at"])
        audit_record(
            action=AuditEntry.Action.UPDATE,
            subject=subscriber,
            changes={"frequency": [before, frequency]},
            via=VIA,
        )
    return subscriber


def subscriptions_purge_unconfirmed(*, now: dt.datetime | None = None) -> int:
    """Forget requests never confirmed within the link's validity (they hold an address)."""
    stale = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lte=confirm_cutoff(now)
    )
    with transaction.atomic():
        subscriber_ids = set(stale.values_list("subscriber_id", flat=True))
        count, _by_model = stale.delete()
        Subscriber.objects.filter(pk__in=subscriber_ids, subscriptions__isnull=True).delete()
    return count

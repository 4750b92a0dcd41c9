"""Test data and helpers for subscriptions and notifications, built through the services
(except the thousands of subscribers of the load tests, written in bulk)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlparse

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from brygga.actionplan.models import (
    Activity,
    Area,
    Program,
    Subscriber,
    Subscription,
)
from brygga.actionplan.services.structure import activity_create, area_create, program_create
from brygga.actionplan.services.subscriptions import (
    new_token,
    subscriber_set_frequency,
    subscription_confirm,
    subscription_request,
)
from brygga.actionplan.tests.factories import status
from brygga.core.testing.smtp import SmtpServer

LINK = r"https?://[^\s\"<>]+"
CONFIRM_RE = re.compile(LINK + r"/prenumeration/bekrafta/[A-Za-z0-9_-]+/")
MANAGE_RE = re.compile(LINK + r"/prenumeration/(?!bekrafta/|avsluta)[A-Za-z0-9_-]+/")
UNSUBSCRIBE_RE = re.compile(LINK + r"/prenumeration/avsluta/[A-Za-z0-9_-]+/")


@dataclass
class Plan:
    program: Program
    area: Area  # "Förbättra dialogen …", with two published activities
    other_area: Area  # a second area of the same program
    activity: Activity  # "Företagsbesök med politiker", status Utredning
    other: Activity  # "Frukostmöten för företagare", in ``other_area``
    draft: Activity  # an unpublished activity in ``area``
    other_program: Program
    far_area: Area  # an area of the other program


def make_plan() -> Plan:
    program = program_create(title="Topp 50-2017", published=True)
    area = area_create(
        program=program,
        title="Förbättra dialogen mellan företagare och politiker/tjänstemän",
        published=True,
    )
    other_area = area_create(program=program, title="Snabbare bygglov", published=True)
    activity = activity_create(
        area=area,
        title="Företagsbesök med politiker",
        status=status("investigating"),
        status_text="Vi utreder hur besöken kan göras oftare.",
        published=True,
        notify=False,
    )
    other = activity_create(
        area=other_area,
        title="Frukostmöten för företagare",
        status=status("ongoing"),
        published=True,
        notify=False,
    )
    draft = activity_create(
        area=area, title="Ett utkast", status=status("planned"), published=False, notify=False
    )
    other_program = program_create(title="Näringslivsstrategi Lerum", published=True)
    far_area = area_create(program=other_program, title="Inflytande", published=True)
    return Plan(program, area, other_area, activity, other, draft, other_program, far_area)


def subscribe(
    email: str,
    *,
    areas: tuple[Area, ...] = (),
    programs: tuple[Program, ...] = (),
    confirmed: bool = True,
    weekly: bool = False,
) -> Subscriber:
    """A subscriber as the pages make one: requested, then (optionally) confirmed."""
    subscriber = subscription_request(email=email, areas=areas, programs=programs)
    if confirmed:
        subscription_confirm(subscriber=subscriber)
    if weekly:
        subscriber_set_frequency(subscriber=subscriber, frequency=Subscriber.Frequency.WEEKLY)
    subscriber.refresh_from_db()
    return subscriber


@transaction.atomic
def many_subscribers(
    area: Area, count: int, *, start: int = 0, program: Program | None = None
) -> None:
    """``count`` confirmed, immediate subscribers of ``area`` (or ``program``), in bulk."""
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(email=f"foretagare{i}@example.se", token=new_token())
        for i in range(start, start + count)
    )
    Subscription.objects.bulk_create(
        Subscription(
            subscriber=s,
            area=None if program else area,
            program=program,
            token=new_token(),
            confirmed_at=now,
        )
        for s in subscribers
    )


def age_requests(subscriber: Subscriber, days: float) -> None:
    """Pretend the subscriber's requests were made ``days`` ago."""
    subscriber.subscriptions.update(created_at=timezone.now() - dt.timedelta(days=days))


def path_of(url: str) -> str:
    return urlparse(url).path


def link_in(message: EmailMessage, pattern: re.Pattern[str]) -> str:
    """The absolute link matching ``pattern``, the same in the plain and the HTML part."""
    text = pattern.search(SmtpServer.body(message, "plain"))
    html = pattern.search(SmtpServer.body(message, "html"))
    assert text and html, f"no {pattern.pattern} in the e-mail"
    assert text.group(0) == html.group(0)
    return text.group(0)


def subscribe_url(area: Area | None = None, program: Program | None = None) -> str:
    if area is not None:
        return reverse(
            "actionplan:area_subscribe", kwargs={"program": area.program.slug, "area": area.slug}
        )
    assert program is not None
    return reverse("actionplan:program_subscribe", kwargs={"program": program.slug})


def confirm_url(subscriber: Subscriber) -> str:
    return reverse("actionplan:subscription_confirm", kwargs={"token": subscriber.token})


def manage_url(subscriber: Subscriber) -> str:
    return reverse("actionplan:subscription_manage", kwargs={"token": subscriber.token})


def unsubscribe_url(subscription: Subscription) -> str:
    return reverse("actionplan:unsubscribe", kwargs={"token": subscription.token})


def unsubscribe_all_url(subscriber: Subscriber) -> str:
    return reverse("actionplan:unsubscribe_all", kwargs={"token": subscriber.token})


def form_email(email: str) -> dict[str, str]:
    return {"prenumeration-email": email, "prenumeration-website": ""}

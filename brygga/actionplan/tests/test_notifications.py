"""Telling subscribers: the fan-out of a timeline entry, and the weekly digest."""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo
from typing import Any
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brygga.actionplan.links import absolute, manage_url, unsubscribe_url
from brygga.actionplan.models import ActivityUpdate, Subscriber, Subscription
from brygga.actionplan.services.notifications import (
    KIND_DIGEST,
    KIND_UPDATE,
    UPDATE_TEMPLATE,
    _UpdateMails,
    digest_period_start,
    digests_send,
    update_fanout,
)
from brygga.actionplan.services.status import activity_post_update, activity_set_status
from brygga.actionplan.services.structure import activity_create, activity_update
from brygga.actionplan.tasks import fanout_sweep_task, update_fanout_task
from brygga.actionplan.tests.subscriptions_factory import (
    MANAGE_RE,
    UNSUBSCRIBE_RE,
    Plan,
    link_in,
    make_plan,
    many_subscribers,
    status,
    subscribe,
)
from brygga.core.models import OutboxMessage
from brygga.core.outbox import Mail, mail_render
from brygga.core.outbox_delivery import outbox_deliver_due
from brygga.core.testing.smtp import SmtpServer
from brygga.core.testing.tasks import drain_queued_tasks

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def update_mail(update: ActivityUpdate, subscription: Subscription) -> Mail:
    """The e-mail rendered on its own for one subscription: what the fan-out must match."""
    activity = update.activity
    return mail_render(
        UPDATE_TEMPLATE,
        {
            "update": update,
            "activity": activity,
            "area": activity.area,
            "program": activity.area.program,
            "activity_url": absolute(activity),
            "unsubscribe_url": unsubscribe_url(subscription),
            "manage_url": manage_url(subscription.subscriber),
            "target": subscription.target,
            "follows_program": subscription.area_id is None,
        },
    )


@pytest.fixture
def plan() -> Plan:
    return make_plan()


def set_done(plan: Plan, text: str = "Besöken görs nu varje månad.") -> ActivityUpdate:
    entry = activity_set_status(activity=plan.activity, status=status("done"), status_text=text)
    assert entry is not None
    return entry


def forget_confirmations() -> None:
    """Drop the confirmation e-mails the subscribing wrote, so only what follows is counted."""
    OutboxMessage.objects.all().delete()


def updates() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=KIND_UPDATE).order_by("to"))


# ---------------------------------------------------------------- the e-mail itself


def test_it_tells_what_happened_with_one_click_unsubscribe_headers(
    settings: Any, plan: Plan, smtp_server: SmtpServer
) -> None:
    settings.SITE_URL = "https://brygga.example.se"
    anna = subscribe("anna@example.se", areas=(plan.area,))
    forget_confirmations()
    entry = set_done(plan, "Klart! <script>alert(1)</script> Läs mer på https://kommun.example.se/")

    assert update_fanout(update_id=entry.pk) == 1
    outbox_deliver_due()

    [message] = smtp_server.messages
    subscription = anna.subscriptions.get()
    assert message["To"] == "anna@example.se"
    assert message["Subject"].strip() == "Företagsbesök med politiker: ny status Avklarad"
    unsubscribe = f"https://brygga.example.se/prenumeration/avsluta/{subscription.token}/"
    # (A long header is folded before its value; the value itself stays whole.)
    assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    assert message["List-Id"].strip() == f"<omrade-{plan.area.pk}.handlingsplan.brygga.example.se>"
    assert message["Auto-Submitted"].strip() == "auto-generated"

    text = SmtpServer.body(message, "plain")
    html = SmtpServer.body(message, "html")
    activity_url = "https://brygga.example.se" + plan.activity.get_absolute_url()
    for body in (text, html):
        assert "Utredning → Avklarad" in body
        assert plan.area.title.replace("/", "/") in body
        assert activity_url in body
    assert link_in(message, UNSUBSCRIBE_RE) == unsubscribe
    assert link_in(message, MANAGE_RE) == (f"https://brygga.example.se/prenumeration/{anna.token}/")
    # Staff text: as written in the plain part, escaped (and links made safe) in HTML.
    assert "<script>alert(1)</script>" in text
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="https://kommun.example.se/"' in html


def test_it_renders_the_same_e_mail_as_rendering_it_for_one_subscriber(plan: Plan) -> None:
    subscribe("anna@example.se", areas=(plan.area,))
    subscribe("bo@example.se", programs=(plan.program,))
    entry = set_done(plan)
    entry = ActivityUpdate.objects.select_related(
        "activity__area__program", "status", "previous_status"
    ).get(pk=entry.pk)
    mails = _UpdateMails(entry)
    for subscription in Subscription.objects.select_related("subscriber", "area", "program"):
        assert mails.for_subscription(subscription) == update_mail(entry, subscription)


def test_it_names_a_new_activity_and_a_public_update(plan: Plan) -> None:
    subscribe("anna@example.se", areas=(plan.area,))
    added = activity_create(
        area=plan.area, title="Dialogmöten om parkering", status=status("planned"), published=True
    )
    entry = ActivityUpdate.objects.get(activity=added)
    update_fanout(update_id=entry.pk)
    posted = activity_post_update(activity=plan.activity, text="Nu har tio besök gjorts.")
    update_fanout(update_id=posted.pk)
    subjects = sorted(m.subject for m in updates())
    assert subjects == [
        "Ny aktivitet: Dialogmöten om parkering",
        "Uppdatering: Företagsbesök med politiker",
    ]
    assert (
        "Nu har tio besök gjorts." in OutboxMessage.objects.get(subject__startswith="Upp").body_text
    )


# ---------------------------------------------------------------- who is told


def test_it_tells_each_confirmed_immediate_subscriber_once(
    plan: Plan, smtp_server: SmtpServer
) -> None:
    subscribe("area@example.se", areas=(plan.area,))
    both = subscribe("bada@example.se", areas=(plan.area,), programs=(plan.program,))
    subscribe("program@example.se", programs=(plan.program,))
    subscribe("annat-omrade@example.se", areas=(plan.other_area,))
    subscribe("annat-program@example.se", programs=(plan.other_program,))
    subscribe("obekraftad@example.se", areas=(plan.area,), confirmed=False)
    subscribe("veckovis@example.se", areas=(plan.area,), weekly=True)
    forget_confirmations()
    entry = set_done(plan)

    assert update_fanout(update_id=entry.pk) == 3
    outbox_deliver_due()

    assert sorted(m["To"] for m in smtp_server.messages) == [
        "area@example.se",
        "bada@example.se",
        "program@example.se",
    ]
    # The one following both gets the area subscription's link (which ends both).
    message = next(m for m in smtp_server.messages if m["To"] == "bada@example.se")
    area_subscription = both.subscriptions.get(area=plan.area)
    assert area_subscription.token in message["List-Unsubscribe"]
    program_message = next(m for m in smtp_server.messages if m["To"] == "program@example.se")
    assert "programmet ”Topp 50-2017”" in SmtpServer.body(program_message)


def test_it_mails_nothing_more_about_the_area_after_a_one_click_from_both(
    plan: Plan, smtp_server: SmtpServer
) -> None:
    subscribe("bada@example.se", areas=(plan.area,), programs=(plan.program,))
    forget_confirmations()
    update_fanout(update_id=set_done(plan).pk)
    outbox_deliver_due()
    [message] = smtp_server.messages
    unsubscribe = message["List-Unsubscribe"].strip().strip("<>")

    response = Client(enforce_csrf_checks=True).post(
        urlparse(unsubscribe).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    entry = activity_set_status(activity=plan.activity, status=status("ongoing"), status_text="")
    assert entry is not None
    assert update_fanout(update_id=entry.pk) == 0


def test_it_is_safe_to_run_twice(plan: Plan, smtp_server: SmtpServer) -> None:
    subscribe("anna@example.se", areas=(plan.area,))
    subscribe("bo@example.se", areas=(plan.area,))
    forget_confirmations()
    entry = set_done(plan)

    assert update_fanout(update_id=entry.pk) == 2
    assert update_fanout(update_id=entry.pk) == 0
    assert update_fanout_task(entry.pk) == 0
    entry.refresh_from_db()
    assert entry.notified_at is not None
    outbox_deliver_due()
    outbox_deliver_due()
    assert sorted(m["To"] for m in smtp_server.messages) == ["anna@example.se", "bo@example.se"]

    # Even a fan-out whose mark was lost writes nothing twice (each message has a key).
    ActivityUpdate.objects.filter(pk=entry.pk).update(notified_at=None)
    update_fanout(update_id=entry.pk)
    assert OutboxMessage.objects.filter(kind=KIND_UPDATE).count() == 2


def test_it_tells_nobody_of_a_draft_or_of_an_unpublished_area(plan: Plan) -> None:
    subscribe("anna@example.se", areas=(plan.area,), programs=(plan.program,))
    draft_entry = activity_set_status(
        activity=plan.draft, status=status("done"), status_text="Klart i smyg."
    )
    assert draft_entry is not None and draft_entry.notify is False
    assert update_fanout(update_id=draft_entry.pk) == 0

    entry = set_done(plan)
    # Unpublished between the change and the fan-out: nothing goes out, and it is done.
    activity_update(activity=plan.activity, data={"published": False})
    assert update_fanout(update_id=entry.pk) == 0
    entry.refresh_from_db()
    assert entry.notified_at is not None
    assert not OutboxMessage.objects.filter(kind=KIND_UPDATE).exists()


def test_it_queues_the_fan_out_after_commit_and_the_sweep_finds_a_lost_one(
    plan: Plan, django_capture_on_commit_callbacks: Any
) -> None:
    subscribe("anna@example.se", areas=(plan.area,))
    drain_queued_tasks()
    with django_capture_on_commit_callbacks() as callbacks:
        entry = set_done(plan)
        assert drain_queued_tasks() == []  # nothing before the change commits
    for callback in callbacks:
        callback()
    assert drain_queued_tasks() == [("actionplan.update_fanout", (entry.pk,))]
    assert not OutboxMessage.objects.filter(kind=KIND_UPDATE).exists()

    # The task never ran (a broker restart): once it is overdue, the sweep does its work.
    assert fanout_sweep_task() == 0
    ActivityUpdate.objects.filter(pk=entry.pk).update(at=entry.at - dt.timedelta(minutes=5))
    assert fanout_sweep_task() == 1
    assert [m.to for m in updates()] == ["anna@example.se"]
    assert fanout_sweep_task() == 0


def _status_change_request(client: Any, plan: Plan, key: str) -> int:
    url = reverse("actionplan:staff_activity_status", kwargs={"pk": plan.activity.pk})
    response = client.post(
        url, {"status-status": str(status(key).pk), "status-status_text": f"Nu: {key}."}
    )
    assert response.status_code == 302
    return response.status_code


def test_it_writes_no_notification_in_the_request_that_changes_the_status(
    plan: Plan, client_for: Any, developer: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(developer)
    subscribe("anna@example.se", areas=(plan.area,))
    with CaptureQueriesContext(connection) as one:
        _status_change_request(client, plan, "done")

    many_subscribers(plan.area, 2000)
    with django_assert_num_queries(len(one)):
        _status_change_request(client, plan, "ongoing")
    assert not OutboxMessage.objects.filter(kind=KIND_UPDATE).exists()

    entry = ActivityUpdate.objects.filter(activity=plan.activity).latest("id")
    started = time.monotonic()
    assert update_fanout(update_id=entry.pk) == 2001
    assert time.monotonic() - started < 30
    assert OutboxMessage.objects.filter(kind=KIND_UPDATE).values("to").distinct().count() == 2001


@pytest.mark.slow
def test_it_fans_out_to_ten_thousand_subscribers_in_the_worker(plan: Plan) -> None:
    many_subscribers(plan.area, 9000)
    many_subscribers(plan.area, 1000, start=9000, program=plan.program)
    entry = set_done(plan)
    started = time.monotonic()
    count = update_fanout(update_id=entry.pk)
    elapsed = time.monotonic() - started
    print(f"fan-out of {count} notifications: {elapsed:.1f} s")
    assert count == 10_000
    assert OutboxMessage.objects.filter(kind=KIND_UPDATE).count() == 10_000
    assert elapsed < 60


# ---------------------------------------------------------------- the weekly digest


def local(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def weekly(email: str, plan: Plan, at: dt.datetime, **targets: Any) -> Subscriber:
    subscriber = subscribe(email, weekly=True, **targets)
    Subscriber.objects.filter(pk=subscriber.pk).update(last_digest_at=at)
    Subscription.objects.filter(subscriber=subscriber).update(confirmed_at=at)
    subscriber.refresh_from_db()
    return subscriber


def digests() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=KIND_DIGEST).order_by("id"))


def test_it_starts_the_digest_week_on_monday_at_seven_local_time() -> None:
    # 30 March 2026 is the first Monday of summer time (UTC+2); 23 March was UTC+1.
    assert digest_period_start(local(2026, 3, 30, 7, 0)) == local(2026, 3, 30, 7, 0)
    assert digest_period_start(local(2026, 3, 30, 6, 59)) == local(2026, 3, 23, 7, 0)
    assert digest_period_start(dt.datetime(2026, 3, 30, 5, 0, tzinfo=dt.UTC)) == local(
        2026, 3, 30, 7, 0
    )
    assert digest_period_start(dt.datetime(2026, 3, 30, 4, 59, tzinfo=dt.UTC)) == local(
        2026, 3, 23, 7, 0
    )
    assert local(2026, 3, 23, 7, 0).utcoffset() == dt.timedelta(hours=1)
    assert digest_period_start(local(2026, 4, 5, 23, 59)) == local(2026, 3, 30, 7, 0)


def test_it_sends_one_digest_a_week_with_the_subscribers_areas_only(
    plan: Plan, smtp_server: SmtpServer
) -> None:
    week_ago = local(2026, 3, 23, 8, 0)
    anna = weekly("anna@example.se", plan, week_ago, areas=(plan.area,))
    bo = weekly("bo@example.se", plan, week_ago, programs=(plan.program,))
    weekly("cilla@example.se", plan, week_ago, areas=(plan.far_area,))  # nothing happened there
    activity_set_status(
        activity=plan.activity,
        status=status("done"),
        status_text="Klart.",
        at=local(2026, 3, 25, 10, 0),
    )
    activity_post_update(activity=plan.other, text="Fler datum.", at=local(2026, 3, 26, 9, 0))
    forget_confirmations()
    activity_post_update(activity=plan.other, text="Efter sista.", at=local(2026, 3, 31, 9, 0))

    # Sunday evening: not yet.
    assert digests_send(now=local(2026, 3, 29, 21, 0)) == 0
    # Monday 07:00 local time (05:00 UTC in summer time): the week's digests.
    monday = local(2026, 3, 30, 7, 0)
    assert digests_send(now=monday) == 2
    assert digests_send(now=monday + dt.timedelta(hours=1)) == 0  # run again: nothing twice

    outbox_deliver_due()
    by_to = {m["To"]: m for m in smtp_server.messages}
    assert set(by_to) == {"anna@example.se", "bo@example.se"}
    anna_text = SmtpServer.body(by_to["anna@example.se"])
    assert "Utredning → Avklarad" in anna_text and "Fler datum." not in anna_text
    bo_text = SmtpServer.body(by_to["bo@example.se"])
    assert "Utredning → Avklarad" in bo_text and "Fler datum." in bo_text
    assert "Efter sista." not in bo_text  # after the digest's moment
    # Grouped by area, in the program's order.
    assert bo_text.index("== Förbättra dialogen") < bo_text.index("== Snabbare bygglov")
    assert (
        by_to["bo@example.se"]["Subject"].strip() == "Veckans nytt i handlingsplanen: 2 händelser"
    )
    for subscriber in (anna, bo):
        message = by_to[subscriber.email]
        assert link_in(message, MANAGE_RE).endswith(f"/prenumeration/{subscriber.token}/")
        assert message["List-Unsubscribe"].endswith(
            f"/prenumeration/avsluta-allt/{subscriber.token}/>"
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = SmtpServer.body(by_to["bo@example.se"], "html")
    assert plan.activity.get_absolute_url() in html

    # The next week covers only what happened since.
    next_monday = local(2026, 4, 6, 7, 30)
    assert digests_send(now=next_monday) == 1
    [latest] = digests()[2:]
    assert latest.to == "bo@example.se"
    assert "Efter sista." in latest.body_text and "Fler datum." not in latest.body_text


def test_it_sends_nothing_when_nothing_happened(plan: Plan) -> None:
    anna = weekly("anna@example.se", plan, local(2026, 3, 23, 8, 0), areas=(plan.area,))
    assert digests_send(now=local(2026, 3, 30, 7, 5)) == 0
    assert digests() == []
    anna.refresh_from_db()
    assert anna.last_digest_at == local(2026, 3, 30, 7, 5)


def test_it_covers_from_confirmation_for_a_first_digest(plan: Plan) -> None:
    anna = weekly("anna@example.se", plan, local(2026, 3, 24, 12, 0), areas=(plan.area,))
    Subscriber.objects.filter(pk=anna.pk).update(last_digest_at=None)
    activity_post_update(activity=plan.activity, text="Före.", at=local(2026, 3, 24, 11, 0))
    activity_post_update(activity=plan.activity, text="Efter.", at=local(2026, 3, 24, 13, 0))
    assert digests_send(now=local(2026, 3, 30, 8, 0)) == 1
    [digest] = digests()
    assert "Efter." in digest.body_text and "Före." not in digest.body_text


def test_it_leaves_out_unconfirmed_and_immediate_subscribers(plan: Plan) -> None:
    start = local(2026, 3, 23, 8, 0)
    weekly("anna@example.se", plan, start, areas=(plan.area,))
    Subscription.objects.update(confirmed_at=None)
    subscribe("bo@example.se", areas=(plan.area,))  # immediate
    activity_post_update(activity=plan.activity, text="Nytt.", at=local(2026, 3, 25, 9, 0))
    assert digests_send(now=local(2026, 3, 30, 8, 0)) == 0
    assert digests() == []

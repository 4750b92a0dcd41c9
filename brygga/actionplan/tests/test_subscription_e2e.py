"""The whole notification path, end to end, through the real pages and a real SMTP server.

A visitor subscribes with the form on the area page, gets the confirmation e-mail,
opens the link and confirms; staff change an activity's status; the worker's tasks
(run in-process: Celery in eager mode) fan out and deliver, and exactly one
notification arrives with the RFC 8058 headers; a bare one-click POST from a client
with no cookies ends the subscription; the next change sends nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from brygga.actionplan.models import ActivityUpdate, Subscriber, Subscription
from brygga.actionplan.services.status import activity_set_status
from brygga.actionplan.tests.subscriptions_factory import (
    CONFIRM_RE,
    MANAGE_RE,
    UNSUBSCRIBE_RE,
    Plan,
    link_in,
    make_plan,
    path_of,
    status,
)
from brygga.core.models import OutboxMessage
from brygga.core.outbox_delivery import outbox_deliver_due
from brygga.core.testing.smtp import SmtpServer

SITE = "https://brygga.example.se"
VISITOR = "sara.lind@batvarv.example.se"


class _Forms(HTMLParser):
    """The POST forms of a page: their action and the named inputs in them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._current: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._current = {"action": a.get("action") or "", "inputs": {}, "types": {}}
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None and a.get("name"):
            name = a["name"] or ""
            self._current["inputs"][name] = a.get("value") or ""
            self._current["types"][name] = a.get("type") or "text"

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def post_forms(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


@pytest.fixture
def tasks_in_process() -> Iterator[None]:
    """Queued tasks run at once, in this process, as a worker would run them."""
    from brygga.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        app.conf.task_always_eager = False
        app.conf.task_eager_propagates = False


def change_status(plan: Plan, key: str, text: str, capture: Any) -> ActivityUpdate:
    """Staff change the status; after commit the fan-out task runs, then delivery."""
    with capture(execute=True):
        entry = activity_set_status(
            activity=plan.activity, status=status(key), status_text=text, via="test"
        )
    assert entry is not None
    outbox_deliver_due()  # anything the delivery task left (it has a time budget)
    return entry


def arrived(smtp_server: SmtpServer, count: int) -> list[EmailMessage]:
    assert smtp_server.wait_for(count, timeout=10)
    assert len(smtp_server.messages) == count
    return smtp_server.messages


@pytest.mark.django_db
def test_it_subscribes_notifies_once_and_stops_after_one_click(
    settings: Any,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
    tasks_in_process: None,
) -> None:
    settings.SITE_URL = SITE
    plan = make_plan()

    # 1. The visitor finds the form on the area page and subscribes (CSRF checked).
    visitor = Client(enforce_csrf_checks=True)
    area_page = visitor.get(plan.area.get_absolute_url())
    assert area_page.status_code == 200
    [form] = [f for f in post_forms(area_page.content.decode()) if "prenumerera" in f["action"]]
    assert form["types"]["prenumeration-email"] == "email"
    data = dict(form["inputs"], **{"prenumeration-email": VISITOR})
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(form["action"], data)
    assert response.status_code == 302
    assert "Vi har skickat" in visitor.get(response["Location"]).content.decode()

    # 2. The confirmation e-mail arrives at once (delivery was nudged after commit).
    [confirmation] = arrived(smtp_server, 1)
    assert confirmation["To"] == VISITOR
    confirm_path = path_of(link_in(confirmation, CONFIRM_RE))

    # 3. Opening the link only shows the page; the button confirms.
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(confirm_path)
    assert page.status_code == 200 and plan.area.title in page.content.decode()
    assert Subscription.objects.get().confirmed_at is None
    [confirm_form] = post_forms(page.content.decode())
    done = reader.post(confirm_path, confirm_form["inputs"])
    assert done.status_code == 200 and "Prenumerationen är bekräftad" in done.content.decode()
    assert Subscription.objects.get().confirmed_at is not None

    # 4. Staff change the status: Utredning → Avklarad.
    change_status(plan, "done", "Besöken görs nu varje månad.", django_capture_on_commit_callbacks)

    [_, notification] = arrived(smtp_server, 2)
    assert notification["To"] == VISITOR
    unsubscribe_header = notification["List-Unsubscribe"].strip()
    match = re.fullmatch(r"<(https://[^>\s]+)>", unsubscribe_header)
    assert match, unsubscribe_header
    unsubscribe = match.group(1)
    assert unsubscribe.startswith(f"{SITE}/prenumeration/avsluta/")
    assert notification["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    assert notification["List-Id"].strip().startswith("<omrade-")
    text = SmtpServer.body(notification, "plain")
    assert "Utredning → Avklarad" in text
    assert "Besöken görs nu varje månad." in text
    assert SITE + plan.activity.get_absolute_url() in text
    assert link_in(notification, UNSUBSCRIBE_RE) == unsubscribe
    manage = link_in(notification, MANAGE_RE)
    assert Client().get(path_of(manage)).status_code == 200
    assert Client().get(plan.activity.get_absolute_url()).status_code == 200

    # 5. One click in the mail program: a bare POST, no cookies, no CSRF token.
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(
        path_of(unsubscribe),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()
    assert not Subscriber.objects.exists()

    # 6. The next change reaches nobody.
    change_status(plan, "ongoing", "Vi fortsätter.", django_capture_on_commit_callbacks)
    assert len(smtp_server.messages) == 2
    assert not OutboxMessage.objects.exclude(state=OutboxMessage.State.SENT).exists()
    assert ActivityUpdate.objects.filter(notify=True, notified_at__isnull=True).count() == 0

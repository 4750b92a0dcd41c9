"""Registration end to end, through the real pages (CSRF checked) and a real SMTP server.

Anna takes the only seat of a breakfast meeting with the public form and gets the
confirmation with the meeting as an .ics attachment and her own link; Bertil comes
next and is told he is on the waitlist; Anna opens her link, the page only shows, she
presses the button and gets a receipt; Bertil gets the seat, by e-mail, with the .ics.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any

import pytest
import vobject
from django.test import Client

from brygga.core.outbox_delivery import outbox_deliver_due
from brygga.core.testing.smtp import SmtpServer
from brygga.events.models import Event, Registration
from brygga.events.tests.factories import local, make_event

pytestmark = pytest.mark.django_db

SITE = "https://brygga.example.se"
MANAGE_RE = re.compile(re.escape(SITE) + r"/moten/anmalan/[\w-]+/")


class _Forms(HTMLParser):
    """The POST forms of a page: their action and their inputs (name, type, value)."""

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
            self._current["types"][name] = a.get("type") or "text"
            if a.get("type") not in {"checkbox", "radio"}:
                self._current["inputs"][name] = a.get("value") or ""


def post_form(html: str) -> dict[str, Any]:
    parser = _Forms()
    parser.feed(html)
    [form] = parser.forms
    return form


def arrived(smtp_server: SmtpServer, count: int) -> list[EmailMessage]:
    outbox_deliver_due()
    assert smtp_server.wait_for(count, timeout=10)
    assert len(smtp_server.messages) == count
    return smtp_server.messages


def manage_path(message: EmailMessage) -> str:
    links = set(MANAGE_RE.findall(SmtpServer.body(message, "plain")))
    assert len(links) == 1, links
    return links.pop().removeprefix(SITE)


def ics_of(message: EmailMessage) -> Any:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert (part.get_filename() or "").endswith(".ics")
    content = part.get_content()
    return vobject.readOne(content if isinstance(content, str) else content.decode("utf-8"))


def register(event: Event, name: str, email: str) -> tuple[Client, str]:
    """Fill in the form on the meeting's page as a browser would; the person's page."""
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(event.get_absolute_url())
    form = post_form(page.content.decode())
    assert form["types"]["email"] == "email"
    data = dict(form["inputs"], name=name, email=email, consent_contact="on")
    response = visitor.post(form["action"], data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return visitor, response["Location"]


def test_register_waitlist_cancel_and_promotion_by_e_mail(
    settings: Any, smtp_server: SmtpServer
) -> None:
    settings.SITE_URL = SITE
    event = make_event(
        title="Frukostmöte i Mariefred", capacity=1, starts_at=local(2031, 6, 13, 7, 30)
    )

    # 1. Anna takes the only seat.
    anna, anna_page = register(event, "Anna Andersson", "anna@batvarv.example.se")
    assert "Du är anmäld" in anna.get(anna_page).content.decode()
    [confirmation] = arrived(smtp_server, 1)
    assert confirmation["To"] == "anna@batvarv.example.se"
    assert "Du är anmäld: Frukostmöte i Mariefred" in confirmation["Subject"]
    assert manage_path(confirmation) == anna_page
    calendar = ics_of(confirmation)
    assert calendar.vevent.uid.value == event.uid
    assert calendar.vevent.summary.value == "Frukostmöte i Mariefred"
    assert calendar.vevent.dtstart.value.replace(tzinfo=None).isoformat() == "2031-06-13T07:30:00"
    assert "Gripsholms värdshus" in calendar.vevent.location.value

    # 2. Bertil comes next: the waitlist, and an e-mail that says so.
    bertil, bertil_page = register(event, "Bertil Berg", "bertil@example.se")
    assert "Du står på väntelistan" in bertil.get(bertil_page).content.decode()
    [_, waitlisted] = arrived(smtp_server, 2)
    assert waitlisted["To"] == "bertil@example.se"
    assert "väntelistan" in waitlisted["Subject"]
    assert not [p for p in waitlisted.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert manage_path(waitlisted) == bertil_page

    # 3. Anna opens her link from the e-mail: the page only shows; the button cancels.
    link = manage_path(confirmation)
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(link)
    assert page.status_code == 200
    assert Registration.objects.get(email="anna@batvarv.example.se").status == "confirmed"
    button = post_form(page.content.decode())
    done = reader.post(button["action"] or link, button["inputs"], follow=True)
    assert done.status_code == 200
    assert "Du är avanmäld" in done.content.decode()

    # 4. A receipt for Anna; the seat and the .ics for Bertil.
    messages = arrived(smtp_server, 4)
    by_address = {m["To"]: m for m in messages[2:]}
    receipt = by_address["anna@batvarv.example.se"]
    assert "Du är avanmäld" in receipt["Subject"]
    promoted = by_address["bertil@example.se"]
    assert "Du har fått en plats" in promoted["Subject"]
    assert ics_of(promoted).vevent.uid.value == event.uid
    assert manage_path(promoted) == bertil_page
    assert "Du är anmäld" in Client().get(bertil_page).content.decode()
    assert list(Registration.objects.values_list("email", "status").order_by("id")) == [
        ("anna@batvarv.example.se", "cancelled"),
        ("bertil@example.se", "confirmed"),
    ]

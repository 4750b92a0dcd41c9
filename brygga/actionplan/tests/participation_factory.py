"""Test data and helpers for comments, ideas and their moderation: a small plan made
with the action plan's factories (``factories.py``), the form data, and the links."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlparse

from django.urls import reverse
from django.utils import timezone

from brygga.actionplan.models import (
    Activity,
    Area,
    Comment,
    Contribution,
    Idea,
    Program,
)
from brygga.actionplan.services.participation import token_hash
from brygga.actionplan.tests.factories import (
    make_activity,
    make_area,
    make_comment,
    make_idea,
    make_program,
)
from brygga.core.testing.smtp import SmtpServer

DASH = "\N{EN DASH}"
VERIFY_RE = re.compile(r"https?://[^\s\"<]+/bekrafta/(?:kommentar|ide)/[A-Za-z0-9_-]+/")


@dataclass
class Plan:
    program: Program
    area: Area
    activity: Activity
    other: Activity  # a second published activity in the same area

    @property
    def comment_url(self) -> str:
        return comment_create_url(self.activity)

    @property
    def idea_url(self) -> str:
        return idea_create_url(self.area)

    @property
    def activity_url(self) -> str:
        return self.activity.get_absolute_url()

    @property
    def area_url(self) -> str:
        return self.area.get_absolute_url()


def make_plan(
    *, title: str = "Topp 50-2017", premoderate: bool = False, published: bool = True
) -> Plan:
    program = make_program(title=title, published=published, premoderate=premoderate)
    area = make_area(program, published=published)
    activity = make_activity(
        area,
        title="Företagsbesök med politiker",
        status_text="Besöken pågår hela året.",
        published=published,
    )
    other = make_activity(
        area, title="Frukostmöten för företagare", status="done", published=published
    )
    return Plan(program, area, activity, other)


def comment_create_url(activity: Activity) -> str:
    return reverse(
        "actionplan:comment_create",
        kwargs={
            "program": activity.area.program.slug,
            "area": activity.area.slug,
            "activity": activity.slug,
        },
    )


def comment_sent_url(activity: Activity) -> str:
    return comment_create_url(activity) + "skickad/"


def idea_create_url(area: Area) -> str:
    return reverse(
        "actionplan:idea_create", kwargs={"program": area.program.slug, "area": area.slug}
    )


def idea_sent_url(area: Area) -> str:
    return idea_create_url(area) + "skickad/"


def comment_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Sara Lind",
        "email": "sara.lind@batvarv.example.se",
        "text": "Bra initiativ! Bjud gärna in oss på Mariefreds Båtvarv.",
        "website": "",
    }
    data.update(overrides)
    return {f"kommentar-{k}": v for k, v in data.items()}


def idea_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Omar Haddad",
        "email": "omar@kafe.example.se",
        "title": "Företagarlunch varje kvartal",
        "text": "En lunch där företagare och politiker träffas utan dagordning.",
        "website": "",
    }
    data.update(overrides)
    return {f"ide-{k}": v for k, v in data.items()}


def subject(message: EmailMessage) -> str:
    """The decoded subject. A long encoded subject is folded onto a second line, and
    Python's parser keeps the space of the fold."""
    return str(message["Subject"]).strip()


def verify_path_from(body: str) -> str:
    match = VERIFY_RE.search(body)
    assert match, f"no verification link in:\n{body}"
    return urlparse(match.group(0)).path


def verify_url_in(message: EmailMessage) -> str:
    """The absolute verification link of a delivered e-mail (the same in both parts)."""
    text = VERIFY_RE.search(SmtpServer.body(message, "plain"))
    html = VERIFY_RE.search(SmtpServer.body(message, "html"))
    assert text and html, "no verification link in the e-mail"
    assert text.group(0) == html.group(0)
    return text.group(0)


def with_token(contribution: Contribution, token: str) -> str:
    """Give ``contribution`` a verification token we know (the real one is only in the
    e-mail) and return its link's path."""
    contribution.token_hash = token_hash(token)
    contribution.save(update_fields=["token_hash"])
    kind = "comment" if isinstance(contribution, Comment) else "idea"
    name = f"actionplan:{kind}_verify"
    return reverse(name, kwargs={"token": token})


def published_comment(activity: Activity, **fields: Any) -> Comment:
    """A comment whose author clicked the link (pending in a pre-moderated program)."""
    return make_comment(activity, **fields)


def published_idea(area: Area, **fields: Any) -> Idea:
    """An idea whose proposer clicked the link (pending in a pre-moderated program)."""
    return make_idea(area, **fields)


def age(contribution: Contribution, days: float) -> None:
    """Pretend ``contribution`` was written ``days`` ago."""
    model: Any = type(contribution)
    model.objects.filter(pk=contribution.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days)
    )
    contribution.refresh_from_db()

"""What the public sees of moderation and of an activity's time as a draft."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from brygga.accounts.models import User
from brygga.actionplan.services.participation import contribution_hide, contribution_publish
from brygga.actionplan.services.status import activity_set_status
from brygga.actionplan.services.structure import activity_update
from brygga.actionplan.tests.factories import (
    make_activity,
    make_area,
    make_comment,
    make_idea,
    make_program,
    status,
)

pytestmark = pytest.mark.django_db


def page(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_rejected_contribution_that_was_never_published_leaves_no_trace(developer: User):
    program = make_program(premoderate=True)
    area = make_area(program)
    activity = make_activity(area)
    make_comment(activity, text="Reklam för billiga klockor", hidden="Reklam", moderator=developer)
    make_idea(area, title="Köp klockor här", hidden="Reklam", moderator=developer)
    shown = make_comment(activity, text="Bra möte i Mariefred.", verified=True)
    contribution_publish(contribution=shown, actor=developer)
    make_comment(activity, text="Ett inlägg som var publicerat.", verified=True)
    later_hidden = activity.comments.get(text="Ett inlägg som var publicerat.")
    contribution_publish(contribution=later_hidden, actor=developer)
    contribution_hide(contribution=later_hidden, reason="Personangrepp", actor=developer)

    activity_html = page(activity.get_absolute_url())
    assert "Bra möte i Mariefred." in activity_html
    assert "Personangrepp" in activity_html  # hidden after publication: the reason shows
    assert "Ett inlägg som var publicerat." not in activity_html
    assert "Reklam" not in activity_html  # never published: nothing, not even the reason
    assert "Reklam" not in page(area.get_absolute_url())
    assert "klockor" not in page(area.get_absolute_url())


def test_the_public_timeline_starts_when_the_activity_is_published(developer: User):
    area = make_area(make_program())
    activity = make_activity(area, published=False, status="planned", status_text="Idéstadiet.")
    activity_set_status(
        activity=activity,
        status=status("investigating"),
        status_text="Internt: vi vet inte om budgeten räcker.",
        actor=developer,
        at=timezone.now() - dt.timedelta(days=2),
    )
    activity_set_status(
        activity=activity,
        status=status("planned"),
        status_text="Planerad till hösten.",
        actor=developer,
        at=timezone.now() - dt.timedelta(days=1),
    )
    activity_update(activity=activity, data={"published": True}, actor=developer)
    activity_set_status(
        activity=activity, status=status("ongoing"), status_text="Nu kör vi.", actor=developer
    )

    html = page(activity.get_absolute_url())
    assert "Nu kör vi." in html and "Planerad till hösten." in html
    assert "budgeten" not in html
    feed = Client().get(area.get_absolute_url() + "flode/").content.decode()
    assert "Nu kör vi." in feed and "budgeten" not in feed
    api = Client().get(f"/api/v1/activities/{activity.pk}/").json()
    assert [e["kind"] for e in api["timeline"]] == ["status", "added"]
    assert activity.updates.count() == 4  # the draft's entries are kept, internally

"""person_extract and person_erase cover what the action plan and the outbox hold on an address."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from brygga.accounts.models import User
from brygga.actionplan.models import ActivityStatus, Comment, Idea, Subscriber, Subscription
from brygga.actionplan.services.participation import (
    comment_submit,
    contribution_verify,
    idea_submit,
)
from brygga.actionplan.services.structure import activity_create, area_create, program_create
from brygga.core.models import AuditEntry, OutboxMessage

EMAIL = "Karin.Ek@Example.se"

pytestmark = pytest.mark.django_db


@pytest.fixture
def holdings(developer: User) -> dict[str, object]:
    program = program_create(title="Topp 50-2017", published=True, actor=developer)
    area = area_create(program=program, title="Dialog", published=True, actor=developer)
    activity = activity_create(
        area=area,
        title="Frukostmöten",
        status=ActivityStatus.objects.get(key="done"),
        published=True,
        actor=developer,
    )
    comment = contribution_verify(
        contribution=comment_submit(
            activity=activity, name="Karin Ek", email=EMAIL, text="Bra initiativ!"
        )
    )
    idea = idea_submit(
        area=area, name="Karin Ek", email=EMAIL.lower(), title="Lunchmöten", text="Även lunch."
    )
    subscriber = Subscriber.objects.create(email=EMAIL.lower(), token="t-karin")
    Subscription.objects.create(
        subscriber=subscriber, area=area, token="s-karin", confirmed_at=timezone.now()
    )
    other = comment_submit(activity=activity, name="Bo", email="bo@example.se", text="Håller med.")
    return {"comment": comment, "idea": idea, "other": other}


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_it_extracts_comments_ideas_subscriptions_and_mail(holdings):
    data = json.loads(run("person_extract", EMAIL))
    plan = data["actionplan"]
    assert [c["text"] for c in plan["comments"]] == ["Bra initiativ!"]
    assert plan["comments"][0]["activity"] == "Frukostmöten"
    assert [i["title"] for i in plan["ideas"]] == ["Lunchmöten"]
    assert plan["subscriber"]["subscriptions"][0]["to"] == "Dialog"
    # The verification e-mails for the comment and the idea.
    assert len(data["outbox"]["messages"]) == 2
    assert "bo@example.se" not in json.dumps(data)


def test_a_dry_run_lists_what_would_go_and_changes_nothing(holdings):
    output = run("person_erase", EMAIL)
    assert "Kommentarer i handlingsplanen som anonymiseras: 1" in output
    assert "Idéer i handlingsplanen som anonymiseras: 1" in output
    assert "Prenumerationer på handlingsplanen som avslutas: 1" in output
    assert "Utgående e-post till adressen som raderas: 2" in output
    assert Comment.objects.get(pk=holdings["comment"].pk).name == "Karin Ek"
    assert Subscriber.objects.filter(email__iexact=EMAIL).exists()


def test_it_anonymises_contributions_and_deletes_the_subscriber_and_the_mail(holdings):
    run("person_erase", EMAIL, "--yes")
    comment = Comment.objects.get(pk=holdings["comment"].pk)
    assert (comment.name, comment.email, comment.text) == ("Borttagen person", "", "Bra initiativ!")
    assert comment.state == Comment.State.PUBLISHED  # still part of the public record
    idea = Idea.objects.get(pk=holdings["idea"].pk)
    assert (idea.name, idea.email) == ("Borttagen person", "")
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["bo@example.se"]
    other = Comment.objects.get(pk=holdings["other"].pk)
    assert (other.name, other.email) == ("Bo", "bo@example.se")
    erased = AuditEntry.objects.filter(action=AuditEntry.Action.ERASE, via="person_erase")
    assert {e.subject_type for e in erased} == {
        "actionplan.comment",
        "actionplan.idea",
        "actionplan.subscriber",
    }
    assert not any("karin" in json.dumps(e.changes).lower() for e in erased)
    assert json.loads(run("person_extract", EMAIL)).get("actionplan") is None

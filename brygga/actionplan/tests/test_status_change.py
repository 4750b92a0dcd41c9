"""A status change or public update from the staff page: one timeline entry, one audit
entry, and the subscribers told after commit — the same effects as the API's."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from brygga.actionplan.models import Activity, ActivityUpdate
from brygga.actionplan.services.notifications import KIND_UPDATE, update_fanout
from brygga.actionplan.services.status import TEXT_MAX, activity_post_update
from brygga.actionplan.tests.staff_factory import Plan, make_plan, status, subscribe
from brygga.core.models import AuditEntry, OutboxMessage
from brygga.core.outbox_delivery import outbox_deliver_due
from brygga.core.testing.smtp import SmtpServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan() -> Plan:
    plan = make_plan(activities=1)
    subscribe("omrade@example.se", area=plan.area)
    subscribe("program@example.se", program=plan.program)
    subscribe("obekraftad@example.se", area=plan.area, confirmed=False)
    return plan


def post_status(client: Any, activity: Activity, key: str, text: str) -> Any:
    return client.post(
        reverse("actionplan:staff_activity_status", kwargs={"pk": activity.pk}),
        {"status-status": str(status(key).pk), "status-status_text": text},
        follow=True,
    )


def audit_entries(activity: Activity) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            subject_type="actionplan.activity", subject_id=str(activity.pk)
        ).order_by("id")
    )


def test_a_new_status_writes_one_status_entry_an_audit_entry_and_queues_the_fanout(
    client_for, developer, plan, django_capture_on_commit_callbacks
):
    activity = plan.activity  # "investigating" since make_plan
    entries_before = set(activity.updates.values_list("id", flat=True))
    audits_before = len(audit_entries(activity))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_status(client_for(developer), activity, "done", "Klart i maj.")
    assert "Statusen är ändrad till ”Avklarad”." in response.content.decode()
    assert "Prenumeranterna får besked via e-post." in response.content.decode()
    new = activity.updates.exclude(id__in=entries_before)
    assert new.count() == 1
    entry = new.get()
    assert entry.kind == ActivityUpdate.Kind.STATUS
    assert (entry.previous_status, entry.status) == (status("investigating"), status("done"))
    assert entry.text == "Klart i maj."
    assert entry.author == developer
    assert entry.notify is True and entry.notified_at is None
    assert callbacks, "the fan-out is queued after commit"
    activity.refresh_from_db()
    assert (activity.status, activity.status_text) == (status("done"), "Klart i maj.")
    audits = audit_entries(activity)
    assert len(audits) == audits_before + 1
    assert audits[-1].actor == developer
    assert audits[-1].changes == {
        "status": ["investigating", "done"],
        "status_text": ["Läget för aktivitet 1.", "Klart i maj."],
    }
    # The worker's fan-out: one message per confirmed subscriber, none for the unconfirmed.
    assert update_fanout(update_id=entry.pk) == 2
    messages = OutboxMessage.objects.filter(kind=KIND_UPDATE)
    assert sorted(messages.values_list("to", flat=True)) == [
        "omrade@example.se",
        "program@example.se",
    ]
    entry.refresh_from_db()
    assert entry.notified_at is not None


def test_it_does_not_promise_e_mail_for_an_activity_in_a_draft_area(client_for, developer):
    plan = make_plan(activities=1)
    plan.area.published = False
    plan.area.save(update_fields=["published"])
    subscribe("omrade@example.se", area=plan.area)
    response = post_status(client_for(developer), plan.activity, "done", "Klart.")
    assert "Statusen är ändrad" in response.content.decode()
    assert "Prenumeranterna får besked" not in response.content.decode()
    assert update_fanout(update_id=plan.activity.updates.latest("id").pk) == 0


def test_the_same_status_with_a_new_text_is_an_update(client_for, admin_user, plan):
    activity = plan.activity
    count = activity.updates.count()
    response = post_status(
        client_for(admin_user), activity, "investigating", "Utredningen drar ut."
    )
    assert "Statustexten är uppdaterad." in response.content.decode()
    assert activity.updates.count() == count + 1
    entry = activity.updates.latest("id")
    assert entry.kind == ActivityUpdate.Kind.UPDATE
    assert entry.status == status("investigating")
    assert entry.previous_status is None
    assert entry.text == "Utredningen drar ut."
    assert audit_entries(activity)[-1].changes == {
        "status_text": ["Läget för aktivitet 1.", "Utredningen drar ut."]
    }


def test_no_change_writes_nothing(client_for, developer, plan, django_capture_on_commit_callbacks):
    activity = plan.activity
    entries, audits = activity.updates.count(), len(audit_entries(activity))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_status(
            client_for(developer), activity, "investigating", "  Läget för aktivitet 1.  "
        )
    assert "Inget ändrades" in response.content.decode()
    assert activity.updates.count() == entries
    assert len(audit_entries(activity)) == audits
    assert callbacks == []


def test_a_draft_activity_changes_status_without_telling_anyone(client_for, developer):
    plan = make_plan(activities=1, published=False)
    subscribe("omrade@example.se", area=plan.area)
    response = post_status(client_for(developer), plan.activity, "done", "Klart.")
    assert "Prenumeranterna får besked" not in response.content.decode()
    entry = plan.activity.updates.latest("id")
    assert entry.kind == ActivityUpdate.Kind.STATUS
    assert entry.notify is False
    assert update_fanout(update_id=entry.pk) == 0


def test_publishing_the_draft_then_adds_the_added_entry_and_tells_subscribers(
    client_for, developer
):
    plan = make_plan(activities=1, published=False)
    plan.program.published = True
    plan.program.save(update_fields=["published"])
    plan.area.published = True
    plan.area.save(update_fields=["published"])
    subscribe("omrade@example.se", area=plan.area)
    activity = plan.activity
    client_for(developer).post(
        reverse("actionplan:staff_activity_edit", kwargs={"pk": activity.pk}),
        {"title": activity.title, "slug": activity.slug, "published": "on", "position": "0"},
    )
    added = activity.updates.get(kind=ActivityUpdate.Kind.ADDED)
    assert (added.status, added.text) == (status("investigating"), "Läget för aktivitet 1.")
    assert added.notify is True and added.notified_at is None
    assert update_fanout(update_id=added.pk) == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status-status": "999999", "status-status_text": "x"}, "status"),
        ({"status-status": "inte-ett-tal", "status-status_text": "x"}, "status"),
        ({"status-status_text": "x"}, "status"),
        ({"status-status": "STATUS", "status-status_text": "x" * (TEXT_MAX + 1)}, "status_text"),
    ],
)
def test_a_bad_status_form_shows_its_errors_and_writes_nothing(
    client_for, developer, plan, data, field
):
    activity = plan.activity
    data = {k: (str(status("done").pk) if v == "STATUS" else v) for k, v in data.items()}
    entries = activity.updates.count()
    response = client_for(developer).post(
        reverse("actionplan:staff_activity_status", kwargs={"pk": activity.pk}), data
    )
    assert response.status_code == 200
    assert field in response.context["status_form"].errors
    assert 'id="id_status-' + field + '_error"' in response.content.decode()
    assert activity.updates.count() == entries
    activity.refresh_from_db()
    assert activity.status == status("investigating")


def test_a_public_update_writes_an_update_entry_and_an_audit_entry(client_for, developer, plan):
    activity = plan.activity
    response = client_for(developer).post(
        reverse("actionplan:staff_activity_update", kwargs={"pk": activity.pk}),
        {"uppdatering-text": "Första mötet är hållet."},
        follow=True,
    )
    assert "Uppdateringen är publicerad i tidslinjen." in response.content.decode()
    entry = activity.updates.latest("id")
    assert (entry.kind, entry.text, entry.status) == (
        ActivityUpdate.Kind.UPDATE,
        "Första mötet är hållet.",
        status("investigating"),
    )
    assert entry.notify is True and entry.notified_at is None
    audit = AuditEntry.objects.filter(subject_type="actionplan.activityupdate").get()
    assert (audit.actor, audit.parent_id) == (developer, str(activity.pk))
    activity.refresh_from_db()
    assert activity.status_text == "Läget för aktivitet 1."  # the status text stays


def test_the_service_names_the_update_field_when_the_text_is_too_long(plan):
    with pytest.raises(ValidationError) as caught:
        activity_post_update(activity=plan.activity, text="x" * (TEXT_MAX + 1))
    assert list(caught.value.message_dict) == ["text"]


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_an_empty_update_is_refused(client_for, developer, plan, text):
    activity = plan.activity
    entries = activity.updates.count()
    response = client_for(developer).post(
        reverse("actionplan:staff_activity_update", kwargs={"pk": activity.pk}),
        {"uppdatering-text": text},
    )
    assert response.status_code == 200
    assert "text" in response.context["update_form"].errors
    assert activity.updates.count() == entries


def test_the_subscribers_get_the_change_by_e_mail(
    client_for, developer, plan, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_status(client_for(developer), plan.activity, "done", "Klart i maj.")
    entry = plan.activity.updates.latest("id")
    update_fanout(update_id=entry.pk)  # what the worker's task does
    outbox_deliver_due()
    assert smtp_server.wait_for(2)
    received = {m["To"]: m for m in smtp_server.messages}
    assert set(received) == {"omrade@example.se", "program@example.se"}
    for message in received.values():
        assert "Klart i maj." in SmtpServer.body(message)
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count() == 2

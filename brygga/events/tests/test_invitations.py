"""Invitations: who is invited (consent, advertising block, one per address), that the
request only queues the work, and that the worker's writing is safe to repeat."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from brygga.core.models import OutboxMessage
from brygga.core.testing.tasks import drain_queued_tasks
from brygga.events.models import Invitation, InvitationBatch
from brygga.events.services.invitations import (
    invitation_batch_write,
    invitation_batches_sweep,
    invitation_recipients,
    invitation_send,
)
from brygga.events.services.registrations import registration_create
from brygga.events.tests.factories import make_event, make_past, make_registration
from brygga.register.filters import CompanyFilters
from brygga.register.models import Company, Contact, Tag
from brygga.register.services.segments import segment_create
from brygga.register.tests.companies_factory import make_company

pytestmark = pytest.mark.django_db


def contact(company: Company, email: str, *, consent: bool = True, name: str = "") -> Contact:
    return Contact.objects.create(
        company=company, name=name or email.split("@")[0], email=email, consent_mailing=consent
    )


@pytest.fixture
def mariefred() -> dict[str, Contact]:
    bygg = make_company("Mariefreds Bygg AB", postal_town="Mariefred")
    cafe = make_company("Kafé Ugglan", postal_town="Mariefred")
    blocked = make_company("Reklamfri AB", postal_town="Mariefred", advertising_block=True)
    gone = make_company("Nedlagt AB", postal_town="Mariefred", status=Company.Status.DEREGISTERED)
    elsewhere = make_company("Strängnäs Bageri", postal_town="Strängnäs")
    return {
        "bo": contact(bygg, "bo@bygg.se"),
        "no_consent": contact(bygg, "nej@bygg.se", consent=False),
        "cafe": contact(cafe, "Info@Ugglan.se"),
        "cafe_twice": contact(bygg, "info@ugglan.se"),  # the same address at two companies
        "blocked": contact(blocked, "reklam@fri.se"),
        "gone": contact(gone, "gone@nedlagt.se"),
        "elsewhere": contact(elsewhere, "bageri@example.se"),
        "no_address": contact(cafe, ""),
    }


def emails(contacts) -> list[str]:
    return sorted(c.email.lower() for c in contacts)


def test_only_consenting_active_contacts_once_per_address_without_advertising_block(
    mariefred: dict[str, Contact],
) -> None:
    event = make_event()
    found = invitation_recipients(event=event, target="locality", locality="mariefred")
    assert emails(found) == ["bo@bygg.se", "info@ugglan.se"]


def test_a_regulatory_meeting_also_invites_companies_with_advertising_block(
    mariefred: dict[str, Contact],
) -> None:
    event = make_event(regulatory=True)
    found = invitation_recipients(event=event, target="locality", locality="Mariefred")
    assert emails(found) == ["bo@bygg.se", "info@ugglan.se", "reklam@fri.se"]


def test_a_tag_and_a_saved_segment_select_their_companies(
    mariefred: dict[str, Contact], developer
) -> None:
    event = make_event()
    krogare = Tag.objects.create(name="Krögare", slug="krogare", kind=Tag.Kind.TRADE)
    mariefred["cafe"].company.tags.add(krogare)
    assert emails(invitation_recipients(event=event, target="tag", tag=krogare)) == [
        "info@ugglan.se"
    ]
    segment = segment_create(
        name="Strängnäs", filters=CompanyFilters(town="Strängnäs"), actor=developer
    )
    assert emails(invitation_recipients(event=event, target="segment", segment=segment)) == [
        "bageri@example.se"
    ]


def test_the_request_queues_the_worker_and_writes_no_invitations(
    mariefred: dict[str, Contact], django_capture_on_commit_callbacks
) -> None:
    event = make_event()
    drain_queued_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        batch = invitation_send(event=event, target="locality", locality="Mariefred")
    assert batch.state == InvitationBatch.State.QUEUED
    assert batch.description == "Företag i Mariefred"
    assert not Invitation.objects.exists()
    assert ("events.write_invitations", (batch.pk,)) in drain_queued_tasks()


def test_the_worker_writes_each_invitation_and_its_mail_once(
    mariefred: dict[str, Contact],
) -> None:
    event = make_event(title="Frukostmöte i Mariefred")
    batch = invitation_send(event=event, target="locality", locality="Mariefred")
    invitation_batch_write(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.state, batch.invited) == (InvitationBatch.State.DONE, 2)
    assert emails(Invitation.objects.all()) == ["bo@bygg.se", "info@ugglan.se"]
    messages = OutboxMessage.objects.filter(kind="events.invitation")
    assert sorted(m.to for m in messages) == ["bo@bygg.se", "info@ugglan.se"]
    assert all(m.priority == OutboxMessage.Priority.BULK for m in messages)
    message = messages.get(to="bo@bygg.se")
    token = Invitation.objects.get(email="bo@bygg.se").token
    assert "Frukostmöte i Mariefred" in message.subject
    assert f"/moten/inbjudan/{token}/" in message.body_text
    # Running again (a repeated task), or sending to the same locality again, adds nothing.
    invitation_batch_write(batch_id=batch.pk)
    second = invitation_send(event=event, target="locality", locality="Mariefred")
    invitation_batch_write(batch_id=second.pk)
    assert Invitation.objects.count() == 2
    assert messages.count() == 2


def test_people_already_registered_are_not_invited(mariefred: dict[str, Contact]) -> None:
    event = make_event()
    make_registration(event, email="BO@bygg.se")
    found = invitation_recipients(event=event, target="locality", locality="Mariefred")
    assert emails(found) == ["info@ugglan.se"]


def test_the_sweep_writes_batches_whose_task_was_lost(mariefred: dict[str, Contact]) -> None:
    event = make_event()
    batch = invitation_send(event=event, target="locality", locality="Mariefred")
    assert invitation_batches_sweep() == 0  # too fresh: its task may still be on its way
    InvitationBatch.objects.filter(pk=batch.pk).update(
        created_at=batch.created_at.replace(year=2020)
    )
    assert invitation_batches_sweep() == 1
    assert Invitation.objects.count() == 2


def test_an_invitation_lets_its_holder_register_for_an_invitation_only_meeting(
    mariefred: dict[str, Contact],
) -> None:
    event = make_event(public=False)
    batch = invitation_send(event=event, target="locality", locality="Mariefred")
    invitation_batch_write(batch_id=batch.pk)
    invitation = Invitation.objects.get(email="bo@bygg.se")
    registration = registration_create(
        event=event, name="Bo", email="bo@bygg.se", invitation=invitation
    )
    assert registration.invitation == invitation


def test_no_invitations_to_a_past_or_cancelled_meeting_or_without_a_target() -> None:
    with pytest.raises(ValidationError, match="redan börjat"):
        invitation_send(event=make_past(make_event()), target="locality", locality="Mariefred")
    with pytest.raises(ValidationError) as exc:
        invitation_send(event=make_event(), target="locality", locality=" ")
    assert "locality" in exc.value.message_dict
    with pytest.raises(ValidationError):
        invitation_send(event=make_event(), target="nobody")
    assert not InvitationBatch.objects.exists()

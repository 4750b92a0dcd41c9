"""Inviting a segment, a tag or a locality (preview, then send), and the check-in list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from brygga.accounts.models import User
from brygga.events.models import InvitationBatch, Registration
from brygga.events.services.invitations import invitation_batch_write
from brygga.events.tests.factories import make_event, make_past, make_registration
from brygga.register.models import Company, Contact, Segment, Tag
from brygga.register.tests.companies_factory import make_company

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(developer: User, client_for: Callable[[User | None], Client]) -> Client:
    return client_for(developer)


def _contact(company: Company, email: str, *, consent: bool = True) -> Contact:
    return Contact.objects.create(
        company=company, name=email.split("@")[0].title(), email=email, consent_mailing=consent
    )


@pytest.fixture
def register() -> dict[str, Any]:
    """Mariefred: a café (two consenting contacts, one without consent), a builder with
    SCB's advertising block; Strängnäs: a tagged restaurant."""
    krogare = Tag.objects.create(name="Krögare", slug="krogare")
    cafe = make_company("Kafé Ugglan", postal_town="Mariefred")
    _contact(cafe, "anna@ugglan.se")
    _contact(cafe, "bo@ugglan.se")
    _contact(cafe, "cia@ugglan.se", consent=False)
    blocked = make_company("Mariefreds Bygg AB", postal_town="Mariefred", advertising_block=True)
    _contact(blocked, "dan@bygg.se")
    krog = make_company("Krogen", postal_town="Strängnäs")
    krog.tags.add(krogare)
    _contact(krog, "eva@krogen.se")
    gone = make_company("Nedlagt AB", postal_town="Mariefred", status="deregistered")
    _contact(gone, "fia@nedlagt.se")
    segment = Segment.objects.create(name="Mariefred", filters={"town": "Mariefred"})
    return {"tag": krogare, "segment": segment}


def _preview(client: Client, pk: int, **params: Any) -> Any:
    return client.get(reverse("events:staff_invite", kwargs={"pk": pk}), params)


def test_the_page_explains_consent_and_the_advertising_block(
    office: Client, register: dict[str, Any]
) -> None:
    event = make_event()
    html = office.get(reverse("events:staff_invite", kwargs={"pk": event.pk})).content.decode()
    assert "samtyckt till utskick" in html
    assert "reklamspärr" in html
    assert "Mariefred" in html and "Strängnäs" in html  # the towns to choose from


def test_the_preview_counts_who_would_be_invited(office: Client, register: dict[str, Any]) -> None:
    event = make_event()
    regulatory = make_event(title="Nya regler för serveringstillstånd", regulatory=True)
    town = _preview(office, event.pk, target="locality", locality="Mariefred")
    assert town.context["recipients"] == 2  # anna, bo: not cia (no consent), not dan (block)
    assert "2 kontaktpersoner får en inbjudan." in town.content.decode()
    typed = _preview(office, event.pk, target="locality", locality_other="mariefred")
    assert typed.context["recipients"] == 2
    assert (
        _preview(office, regulatory.pk, target="locality", locality="Mariefred").context[
            "recipients"
        ]
        == 3
    )  # myndighetsinformation reaches dan too
    segment = register["segment"].pk
    assert _preview(office, event.pk, target="segment", segment=segment).context["recipients"] == 2
    tag = register["tag"].pk
    assert _preview(office, event.pk, target="tag", tag=tag).context["recipients"] == 1
    # Nothing is written by looking.
    assert not InvitationBatch.objects.exists()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"target": "segment"}, "segment", "Välj vilket sparat urval"),
        ({"target": "tag"}, "tag", "Välj vilken etikett"),
        ({"target": "locality"}, "locality", "Välj en ort eller skriv en."),
        ({"target": "tag", "tag": "999999"}, "tag", "Välj en etikett i listan."),
        ({"target": "locality", "locality": "Atlantis"}, "locality", "Välj en ort i listan."),
        ({"target": "alla"}, "target", "Välj"),
    ],
)
def test_an_incomplete_choice_is_explained(
    office: Client, register: dict[str, Any], params: dict[str, str], field: str, message: str
) -> None:
    event = make_event()
    response = _preview(office, event.pk, **params)
    assert response.status_code == 200
    assert response.context["recipients"] is None
    assert message in " ".join(response.context["form"].errors[field])
    post = office.post(reverse("events:staff_invite", kwargs={"pk": event.pk}), params)
    assert post.status_code == 200
    assert not InvitationBatch.objects.exists()


def test_sending_creates_a_batch_and_returns_to_the_meeting(
    office: Client, developer: User, register: dict[str, Any]
) -> None:
    event = make_event()
    url = reverse("events:staff_invite", kwargs={"pk": event.pk})
    preview = office.get(url, {"target": "locality", "locality": "Mariefred"}).content.decode()
    assert 'name="target" value="locality"' in preview  # the send form carries the choice
    response = office.post(url, {"target": "locality", "locality": "Mariefred"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("events:staff_detail", kwargs={"pk": event.pk})
    batch = InvitationBatch.objects.get()
    assert (batch.event, batch.target, batch.locality, batch.created_by) == (
        event,
        "locality",
        "Mariefred",
        developer,
    )
    assert "skickas nu" in response.content.decode()
    # The worker writes the invitations; the page then shows them.
    invitation_batch_write(batch_id=batch.pk)
    detail = office.get(reverse("events:staff_detail", kwargs={"pk": event.pk}))
    assert detail.context["figures"].invited == 2
    assert "Företag i Mariefred" in detail.content.decode()
    # Asking again finds nobody new.
    assert (
        _preview(office, event.pk, target="locality", locality="Mariefred").context["recipients"]
        == 0
    )


def test_no_invitations_to_a_cancelled_or_past_meeting(
    office: Client, register: dict[str, Any]
) -> None:
    from brygga.events.services.events import event_cancel

    cancelled = event_cancel(event=make_event())
    past = make_past(make_event(title="Förra veckan"), days_ago=7)
    for event in (cancelled, past):
        url = reverse("events:staff_invite", kwargs={"pk": event.pk})
        assert "kan inte skickas" in office.get(url).content.decode()
        office.post(url, {"target": "locality", "locality": "Mariefred"})
    assert not InvitationBatch.objects.exists()


# ---------------------------------------------------------------- check-in


def test_the_check_in_list_is_those_with_a_seat_by_name(
    case_officer: User, client_for: Callable[[User | None], Client]
) -> None:
    event = make_event(capacity=3)
    make_registration(event, name="Örjan Öst", email="orjan@example.se")
    make_registration(event, name="anna Ask", email="anna@example.se", company_text="Kafé Ugglan")
    make_registration(event, name="Bo Berg", email="bo@example.se")
    make_registration(event, name="Cia Väntar", email="cia@example.se")  # waitlisted
    response = client_for(case_officer).get(
        reverse("events:staff_check_in", kwargs={"pk": event.pk})
    )
    assert [p.name for p in response.context["people"]] == ["anna Ask", "Bo Berg", "Örjan Öst"]
    html = response.content.decode()
    assert "0 av 3 anmälda närvarande" in html
    assert "Kafé Ugglan" in html
    assert html.count("Markera närvarande") == 3


def test_marking_attendance_and_undoing_it(
    case_officer: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(case_officer)
    event = make_event()
    anna = make_registration(event, name="Anna", email="anna@example.se")
    url = reverse("events:staff_check_in", kwargs={"pk": event.pk})
    response = client.post(url, {"registration": anna.pk, "attended": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}#r{anna.pk}"
    anna.refresh_from_db()
    assert anna.attended
    page = client.get(url).content.decode()
    assert "1 av 1 anmäld närvarande" in page
    assert "Ångra" in page
    client.post(url, {"registration": anna.pk, "attended": "0"})
    anna.refresh_from_db()
    assert not anna.attended


def test_check_in_refuses_others_registrations_and_bad_input(
    case_officer: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(case_officer)
    event, other = make_event(), make_event(title="Annat möte")
    theirs = make_registration(other, name="Bo", email="bo@example.se")
    full = make_event(title="Fullt", capacity=1)
    make_registration(full, name="Anna", email="anna@example.se")
    waiting = make_registration(full, name="Cia", email="cia@example.se")
    assert waiting.status == Registration.Status.WAITLISTED
    url = reverse("events:staff_check_in", kwargs={"pk": event.pk})
    assert client.post(url, {"registration": theirs.pk, "attended": "1"}).status_code == 404
    full_url = reverse("events:staff_check_in", kwargs={"pk": full.pk})
    assert client.post(full_url, {"registration": waiting.pk, "attended": "1"}).status_code == 404
    assert client.post(url, {"registration": "x", "attended": "1"}).status_code == 404
    assert client.post(url, {"registration": theirs.pk, "attended": "ja"}).status_code == 404
    theirs.refresh_from_db()
    waiting.refresh_from_db()
    assert not theirs.attended and not waiting.attended


def test_the_check_in_list_reads_a_fixed_number_of_queries(
    case_officer: User, client_for: Callable[[User | None], Client], django_assert_num_queries: Any
) -> None:
    client = client_for(case_officer)
    event = make_event()
    url = reverse("events:staff_check_in", kwargs={"pk": event.pk})
    make_registration(event, name="P 0", email="p0@example.se")
    client.get(url)
    with django_assert_num_queries(5) as few:
        client.get(url)
    for i in range(1, 6):
        make_registration(event, name=f"P {i}", email=f"p{i}@example.se")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)

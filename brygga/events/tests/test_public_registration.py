"""Registering through the public form, the registered person's own page (status, place in
the queue, cancelling), the invitation's form and the evaluation afterwards — with bad
input, the honeypot and the rate limits."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse

from brygga.events.forms.public import RegistrationForm
from brygga.events.models import Evaluation, Event, Invitation, InvitationBatch, Registration
from brygga.events.services.events import event_cancel
from brygga.events.services.registrations import registration_set_attended
from brygga.events.tests.factories import make_event, make_past, make_question, make_registration
from brygga.events.views.registration_form import _show_refusal, registration_form_post
from brygga.register.tests.companies_factory import make_company, orgnr

pytestmark = pytest.mark.django_db

Status = Registration.Status


def text(response: Any) -> str:
    """What a reader sees: the page without its tags."""
    body = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def person(**fields: str) -> dict[str, str]:
    return {
        "name": "Anna Andersson",
        "email": "anna@batvarv.example.se",
        "phone": "0152-123 45",
        "company_text": "",
        "website": "",
        **fields,
    }


def register(client: Client, event: Event, **fields: str) -> Any:
    return client.post(event.get_absolute_url(), person(**fields))


# ---------------------------------------------------------------- registering


def test_a_person_registers_and_lands_on_their_own_page(client: Client) -> None:
    company = make_company("Båtvarvet i Mariefred AB", identity=orgnr(4711))
    event = make_event(capacity=5)
    diet = make_question(event, label="Specialkost?")
    slot = make_question(event, label="Vill du presentera dig?", kind="yes_no", required=True)

    response = register(
        client,
        event,
        company_text=company.identity[:6] + "-" + company.identity[6:],
        consent_contact="on",
        **{f"q_{diet.pk}": "Vegetariskt", f"q_{slot.pk}": "ja"},
    )

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "events:registration", kwargs={"token": registration.token}
    )
    assert registration.status == Status.CONFIRMED
    assert registration.name == "Anna Andersson"
    assert registration.email == "anna@batvarv.example.se"
    assert registration.company == company
    assert registration.consent_contact is True
    assert registration.answers == {
        str(diet.pk): {"label": "Specialkost?", "answer": "Vegetariskt"},
        str(slot.pk): {"label": "Vill du presentera dig?", "answer": "Ja"},
    }
    page = text(client.get(response["Location"]))
    assert "Du är anmäld" in page
    assert "Vi har skickat en bekräftelse till anna@batvarv.example.se" in page
    assert "Avanmäl mig" in page


def test_past_the_capacity_a_person_is_told_they_are_on_the_waitlist(client: Client) -> None:
    event = make_event(capacity=1)
    make_registration(event, email="forst@example.se")
    make_registration(event, email="andra@example.se")  # first in the queue

    response = register(client, event)

    registration = Registration.objects.get(email="anna@batvarv.example.se")
    assert registration.status == Status.WAITLISTED
    page = text(client.get(response["Location"]))
    assert "Du står på väntelistan" in page
    assert "Du är nummer 2 i kön." in page
    assert "Avanmäl mig" in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": ""}, "name", "Skriv ditt namn."),
        ({"name": "\u202e\u200b "}, "name", "Skriv ditt namn."),  # only invisible characters
        ({"email": ""}, "email", "Skriv din e-postadress."),
        ({"email": "anna@"}, "email", "Skriv en hel e-postadress"),
        ({"name": "A" * 151}, "name", "Skriv högst 150 tecken (nu 151)."),
        ({"phone": "0" * 41}, "phone", "Skriv högst 40 tecken (nu 41)."),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_written(
    client: Client, fields: dict[str, str], field: str, message: str
) -> None:
    event = make_event()
    response = register(client, event, **fields)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Anmälan skickades inte." in body
    assert f'id="id_{field}_error"' in body
    assert message in body
    assert 'aria-invalid="true"' in body
    assert not Registration.objects.exists()
    assert "<title>Fel i formuläret:" in body


def test_a_required_question_must_be_answered(client: Client) -> None:
    event = make_event()
    slot = make_question(event, label="Vill du presentera dig?", kind="yes_no", required=True)
    size = make_question(event, label="Storlek", kind="choice", choices="Liten\nStor")
    response = register(client, event, **{f"q_{size.pk}": "Jättestor"})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="id_q_{slot.pk}_error"' in body and "Svara på frågan." in body
    assert f'id="id_q_{size.pk}_error"' in body
    assert not Registration.objects.exists()


def test_the_same_address_twice_does_not_show_the_first_registration(client: Client) -> None:
    event = make_event()
    first = register(client, event)
    again = register(Client(), event, name="Någon annan")
    assert Registration.objects.count() == 1
    # Whoever typed the address need not be its owner: no token page for them.
    assert again.status_code == 302
    assert again["Location"] == event.get_absolute_url()
    assert again["Location"] != first["Location"]


def test_a_filled_honeypot_gets_a_thank_you_and_nothing_is_written(client: Client) -> None:
    event = make_event()
    response = register(client, event, website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert not Registration.objects.exists()
    assert "Tack för din anmälan!" in text(client.get(response["Location"]))


def test_one_ip_address_is_limited(client: Client, settings: Any) -> None:
    settings.BRYGGA_PUBLIC_RATE_LIMIT = 2
    event = make_event()
    for n in range(2):
        assert register(client, event, email=f"person{n}@example.se").status_code == 302
    response = register(client, event, email="person9@example.se")
    assert response.status_code == 429
    assert response["Retry-After"]
    assert Registration.objects.count() == 2


def test_one_e_mail_address_is_limited_across_ip_addresses(settings: Any) -> None:
    settings.BRYGGA_PUBLIC_RATE_LIMIT = 2
    events = [make_event(title=f"Möte {n}") for n in range(3)]
    statuses = [
        Client(REMOTE_ADDR=f"192.0.2.{n}").post(e.get_absolute_url(), person()).status_code
        for n, e in enumerate(events)
    ]
    assert statuses == [302, 302, 429]
    assert Registration.objects.count() == 2


def test_a_refusal_by_the_service_is_shown_on_the_form() -> None:
    """The meeting is cancelled between the page and the click: the service says so."""
    event = make_event()
    form = RegistrationForm(person(), questions=[])
    request = RequestFactory().post(event.get_absolute_url(), person())
    event_cancel(event=Event.objects.get(pk=event.pk))

    assert registration_form_post(request, form, event, back=request.path) is None

    assert form.non_field_errors() == ["Mötet är inställt."]
    assert not Registration.objects.exists()


def test_a_refusal_naming_a_question_goes_on_its_field() -> None:
    event = make_event()
    question = make_question(event, label="Storlek")
    form = RegistrationForm(person(), questions=[question])
    assert form.is_valid()
    _show_refusal(
        form, ValidationError({str(question.pk): "Fel svar.", "email": "Fel adress.", "x": "?"})
    )
    assert form.errors[f"q_{question.pk}"] == ["Fel svar."]
    assert form.errors["email"] == ["Fel adress."]
    assert form.non_field_errors() == ["?"]


# ---------------------------------------------------------------- the person's own page


def page_of(registration: Registration) -> str:
    return reverse("events:registration", kwargs={"token": registration.token})


def test_cancelling_takes_a_post_and_gives_the_seat_to_the_next(client: Client) -> None:
    event = make_event(capacity=1)
    first = make_registration(event, email="forst@example.se")
    waiting = make_registration(event, email="andra@example.se")

    shown = client.get(page_of(first))  # a mail scanner opening the link changes nothing
    assert shown.status_code == 200 and "Avanmäl mig" in text(shown)
    first.refresh_from_db()
    assert first.status == Status.CONFIRMED

    response = client.post(page_of(first))
    assert response.status_code == 302 and response["Location"] == page_of(first)
    page = text(client.get(page_of(first)))
    assert "Du är avanmäld" in page
    assert "Avanmäl mig" not in page
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == Status.CANCELLED
    assert waiting.status == Status.CONFIRMED
    # Again: nothing more happens.
    assert client.post(page_of(first)).status_code == 302
    assert Registration.objects.filter(status=Status.CONFIRMED).get() == waiting


def test_a_cancelled_meeting_is_shown_as_such_on_the_persons_page(client: Client) -> None:
    event = make_event()
    registration = make_registration(event)
    event_cancel(event=event)
    page = text(client.get(page_of(registration)))
    assert "Mötet är inställt" in page
    assert "Avanmäl mig" not in page


def test_an_unknown_token_gets_a_friendly_404(client: Client) -> None:
    for name in ("registration", "evaluate", "invitation"):
        response = client.get(reverse(f"events:{name}", kwargs={"token": "finns-inte"}))
        assert response.status_code == 404
        assert "Länken fungerar inte" in text(response)
        assert (
            client.post(reverse(f"events:{name}", kwargs={"token": "x" * 200})).status_code == 404
        )


def test_the_persons_page_reads_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any
) -> None:
    event = make_event(capacity=1)
    make_registration(event, email="forst@example.se")
    waiting = make_registration(event, email="andra@example.se")
    # The registration with its meeting; the place in the queue.
    with django_assert_num_queries(2):
        assert client.get(page_of(waiting)).status_code == 200


# ---------------------------------------------------------------- invitations


def invite(event: Event, *, name: str = "Bertil Berg", email: str = "bertil@example.se") -> str:
    batch = InvitationBatch.objects.create(
        event=event, target=InvitationBatch.Target.LOCALITY, locality="Mariefred", description="x"
    )
    invitation = Invitation.objects.create(
        event=event, batch=batch, name=name, email=email, token=f"inbjudan-{event.pk}"
    )
    return reverse("events:invitation", kwargs={"token": invitation.token})


def test_an_invitation_registers_for_an_invitation_only_meeting(client: Client) -> None:
    event = make_event(title="Dialogmöte med alkoholhandläggarna", public=False)
    url = invite(event)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert register(client, event).status_code == 404

    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Inbjudan: Dialogmöte med alkoholhandläggarna" in text(page)
    assert 'value="Bertil Berg"' in body and 'value="bertil@example.se"' in body

    response = client.post(url, person(name="Bertil Berg", email="bertil@example.se"))
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == page_of(registration)
    assert registration.invitation is not None and registration.invitation.event == event
    assert "Du är anmäld" in text(client.get(response["Location"]))


def test_an_invitation_to_a_cancelled_meeting_says_so(client: Client) -> None:
    event = make_event(public=False)
    url = invite(event)
    event_cancel(event=event)
    page = text(client.get(url))
    assert "Mötet är inställt." in page
    assert client.post(url, person()).status_code == 200
    assert not Registration.objects.exists()


# ---------------------------------------------------------------- evaluation


def attended(event: Event) -> Registration:
    registration = make_registration(event)
    return registration_set_attended(registration=registration, attended=True)


def evaluate_url(registration: Registration) -> str:
    return reverse("events:evaluate", kwargs={"token": registration.token})


def test_an_attendee_evaluates_the_meeting_once(client: Client) -> None:
    event = make_event(title="Frukostmöte i Mariefred")
    registration = attended(event)
    make_past(event)
    url = evaluate_url(registration)

    form = client.get(url)
    body = form.content.decode()
    assert "Fanns det tillräckligt med tid för dialog?" in body
    assert body.count("<fieldset") == 2 and body.count("<legend>") == 2
    assert 'type="radio" name="overall" value="5"' in body

    bad = client.post(url, {"overall": "7", "comment": "Bra"})
    assert bad.status_code == 200
    assert 'id="id_overall_error"' in bad.content.decode()
    assert "Välj ett svar från 1 till 5." in bad.content.decode()
    assert not Evaluation.objects.exists()

    done = client.post(url, {"overall": "4", "dialogue_time": "2", "comment": "Mer tid!"})
    assert done.status_code == 302 and done["Location"] == url
    evaluation = Evaluation.objects.get()
    assert (evaluation.overall, evaluation.dialogue_time, evaluation.comment) == (4, 2, "Mer tid!")
    assert "Tack för ditt svar" in text(client.get(url))
    client.post(url, {"overall": "1", "dialogue_time": "1"})
    assert Evaluation.objects.get().overall == 4


def test_the_evaluation_is_not_open_before_the_end_or_to_those_who_did_not_come(
    client: Client,
) -> None:
    event = make_event()
    early = attended(event)
    assert "Utvärderingen öppnar när mötet är slut." in text(client.get(evaluate_url(early)))
    other = make_event(title="Annat möte")
    absent = make_registration(other, email="b@example.se")
    make_past(other)
    page = text(client.get(evaluate_url(absent)))
    assert "Utvärderingen är till för dem som deltog i mötet." in page
    client.post(evaluate_url(absent), {"overall": "3", "dialogue_time": "3"})
    assert not Evaluation.objects.exists()

"""Subscribing (double opt-in) and confirming, through the pages; forgetting what was never
confirmed. The subscriber's own pages are in ``test_subscription_manage.py``."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from brygga.actionplan.models import Subscriber, Subscription
from brygga.actionplan.services.structure import area_update
from brygga.actionplan.services.subscriptions import (
    subscription_request,
    subscriptions_purge_unconfirmed,
)
from brygga.actionplan.tests.subscriptions_factory import (
    CONFIRM_RE,
    MANAGE_RE,
    Plan,
    age_requests,
    confirm_url,
    form_email,
    link_in,
    make_plan,
    manage_url,
    path_of,
    subscribe,
    subscribe_url,
)
from brygga.core.models import OutboxMessage
from brygga.core.outbox_delivery import outbox_deliver_due
from brygga.core.testing.smtp import SmtpServer

pytestmark = pytest.mark.django_db

ANNA = "anna.foretagare@example.se"


@pytest.fixture
def plan() -> Plan:
    return make_plan()


def sent_url(plan: Plan) -> str:
    return subscribe_url(plan.area) + "skickad/"


# ---------------------------------------------------------------- subscribing


def test_it_mails_a_confirmation_link_and_subscribes_only_when_the_button_is_pressed(
    plan: Plan, smtp_server: SmtpServer
) -> None:
    response = Client().post(subscribe_url(plan.area), form_email(ANNA))
    assert response.status_code == 302 and response["Location"] == sent_url(plan)
    subscription = Subscription.objects.get()
    assert subscription.area == plan.area and subscription.confirmed_at is None

    outbox_deliver_due()
    [message] = smtp_server.messages
    assert message["To"] == ANNA
    assert "Bekräfta din prenumeration" in message["Subject"]
    text = SmtpServer.body(message, "plain")
    assert plan.area.title in text and "Länken gäller i 7 dagar" in text
    assert "Var det inte du?" in text
    confirm = path_of(link_in(message, CONFIRM_RE))

    # A GET (a mail scanner, or the visitor opening the link) changes nothing.
    page = Client().get(confirm)
    assert page.status_code == 200
    assert plan.area.title in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None

    done = Client().post(confirm)
    assert done.status_code == 200
    body = done.content.decode()
    assert "Prenumerationen är bekräftad" in body
    assert manage_url(subscription.subscriber) in body
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    # The body held an access link: emptied once sent.
    assert OutboxMessage.objects.get().body_text == ""


def test_it_subscribes_to_a_whole_program(plan: Plan, smtp_server: SmtpServer) -> None:
    url = subscribe_url(program=plan.program)
    assert Client().get(url).status_code == 200
    response = Client().post(url, form_email(ANNA))
    assert response["Location"] == url + "skickad/"
    assert Client().get(response["Location"]).status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.program == plan.program and subscription.area is None
    outbox_deliver_due()
    assert "hela programmet ”Topp 50-2017”" in SmtpServer.body(smtp_server.messages[0])


def _state(plan: Plan, state: str) -> None:
    if state == "pending":
        subscribe(ANNA, areas=(plan.area,), confirmed=False)
    elif state == "confirmed":
        subscribe(ANNA, areas=(plan.area,))
    elif state == "other-area":
        subscribe(ANNA, areas=(plan.other_area,))


@pytest.mark.parametrize("state", ["new", "pending", "confirmed", "other-area"])
def test_it_answers_the_same_whatever_the_address_state(
    plan: Plan, smtp_server: SmtpServer, state: str
) -> None:
    _state(plan, state)
    OutboxMessage.objects.all().delete()

    client = Client()
    response = client.post(subscribe_url(plan.area), form_email(ANNA.upper()))

    assert response.status_code == 302 and response["Location"] == sent_url(plan)
    page = client.get(response["Location"])
    assert "Vi har skickat ett e-postmeddelande till adressen du angav." in page.content.decode()
    assert Subscriber.objects.count() == 1  # one address, whatever its case
    outbox_deliver_due()
    [message] = smtp_server.messages
    text = SmtpServer.body(message)
    if state == "confirmed":
        # Nothing to confirm: the owner is told so, with the management link.
        assert "prenumererar redan" in text
        assert CONFIRM_RE.search(text) is None
        assert MANAGE_RE.search(text) is not None
    else:
        assert CONFIRM_RE.search(text) is not None


def test_it_keeps_one_subscription_when_the_same_area_is_asked_for_twice(
    plan: Plan, smtp_server: SmtpServer
) -> None:
    for _ in range(2):
        Client().post(subscribe_url(plan.area), form_email(ANNA))
    assert Subscription.objects.count() == 1
    outbox_deliver_due()
    assert len(smtp_server.messages) == 2
    # Both links are the same and both work.
    first, second = (link_in(m, CONFIRM_RE) for m in smtp_server.messages)
    assert first == second
    assert Client().post(path_of(first)).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None


def test_it_lists_everything_waiting_in_the_confirmation(plan: Plan, smtp_server: SmtpServer):
    Client().post(subscribe_url(plan.area), form_email(ANNA))
    Client().post(subscribe_url(program=plan.other_program), form_email(ANNA))
    outbox_deliver_due()
    text = SmtpServer.body(smtp_server.messages[-1])
    assert plan.area.title in text and "Näringslivsstrategi Lerum" in text
    Client().post(path_of(link_in(smtp_server.messages[-1], CONFIRM_RE)))
    assert Subscription.objects.filter(confirmed_at__isnull=True).count() == 0


def test_it_stores_nothing_when_the_honeypot_is_filled(plan: Plan, smtp_server: SmtpServer):
    data = form_email(ANNA) | {"prenumeration-website": "https://spam.example"}
    response = Client().post(subscribe_url(plan.area), data)
    assert response.status_code == 302 and response["Location"] == sent_url(plan)
    assert not Subscriber.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_it_requires_csrf_on_the_subscribe_form(plan: Plan) -> None:
    response = Client(enforce_csrf_checks=True).post(subscribe_url(plan.area), form_email(ANNA))
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_it_answers_404_for_what_is_not_published(plan: Plan) -> None:
    area_update(area=plan.other_area, data={"published": False})
    for url in (
        subscribe_url(plan.other_area),
        subscribe_url(plan.other_area) + "skickad/",
        "/handlingsplan/finns-inte/prenumerera/",
    ):
        assert Client().get(url).status_code == 404
        assert Client().post(url, form_email(ANNA)).status_code in {404, 405}
    assert not Subscriber.objects.exists()


def test_it_limits_requests_per_ip(settings: Any, plan: Plan) -> None:
    settings.BRYGGA_PUBLIC_RATE_LIMIT = 3
    client = Client(REMOTE_ADDR="203.0.113.7")
    for i in range(3):
        assert (
            client.post(subscribe_url(plan.area), form_email(f"a{i}@example.se")).status_code == 302
        )
    response = client.post(subscribe_url(plan.area), form_email("b@example.se"))
    assert response.status_code == 429
    assert "För många försök" in response.content.decode()
    assert Subscriber.objects.count() == 3
    # Looking at the form is not limited, nor is another visitor.
    assert client.get(subscribe_url(plan.area)).status_code == 200
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert other.post(subscribe_url(plan.area), form_email("b@example.se")).status_code == 302


def test_it_limits_requests_per_address_across_ips(settings: Any, plan: Plan) -> None:
    settings.BRYGGA_PUBLIC_RATE_LIMIT = 2
    for ip in ("192.0.2.1", "192.0.2.2"):
        client = Client(REMOTE_ADDR=ip)
        assert client.post(subscribe_url(plan.area), form_email(ANNA)).status_code == 302
    response = Client(REMOTE_ADDR="192.0.2.3").post(
        subscribe_url(plan.area), form_email(ANNA.upper())
    )
    assert response.status_code == 429
    assert OutboxMessage.objects.count() == 2


HOSTILE = {
    "markup": ('<script>alert("x")</script>@example.se', "Ange en giltig"),
    "html-in-domain": ("anna@<b>example</b>.se", "Ange en giltig"),
    "very-long": ("a" * 100_000 + "@example.se", "som mest 254 tecken"),
    "right-to-left-override": ("anna\u202e@example.se", "Ange en giltig"),
    "zero-width-space": ("an\u200bna@example.se", "Ange en giltig"),
    "fullwidth-at": ("anna\uff20example.se", "Ange en giltig"),
    "nul": ("anna\x00@example.se", "Null-tecken är inte tillåtna"),
    "empty": ("   ", "Det här fältet är obligatoriskt"),
    "two-addresses": ("a@example.se, b@example.se", "Ange en giltig"),
    "header-injection": ("anna@example.se\r\nBcc: x@example.se", "Ange en giltig"),
}


@pytest.mark.parametrize("key", list(HOSTILE))
def test_it_explains_hostile_input_in_swedish_and_stores_nothing(plan: Plan, key: str) -> None:
    value, message = HOSTILE[key]
    response = Client().post(subscribe_url(plan.area), form_email(value))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Prenumerationen är inte startad" in body
    assert "<script>" not in body
    assert "<b>example</b>" not in body
    assert not Subscriber.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_it_survives_a_body_that_is_not_utf8(plan: Plan) -> None:
    response = Client().post(
        subscribe_url(plan.area),
        b"prenumeration-email=%FF%FEanna%C0%80@example.se&prenumeration-website=",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "Ange en giltig" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_it_accepts_an_address_with_an_international_domain(
    plan: Plan, smtp_server: SmtpServer
) -> None:
    response = Client().post(subscribe_url(plan.area), form_email("anna@båtvarv.example.se"))
    assert response.status_code == 302
    outbox_deliver_due()
    [message] = smtp_server.messages
    assert message["To"] == "anna@" + "båtvarv.example.se".encode("idna").decode()


# ---------------------------------------------------------------- confirming


def test_it_says_so_in_swedish_when_a_token_is_unknown(plan: Plan) -> None:
    for url in (
        "/prenumeration/bekrafta/finns-inte/",
        "/prenumeration/finns-inte/",
    ):
        for response in (Client().get(url), Client().post(url)):
            assert response.status_code == 404
            assert "Länken fungerar inte" in response.content.decode()


def test_it_does_not_confirm_a_request_older_than_the_link(plan: Plan) -> None:
    subscriber = subscribe(ANNA, areas=(plan.area,), confirmed=False)
    age_requests(subscriber, days=8)
    page = Client().get(confirm_url(subscriber))
    assert "Det finns inget som väntar på bekräftelse" in page.content.decode()
    Client().post(confirm_url(subscriber))
    assert Subscription.objects.get().confirmed_at is None


def test_it_says_nothing_waits_when_confirmed_twice(plan: Plan) -> None:
    subscriber = subscribe(ANNA, areas=(plan.area,))
    response = Client().post(confirm_url(subscriber))
    assert response.status_code == 200
    assert "Inget att bekräfta" in response.content.decode()
    assert plan.area.title in response.content.decode()


def test_it_forgets_requests_never_confirmed(plan: Plan) -> None:
    stale = subscribe("gammal@example.se", areas=(plan.area,), confirmed=False)
    age_requests(stale, days=8)
    fresh = subscribe("ny@example.se", areas=(plan.area,), confirmed=False)
    mixed = subscribe("blandad@example.se", areas=(plan.area,))
    subscribe("blandad@example.se", areas=(plan.other_area,), confirmed=False)
    age_requests(mixed, days=8)  # its confirmed subscription stays: only requests go

    assert subscriptions_purge_unconfirmed() == 2

    assert not Subscriber.objects.filter(pk=stale.pk).exists()
    assert Subscriber.objects.filter(pk=fresh.pk).exists()
    assert [s.area for s in Subscription.objects.filter(subscriber=mixed)] == [plan.area]


def test_it_restarts_the_validity_when_asked_again(plan: Plan, smtp_server: SmtpServer) -> None:
    subscriber = subscribe(ANNA, areas=(plan.area,), confirmed=False)
    age_requests(subscriber, days=8)
    Client().post(subscribe_url(plan.area), form_email(ANNA))
    outbox_deliver_due()
    assert CONFIRM_RE.search(SmtpServer.body(smtp_server.messages[-1]))
    Client().post(confirm_url(subscriber))
    assert Subscription.objects.get().confirmed_at is not None


def test_it_refuses_in_the_service_what_is_not_published_and_writes_nothing(plan: Plan) -> None:
    area_update(area=plan.other_area, data={"published": False})
    with pytest.raises(ValidationError, match="publicerade"):
        subscription_request(email=ANNA, areas=[plan.area, plan.other_area])
    with pytest.raises(ValidationError, match="Välj minst"):
        subscription_request(email=ANNA)
    assert not Subscriber.objects.exists()
    assert not OutboxMessage.objects.exists()

"""The outbox page: failures first with their error, the filtered list, a message's
details (never a sensitive body), and sending a failed message again."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from brygga.core.models import OutboxMessage
from brygga.core.outbox import Mail, outbox_message
from brygga.core.outbox_delivery import outbox_deliver_due
from brygga.core.testing.smtp import SmtpServer

pytestmark = pytest.mark.django_db

State = OutboxMessage.State
LIST = reverse("core:outbox")
ALL = ("admin_user", "developer", "case_officer", "reader")


def write(
    to: str,
    *,
    subject: str = "Ny status: Företagslots",
    text: str = "Hej!\n\nAktiviteten har fått en ny status.",
    kind: str = "actionplan.update",
    sensitive: bool = False,
) -> OutboxMessage:
    message = outbox_message(
        to=to, mail=Mail(subject=subject, text=text, html=""), kind=kind, sensitive=sensitive
    )
    message.save()
    return message


def detail_url(message: OutboxMessage) -> str:
    return reverse("core:outbox_message", kwargs={"pk": message.pk})


def html(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def failed(smtp_server: SmtpServer) -> OutboxMessage:
    """A message the receiving server refused for good, delivered for real."""
    smtp_server.refuse_all("550 5.1.1 Mailbox unavailable")
    message = write("finns-inte@example.se")
    outbox_deliver_due()
    smtp_server.refuse_all(None)
    write("finns@example.se")
    outbox_deliver_due()
    message.refresh_from_db()
    assert message.state == State.FAILED
    return message


def test_it_lists_failed_messages_first_with_their_error(client_for, developer, failed):
    response = client_for(developer).get(LIST)
    assert [m.pk for m in response.context["failed"]] == [failed.pk]
    page = html(response)
    assert "finns-inte@example.se: 550 5.1.1 Mailbox unavailable" in page
    failed_section = page.split('id="failed-heading"')[1].split('id="all-heading"')[0]
    assert "finns-inte@example.se" in failed_section
    assert "finns@example.se<" not in failed_section
    counts = {state: n for state, _label, n in response.context["counts"]}
    assert counts == {"queued": 0, "sending": 0, "sent": 1, "failed": 1}


def test_it_shows_messages_waiting_for_another_attempt(client_for, developer, smtp_server):
    smtp_server.refuse_all("451 4.3.0 Try again later")
    message = write("senare@example.se")
    outbox_deliver_due()
    response = client_for(developer).get(LIST)
    assert [m.pk for m in response.context["retrying"]] == [message.pk]
    assert "451 4.3.0 Try again later" in html(response)


def test_the_retry_queues_a_failed_message_again_and_it_goes_out(
    client_for, admin_user, failed, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(detail_url(failed), follow=True)
    assert "Meddelandet till finns-inte@example.se skickas igen." in html(response)
    failed.refresh_from_db()
    assert (failed.state, failed.attempts, failed.last_error) == (State.QUEUED, 0, "")
    outbox_deliver_due()
    failed.refresh_from_db()
    assert failed.state == State.SENT
    assert "finns-inte@example.se" in [m["To"] for m in smtp_server.messages]


def test_a_retry_of_a_message_that_did_not_fail_changes_nothing(client_for, developer):
    message = write("vantar@example.se")
    response = client_for(developer).post(detail_url(message), follow=True)
    assert "inget att skicka igen" in html(response)
    message.refresh_from_db()
    assert message.state == State.QUEUED


def test_the_detail_page_shows_the_metadata_and_the_body(client_for, developer, failed):
    page = html(client_for(developer).get(detail_url(failed)))
    for text in (
        "finns-inte@example.se",
        "Ny status: Företagslots",
        "actionplan.update",
        "Misslyckades",
        "550 5.1.1 Mailbox unavailable",
        failed.message_id.replace("<", "&lt;").replace(">", "&gt;"),
        "Aktiviteten har fått en ny status.",
        "Skicka igen",
    ):
        assert text in page, text


def test_the_detail_page_never_shows_a_sensitive_body(client_for, admin_user):
    message = write(
        "glomsk@example.se",
        subject="Byt lösenord",
        text="Klicka här: https://brygga.example/konto/aterstall/hemlig-token/",
        kind="accounts.password_reset",
        sensitive=True,
    )
    page = html(client_for(admin_user).get(detail_url(message)))
    assert "hemlig-token" not in page
    assert "glomsk@example.se" in page and "Byt lösenord" in page
    assert "innehåller en personlig länk" in page


def test_a_body_with_markup_is_shown_as_text(client_for, developer):
    message = write("x@example.se", text="<script>alert(1)</script>")
    page = html(client_for(developer).get(detail_url(message)))
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_list_filters_by_state_and_kind(client_for, developer, failed):
    write("annan@example.se", kind="register.correction_link")
    client = client_for(developer)
    page = client.get(LIST, {"state": "failed"}).context["page_obj"]
    assert [m.pk for m in page] == [failed.pk]
    page = client.get(LIST, {"kind": "register.correction_link"}).context["page_obj"]
    assert [m.to for m in page] == ["annan@example.se"]
    page = client.get(LIST, {"state": "sent", "kind": "actionplan.update"}).context["page_obj"]
    assert [m.to for m in page] == ["finns@example.se"]


@pytest.mark.parametrize(
    "params", [{"state": "exploded"}, {"kind": "<script>"}, {"sida": "-1"}, {"sida": "x"}]
)
def test_a_bad_filter_shows_everything_and_says_so(client_for, developer, params):
    write("a@example.se")
    write("b@example.se")
    response = client_for(developer).get(LIST, params)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 2
    if "sida" not in params:
        assert "Filtret är ogiltigt" in html(response)


@pytest.mark.parametrize("persona", ALL)
def test_only_the_office_sees_the_outbox(request, client_for, persona):
    message = write("a@example.se")
    client = client_for(request.getfixturevalue(persona))
    expected = 200 if persona in ("admin_user", "developer") else 403
    assert client.get(LIST).status_code == expected
    assert client.get(detail_url(message)).status_code == expected


@pytest.mark.parametrize("persona", ["case_officer", "reader"])
def test_read_only_roles_cannot_retry(request, client_for, persona, failed):
    response = client_for(request.getfixturevalue(persona)).post(detail_url(failed))
    assert response.status_code == 403
    failed.refresh_from_db()
    assert failed.state == State.FAILED


def test_anonymous_visitors_go_to_the_login_page(client_for):
    message = write("a@example.se")
    client = client_for(None)
    for url in (LIST, detail_url(message)):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))


def test_an_unknown_message_is_a_404(client_for, developer):
    assert (
        client_for(developer).get(reverse("core:outbox_message", kwargs={"pk": 9})).status_code
        == 404
    )


@pytest.mark.parametrize("size", [3, 150])
def test_the_pages_take_a_fixed_number_of_queries(
    client_for, developer, django_assert_num_queries, size
):
    messages = [write(f"m{n}@example.se", kind=f"kind.{n % 4}") for n in range(size)]
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages[::2]]).update(
        state=State.FAILED, attempts=8, last_error="550 nej"
    )
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages[1::3]]).update(attempts=2)
    client = client_for(developer)
    client.get(LIST)
    # session, user, kinds, counts per state, failed, retrying, page count, page
    with django_assert_num_queries(8):
        assert client.get(LIST).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(LIST, {"state": "failed", "sida": "2"}).status_code == 200
    # session, user, message
    with django_assert_num_queries(3):
        assert client.get(detail_url(messages[0])).status_code == 200

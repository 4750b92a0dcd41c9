"""Password reset by e-mail, end to end through a real SMTP server."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from brygga.accounts.models import User
from brygga.core.outbox_delivery import outbox_deliver_due
from brygga.core.testing.smtp import SmtpServer

RESET = reverse("accounts:password_reset")
NEW_PASSWORD = "Bryggan-vid-Malaren-77"


def _link(smtp_server: SmtpServer) -> str:
    (message,) = smtp_server.messages
    found = re.findall(r"https?://\S+", smtp_server.body(message, "plain"))
    assert len(found) == 1, found
    return found[0]


def test_it_resets_a_password_through_the_emailed_link(smtp_server: SmtpServer, developer: User):
    client = Client()
    response = client.post(RESET, {"email": "Nils.Utvecklare@example.se"})
    outbox_deliver_due()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")

    (message,) = smtp_server.messages
    assert message["To"] == developer.email
    assert message["Subject"] == "Nytt lösenord till Brygga"
    link = _link(smtp_server)
    html = smtp_server.body(message, "html")
    assert link.replace("&", "&amp;") in html or link in html
    assert "Välj ett nytt lösenord" in html

    # Django swaps the token for a session-held one and redirects to the form.
    form_page = client.get(urlsplit(link).path, follow=True)
    assert form_page.status_code == 200
    assert "Välj nytt lösenord" in form_page.content.decode()
    form_url = form_page.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")

    fresh = Client()
    login = fresh.post(
        reverse("accounts:login"), {"username": developer.email, "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    assert fresh.session[SESSION_KEY] == str(developer.pk)

    # The link works once.
    again = Client().get(urlsplit(link).path, follow=True)
    assert "Länken är ogiltig eller har redan använts." in again.content.decode()


def test_it_says_the_same_thing_for_an_unknown_address_and_sends_nothing(
    smtp_server: SmtpServer, developer: User
):
    response = Client().post(RESET, {"email": "okand@example.se"}, follow=True)
    outbox_deliver_due()
    assert response.redirect_chain == [(reverse("accounts:password_reset_done"), 302)]
    assert "Kolla din e-post" in response.content.decode()
    assert smtp_server.messages == []


def test_it_sends_nothing_to_an_inactive_account(smtp_server: SmtpServer, developer: User):
    developer.is_active = False
    developer.save(update_fields=["is_active"])
    Client().post(RESET, {"email": developer.email})
    outbox_deliver_due()
    assert smtp_server.messages == []


def test_it_refuses_a_weak_or_mismatched_new_password_in_swedish(
    smtp_server: SmtpServer, developer: User
):
    client = Client()
    client.post(RESET, {"email": developer.email})
    outbox_deliver_due()
    form_page = client.get(urlsplit(_link(smtp_server)).path, follow=True)
    form_url = form_page.redirect_chain[-1][0]

    mismatch = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}
    )
    assert mismatch.status_code == 200
    assert "De två lösenordsfälten stämmer inte överens." in mismatch.content.decode()

    weak = client.post(form_url, {"new_password1": "12345", "new_password2": "12345"})
    assert weak.status_code == 200
    assert (
        "Det här lösenordet är för kort. Det måste innehålla minst 10 tecken."
        in weak.content.decode()
    )

    developer.refresh_from_db()
    assert not developer.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    "uidb64,token", [("MQ", "ogiltig-token"), ("inte-base64", "1-2"), ("MTIzNDU2", "abc-def")]
)
def test_it_explains_an_invalid_link_without_a_form(db: None, uidb64: str, token: str):
    url = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    response = Client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Länken är ogiltig eller har redan använts." in html
    assert 'name="new_password1"' not in html

"""Staff log in with their e-mail address and password, and log out with a POST."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from brygga.accounts.models import User
from conftest import PASSWORD

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")


@pytest.mark.parametrize(
    "typed",
    ["nils.utvecklare@example.se", "NILS.Utvecklare@Example.SE", " nils.utvecklare@example.se "],
)
def test_it_logs_in_by_email_whatever_the_case(developer: User, typed: str):
    client = Client()
    response = client.post(LOGIN, {"username": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:staff_home")
    assert client.session[SESSION_KEY] == str(developer.pk)


def test_it_follows_a_safe_next_and_ignores_a_foreign_one(developer: User):
    target = reverse("register:segment_list")
    response = Client().post(
        LOGIN, {"username": developer.email, "password": PASSWORD, "next": target}
    )
    assert response["Location"] == target
    response = Client().post(
        LOGIN,
        {"username": developer.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("insights:staff_home")


def test_it_refuses_a_wrong_password_with_a_swedish_message(developer: User):
    client = Client()
    response = client.post(LOGIN, {"username": developer.email, "password": "fel-losenord-1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fel e-postadress eller lösenord." in html
    assert 'role="alert"' in html
    assert SESSION_KEY not in client.session


def test_it_refuses_an_unknown_address_with_the_same_message(db: None):
    response = Client().post(LOGIN, {"username": "okand@example.se", "password": PASSWORD})
    assert response.status_code == 200
    assert "Fel e-postadress eller lösenord." in response.content.decode()


def test_it_refuses_an_inactive_account(developer: User):
    developer.is_active = False
    developer.save(update_fields=["is_active"])
    client = Client()
    response = client.post(LOGIN, {"username": developer.email, "password": PASSWORD})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_it_asks_for_a_valid_address_in_swedish(db: None):
    response = Client().post(LOGIN, {"username": "inte-en-adress", "password": "x"})
    assert response.status_code == 200
    assert "Ange en giltig mejladress." in response.content.decode()


def test_it_shows_the_login_form_in_swedish(db: None):
    html = Client().get(LOGIN).content.decode()
    assert '<label for="id_username">E-postadress' in html
    assert '<label for="id_password">Lösenord' in html
    assert reverse("accounts:password_reset") in html


def test_it_sends_a_logged_in_user_on_from_the_login_page(client_for, developer: User):
    response = client_for(developer).get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:staff_home")


def test_it_logs_out_by_post(client_for, developer: User):
    client = client_for(developer)
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert SESSION_KEY not in client.session
    # Logged out for real: staff pages send the visitor back to the login page.
    page = client.get(reverse("register:company_list"))
    assert page.status_code == 302
    assert page["Location"].startswith(LOGIN)


def test_it_does_not_log_out_on_a_get(client_for, developer: User):
    # A link or an image on some other page must not be able to log staff out.
    client = client_for(developer)
    assert client.get(LOGOUT).status_code == 405
    assert client.session[SESSION_KEY] == str(developer.pk)


def test_it_offers_logout_as_a_form_button_to_staff(client_for, developer: User):
    html = client_for(developer).get(reverse("core:home")).content.decode()
    assert f'<form method="post" action="{LOGOUT}"' in html
    assert "Logga ut Nils" in html

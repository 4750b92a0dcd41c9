"""Django admin is for administrators only, whatever the other flags say."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.accounts.models import User
from conftest import PASSWORD

ADMIN = reverse("admin:index")
ADMIN_LOGIN = reverse("admin:login")
USERS = reverse("admin:accounts_user_changelist")


def test_it_opens_django_admin_to_the_administrator(client_for, admin_user: User):
    client = client_for(admin_user)
    assert client.get(ADMIN).status_code == 200
    response = client.get(USERS)
    assert response.status_code == 200
    assert admin_user.email in response.content.decode()


@pytest.mark.parametrize("persona", ["developer", "case_officer", "reader"])
@pytest.mark.parametrize("url", [ADMIN, USERS])
def test_it_keeps_everyone_else_out_of_django_admin(request, client_for, persona: str, url: str):
    response = client_for(request.getfixturevalue(persona)).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(ADMIN_LOGIN)


def test_it_keeps_out_staff_flags_set_by_hand(client_for, developer: User):
    # is_staff/is_superuser set outside user_set_role do not open the door.
    User.objects.filter(pk=developer.pk).update(is_staff=True, is_superuser=True)
    developer.refresh_from_db()
    response = client_for(developer).get(USERS)
    assert response.status_code == 302
    assert response["Location"].startswith(ADMIN_LOGIN)


def test_it_refuses_a_non_administrator_at_the_admin_login(developer: User, client):
    response = client.post(
        ADMIN_LOGIN, {"username": developer.email, "password": PASSWORD, "next": ADMIN}
    )
    assert response.status_code == 200
    assert client.get(ADMIN).status_code == 302


def test_it_sends_an_anonymous_visitor_to_the_admin_login(client):
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(ADMIN_LOGIN)

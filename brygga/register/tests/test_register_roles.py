"""Who may and may not use the staff pages of the register."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.register.models import Segment
from brygga.register.tests.companies_factory import make_company, orgnr

ALL = ("admin_user", "developer", "case_officer", "reader")


@pytest.fixture
def urls(db: None) -> dict[str, str]:
    company = make_company("Roll AB", identity=orgnr(77))
    contact = company.contacts.create(name="Kim")
    segment = Segment.objects.create(name="Urval", filters={"q": "roll"})
    key = {"key": company.url_key}
    return {
        "list": reverse("register:company_list"),
        "detail": reverse("register:company_detail", kwargs=key),
        "segments": reverse("register:segment_list"),
        "segment": reverse("register:segment_detail", kwargs={"pk": segment.pk}),
        "export": reverse("register:company_export_csv"),
        "create": reverse("register:company_create"),
        "edit": reverse("register:company_edit", kwargs=key),
        "contact_create": reverse("register:contact_create", kwargs=key),
        "contact_edit": reverse("register:contact_edit", kwargs={**key, "contact_id": contact.pk}),
        "segment_delete": reverse("register:segment_delete", kwargs={"pk": segment.pk}),
    }


MAY = {
    "admin_user": {
        "list",
        "detail",
        "segments",
        "segment",
        "export",
        "create",
        "edit",
        "contact_create",
        "contact_edit",
        "segment_delete",
    },
    "developer": {
        "list",
        "detail",
        "segments",
        "segment",
        "export",
        "create",
        "edit",
        "contact_create",
        "contact_edit",
        "segment_delete",
    },
    "case_officer": {"list", "detail", "segments", "segment"},
    "reader": {"list", "detail", "segments", "segment"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_it_lets_each_role_do_exactly_what_it_may(request, client_for, urls, persona):
    client = client_for(request.getfixturevalue(persona))
    for name, url in urls.items():
        expected = 200 if name in MAY[persona] else 403
        assert client.get(url).status_code == expected, (persona, name)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_it_lets_only_roles_with_the_right_add_notes(request, client_for, urls, persona):
    user = request.getfixturevalue(persona)
    url = urls["detail"] + "anteckningar/"
    response = client_for(user).post(url, {"text": "Hej"})
    assert response.status_code == (403 if persona == "reader" else 302)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["case_officer", "reader"])
def test_it_refuses_saving_segments_without_the_right(request, client_for, urls, persona):
    response = client_for(request.getfixturevalue(persona)).post(
        reverse("register:segment_create"), {"name": "Nytt", "q": "roll"}
    )
    assert response.status_code == 403
    assert Segment.objects.count() == 1


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(client_for, urls):
    client = client_for(None)
    login = reverse("accounts:login")
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(login), name

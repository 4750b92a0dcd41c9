"""The staff pages for activities: create, edit, publish, and what the activity page
shows. Status changes and public updates are in ``test_status_change``."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from brygga.accounts.models import User
from brygga.accounts.services import user_create
from brygga.actionplan.models import Activity
from brygga.actionplan.tests.staff_factory import make_plan, status

pytestmark = pytest.mark.django_db


def text_of(response: Any) -> str:
    return response.content.decode()


def errors_of(response: Any) -> dict[str, list[str]]:
    form = response.context["form"]
    return {name: list(errors) for name, errors in form.errors.items()}


def test_it_creates_a_draft_activity_with_nothing_on_the_timeline(client_for, developer):
    plan = make_plan(activities=0)
    response = client_for(developer).post(
        reverse("actionplan:staff_activity_create", kwargs={"pk": plan.area.pk}),
        {
            "title": "Förbättra dialogen",
            "status": str(status("planned").pk),
            "status_text": "Vi börjar i vår.",
            "contact": str(developer.pk),
            "position": "0",
        },
        follow=True,
    )
    activity = Activity.objects.get()
    assert activity.slug == "forbattra-dialogen"
    assert activity.contact == developer
    assert activity.published is False
    assert activity.updates.count() == 0
    assert "Aktiviteten är skapad som utkast." in text_of(response)


def test_it_creates_a_published_activity_with_its_added_entry(client_for, developer):
    plan = make_plan(activities=0)
    client_for(developer).post(
        reverse("actionplan:staff_activity_create", kwargs={"pk": plan.area.pk}),
        {
            "title": "Företagslots",
            "status": str(status("ongoing").pk),
            "status_text": "En väg in.",
            "published": "on",
            "position": "0",
        },
    )
    activity = Activity.objects.get()
    entry = activity.updates.get()
    assert (entry.kind, entry.status, entry.text) == ("added", status("ongoing"), "En väg in.")
    assert entry.notify is True and entry.notified_at is None
    assert entry.at == activity.published_at


def test_it_refuses_dates_in_the_wrong_order_and_an_unknown_contact(client_for, developer):
    plan = make_plan(activities=0)
    gone = user_create(email="slutat@example.se", full_name="Har Slutat", role=User.Role.READER)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    response = client_for(developer).post(
        reverse("actionplan:staff_activity_create", kwargs={"pk": plan.area.pk}),
        {
            "title": "Datum",
            "status": str(status("planned").pk),
            "start_date": "2024-05-01",
            "end_date": "2024-01-01",
            "contact": str(gone.pk),
            "position": "0",
        },
    )
    errors = errors_of(response)
    assert "contact" in errors
    assert Activity.objects.count() == 0
    response = client_for(developer).post(
        reverse("actionplan:staff_activity_create", kwargs={"pk": plan.area.pk}),
        {
            "title": "Datum",
            "status": str(status("planned").pk),
            "start_date": "2024-05-01",
            "end_date": "2024-01-01",
            "position": "0",
        },
    )
    assert errors_of(response) == {"end_date": ["Slutdatum kan inte vara före startdatum."]}
    assert Activity.objects.count() == 0


def test_it_keeps_a_contact_who_has_left_when_the_activity_is_edited(client_for, developer):
    contact = user_create(email="gick@example.se", full_name="Gick Vidare", role="reader")
    plan = make_plan(activities=1, contact=contact)
    contact.is_active = False
    contact.save(update_fields=["is_active"])
    url = reverse("actionplan:staff_activity_edit", kwargs={"pk": plan.activity.pk})
    client = client_for(developer)
    form = client.get(url).context["form"]
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in form.initial.items() if v}
    data["title"] = "Nytt namn"
    response = client.post(url, data, follow=True)
    assert "Ändringarna är sparade." in text_of(response)
    plan.activity.refresh_from_db()
    assert (plan.activity.title, plan.activity.contact) == ("Nytt namn", contact)


def test_publishing_a_draft_activity_adds_the_added_entry_once(client_for, developer):
    plan = make_plan(activities=1, published=False)
    activity = plan.activity
    assert not activity.updates.filter(kind="added").exists()
    url = reverse("actionplan:staff_activity_edit", kwargs={"pk": activity.pk})
    data = {
        "title": activity.title,
        "slug": activity.slug,
        "published": "on",
        "position": "0",
    }
    client = client_for(developer)
    response = client.post(url, data, follow=True)
    assert "Aktiviteten är publicerad och har kommit med i tidslinjen." in text_of(response)
    added = activity.updates.get(kind="added")
    assert added.notify is True and added.notified_at is None
    assert added.author == developer
    # Hidden and published again: no second "added".
    client.post(url, {**data, "published": ""})
    client.post(url, data)
    assert activity.updates.filter(kind="added").count() == 1


def test_the_activity_page_shows_texts_contact_and_timeline(client_for, reader):
    contact = user_create(
        email="kim@example.se",
        full_name="Kim Kontakt",
        role="developer",
        title="Näringslivsutvecklare",
        phone="0152-123 45",
    )
    plan = make_plan(activities=1, contact=contact)
    Activity.objects.filter(pk=plan.activity.pk).update(
        further_info="Läs mer på https://example.se/<script>"
    )
    html = text_of(
        client_for(reader).get(
            reverse("actionplan:staff_activity", kwargs={"pk": plan.activity.pk})
        )
    )
    assert "Kim Kontakt, Näringslivsutvecklare" in html and "0152-123 45" in html
    assert "<p>Beskrivning.</p><p>Med två stycken.</p>" in html
    assert "<script>" not in html
    assert "Från Planerad till Utredning." in html
    assert "Läget för aktivitet 1." in html
    assert "Ändra status" not in html  # the reader may not


def test_hostile_text_is_stored_as_text_and_shown_escaped(client_for, developer):
    plan = make_plan(activities=0)
    hostile = '<img src=x onerror="alert(1)"> \u202egnp.exe ' + "å" * 10
    client_for(developer).post(
        reverse("actionplan:staff_activity_create", kwargs={"pk": plan.area.pk}),
        {
            "title": hostile[:200],
            "status": str(status("planned").pk),
            "status_text": hostile,
            "description": hostile,
            "position": "0",
        },
    )
    activity = Activity.objects.get()
    assert "\u202e" not in activity.status_text  # cleaned like all public text
    html = text_of(
        client_for(developer).get(reverse("actionplan:staff_activity", kwargs={"pk": activity.pk}))
    )
    assert "<img" not in html
    assert "&lt;img src=x" in html

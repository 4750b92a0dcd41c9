"""Department scope: a case officer sees only the feedback on their own department's
topics — in the selector, on the pages, in the export and in the API — and never a
visit's internal notes."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from brygga.accounts.models import Department, User
from brygga.accounts.services import user_create
from brygga.visits.models import Feedback, Topic
from brygga.visits.selectors_feedback import (
    feedback_unlinked,
    feedback_visible_to,
    topics_visible_to,
)
from brygga.visits.tests.factories import make_follow_up
from brygga.visits.tests.test_feedback_pages import FeedbackData, build_feedback_data, cells

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("visits:feedback_overview")
UNLINKED = reverse("visits:feedback_unlinked")


@pytest.fixture
def data(department_bygglov: Department) -> FeedbackData:
    return build_feedback_data(department_bygglov)


@pytest.fixture
def other_officer(department_miljo: Department) -> User:
    """A case officer of a department that owns no topic with feedback."""
    return user_create(
        email="mira.miljo@example.se",
        full_name="Mira Miljö",
        role=User.Role.CASE_OFFICER,
        department=department_miljo,
        password="correct-horse-battery-9",
    )


def texts(items: Any) -> set[str]:
    return {item.text for item in items}


# ---------------------------------------------------------------- the selector


@pytest.mark.parametrize("persona", ["admin_user", "developer", "reader"])
def test_the_office_and_readers_see_all_feedback(request, data, persona):
    assert feedback_visible_to(request.getfixturevalue(persona)).count() == 6


def test_a_case_officer_sees_the_feedback_on_their_departments_topics(case_officer, data):
    assert texts(feedback_visible_to(case_officer)) == {
        "Bygglovet tog åtta månader.",
        "Serveringstillståndet gick fort.",
    }
    assert list(topics_visible_to(case_officer).values_list("key", flat=True)) == ["tillstand"]
    assert texts(feedback_unlinked(case_officer)) == {"Bygglovet tog åtta månader."}


def test_a_case_officer_of_another_department_sees_none_until_a_topic_is_theirs(
    other_officer, department_miljo, data
):
    assert feedback_visible_to(other_officer).count() == 0
    Topic.objects.filter(key="upphandling").update(department=department_miljo)
    assert texts(feedback_visible_to(other_officer)) == {
        "Svårt att förstå underlagen.",
        "Vill veta mer om ramavtal.",
        "Fortfarande krångligt.",
    }


def test_feedback_on_a_topic_without_department_is_hidden_from_case_officers(case_officer, data):
    assert Topic.objects.get(key="upphandling").department_id is None
    assert not feedback_visible_to(case_officer).filter(topic__key="upphandling").exists()


def test_nobody_else_sees_feedback(data, developer):
    from django.contrib.auth.models import AnonymousUser

    assert feedback_visible_to(AnonymousUser()).count() == 0
    assert feedback_visible_to(None).count() == 0
    developer.is_active = False
    assert feedback_visible_to(developer).count() == 0


# ---------------------------------------------------------------- pages and export


def test_the_overview_shows_a_case_officer_only_their_topics(client_for, case_officer, data):
    html = client_for(case_officer).get(OVERVIEW).content.decode()
    assert "Du ser synpunkterna inom de ämnen som hör till Bygglov." in html
    rows = cells(html, "Antal synpunkter per ämne och år")
    assert [r[0] for r in rows[1:]] == ["Tillstånd och handläggning", "Totalt"]
    assert cells(html, "Synpunkter per ort")[1:] == [["Mariefred", "2", "1", "1", "0"]]
    listed = {r[4] for r in cells(html, "Synpunkter, senaste besöket först")[1:]}
    assert listed == {"Bygglovet tog åtta månader.", "Serveringstillståndet gick fort."}
    for hidden in ("Svårt att förstå underlagen.", "Trevligt bemötande.", "Hemligt"):
        assert hidden not in html
    assert '<option value="upphandling"' not in html
    assert '<option value="tillstand"' in html


def test_a_case_officer_cannot_filter_on_another_departments_topic(client_for, case_officer, data):
    html = client_for(case_officer).get(OVERVIEW, {"topic": "upphandling"}).content.decode()
    assert 'id="id_topic_error"' in html
    assert "Svårt att förstå underlagen." not in html


def test_the_unlinked_list_shows_a_case_officer_only_their_topics(client_for, case_officer, data):
    html = client_for(case_officer).get(UNLINKED).content.decode()
    assert "Bygglovet tog åtta månader." in html
    assert "Svårt att förstå underlagen." not in html
    assert "1 synpunkt väntar" in html
    # A case officer does not log visits, so there is nothing for them to click.
    assert "/andra/" not in html


def test_a_case_officer_without_matching_topics_gets_empty_pages(client_for, other_officer, data):
    client = client_for(other_officer)
    html = client.get(OVERVIEW).content.decode()
    assert "0 synpunkter" in html
    assert "Inga synpunkter att visa." in html
    assert "Alla negativa synpunkter är kopplade" in client.get(UNLINKED).content.decode()
    response = client.get(reverse("visits:feedback_export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet is not None and sheet.max_row == 1


# ---------------------------------------------------------------- the API


def test_a_case_officer_may_not_read_visits_and_their_notes(client_for, case_officer, data):
    client = client_for(case_officer)
    assert client.get("/api/v1/visits/").status_code == 403
    assert client.get(f"/api/v1/visits/{data.visits[0].pk}/").status_code == 403


def test_a_case_officers_follow_ups_do_not_show_the_visits_notes(client_for, case_officer, data):
    import datetime as dt

    make_follow_up(data.visits[0], owner=case_officer, due_on=dt.date(2026, 6, 1))
    response = client_for(case_officer).get("/api/v1/follow-ups/")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert "Hemligt" not in response.content.decode()


def test_the_visit_api_shows_the_feedback_through_the_scope(
    client_for, developer, data, monkeypatch
):
    from brygga.visits.api import views

    url = f"/api/v1/visits/{data.visits[0].pk}/"
    body = client_for(developer).get(url).json()
    assert {f["text"] for f in body["feedback"]} == {
        "Svårt att förstå underlagen.",
        "Bygglovet tog åtta månader.",
    }
    monkeypatch.setattr(
        views,
        "feedback_visible_to",
        lambda user: Feedback.objects.filter(topic__key="tillstand"),
    )
    body = client_for(developer).get(url).json()
    assert [f["text"] for f in body["feedback"]] == ["Bygglovet tog åtta månader."]

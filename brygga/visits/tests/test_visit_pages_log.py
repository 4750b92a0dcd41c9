"""The quick log form (visit_create): one page, few required fields, the company found
from an org number or a name without JavaScript, an optional first feedback item
and follow-up; clear messages for bad input and never a 500."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from brygga.accounts.models import User
from brygga.core.models import AuditEntry
from brygga.register.models import Company
from brygga.register.tests.companies_factory import make_company, orgnr
from brygga.visits.models import Feedback, FollowUp, Topic, Visit, VisitKind
from brygga.visits.views import visits as visit_views

pytestmark = pytest.mark.django_db

URL = reverse("visits:visit_create")


def post(client: Any, **data: Any) -> Any:
    payload: dict[str, Any] = {
        "company": "",
        "company_pick": "",
        "company_searched": "",
        "date": "2026-03-04",
        "kind": str(VisitKind.objects.get(key="besok").pk),
        "feedback_sentiment": "neutral",
    }
    payload.update(data)
    return client.post(URL, {k: v for k, v in payload.items() if v is not None})


def errors(response: Any, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


@pytest.fixture
def bygg() -> Company:
    return make_company("Mariefreds Bygg AB", identity=orgnr(4711), postal_town="Mariefred")


# ---------------------------------------------------------------- the page


def test_the_empty_form_defaults_to_today_a_visit_and_the_logged_in_user(
    client_for: Any, developer: User
) -> None:
    response = client_for(developer).get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["date"].value() == timezone.localdate()
    assert form["kind"].value() == VisitKind.objects.get(key="besok").pk
    assert form["staff"].value() == [developer.pk]
    assert form["follow_up_owner"].value() == developer.pk
    required = [name for name, field in form.fields.items() if field.required]
    assert sorted(required) == ["date", "kind"]  # and the company, checked in clean()
    html = response.content.decode()
    assert 'type="date"' in html and 'type="radio" name="rating" value="5"' in html


def test_the_company_link_prefills_the_company(
    client_for: Any, developer: User, bygg: Company
) -> None:
    response = client_for(developer).get(URL, {"company": bygg.url_key})
    picker = response.context["form"].pickers["company"]
    assert picker.candidates == [bygg] and picker.checked == bygg.pk
    assert f'value="{bygg.pk}" id="id_company_pick_0" checked' in response.content.decode()
    # Nothing else to type: the chosen company is posted as the pick.
    response = post(client_for(developer), company_pick=str(bygg.pk))
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "visits:visit_detail", kwargs={"pk": visit.pk}
    )
    assert list(visit.companies.all()) == [bygg]


def test_an_unknown_company_key_just_leaves_the_field_empty(
    client_for: Any, developer: User
) -> None:
    response = client_for(developer).get(URL, {"company": "not-a-key"})
    assert response.status_code == 200
    assert response.context["form"].pickers["company"].candidates == []


# ---------------------------------------------------------------- the rest of the form


def test_it_logs_everything_on_one_page(
    client_for: Any, developer: User, admin_user: User, bygg: Company
) -> None:
    response = post(
        client_for(developer),
        company=bygg.identity,
        date="2026-02-27",
        kind=str(VisitKind.objects.get(key="lunch").pk),
        rating="4",
        notes="Vill bygga ut lagret.",
        staff=[str(developer.pk), str(admin_user.pk)],
        politicians="Kommunalråd Eva Ek",
        feedback_topic=str(Topic.objects.get(key="tillstand").pk),
        feedback_sentiment="negative",
        feedback_text="Bygglovet tog åtta månader.",
        follow_up_title="Boka möte med bygglov",
        follow_up_owner=str(admin_user.pk),
        follow_up_due="2026-03-13",
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.date, visit.kind.key, visit.status, visit.rating) == (
        dt.date(2026, 2, 27),
        "lunch",
        Visit.Status.HELD,
        4,
    )
    assert visit.notes == "Vill bygga ut lagret." and visit.politicians == "Kommunalråd Eva Ek"
    assert set(visit.staff.all()) == {developer, admin_user}
    assert visit.created_by == developer
    feedback = Feedback.objects.get()
    assert (feedback.topic.key, feedback.sentiment, feedback.text, feedback.company) == (
        "tillstand",
        "negative",
        "Bygglovet tog åtta månader.",
        bygg,
    )
    follow_up = FollowUp.objects.get()
    assert (follow_up.visit, follow_up.title, follow_up.owner, follow_up.due_on) == (
        visit,
        "Boka möte med bygglov",
        admin_user,
        dt.date(2026, 3, 13),
    )
    assert AuditEntry.objects.filter(subject_type="visits.visit", actor=developer).count() == 1
    assert AuditEntry.objects.filter(subject_type="visits.followup").count() == 1


def test_the_minimum_is_company_date_and_kind(
    client_for: Any, developer: User, bygg: Company
) -> None:
    response = post(client_for(developer), company=bygg.identity)
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.rating is None and visit.notes == "" and list(visit.staff.all()) == []
    assert not Feedback.objects.exists() and not FollowUp.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date": "2026-02-30"}, "date", "Ange ett datum som finns, till exempel 2026-03-04."),
        ({"date": "igår"}, "date", "Ange ett datum som finns, till exempel 2026-03-04."),
        ({"date": ""}, "date", "Ange datum."),
        ({"rating": "7"}, "rating", "Betyget ska vara ett tal från 1 till 5."),
        ({"rating": "0"}, "rating", "Betyget ska vara ett tal från 1 till 5."),
        ({"kind": "999999"}, "kind", "Välj en typ av kontakt i listan."),
        ({"kind": "x"}, "kind", "Välj en typ av kontakt i listan."),
        ({"feedback_text": "Bra bemötande."}, "feedback_topic", "Välj ett ämne för synpunkten."),
        ({"feedback_topic": "x"}, "feedback_topic", "Välj ett ämne i listan."),
        (
            {"follow_up_title": "Ring tillbaka"},
            "follow_up_due",
            "Ange när uppföljningen ska vara klar.",
        ),
        ({"follow_up_due": "2026-03-20"}, "follow_up_title", "Skriv vad som ska göras."),
        (
            {"follow_up_title": "Ring", "follow_up_due": "2026-13-01"},
            "follow_up_due",
            "Ange ett datum som finns, till exempel 2026-03-20.",
        ),
        (
            {"follow_up_title": "Ring", "follow_up_due": "2026-03-20"},
            "follow_up_owner",
            "Välj vem som ansvarar för uppföljningen.",
        ),
        ({"staff": ["999999"]}, "staff", None),
    ],
    ids=[
        "impossible-date",
        "words-for-date",
        "no-date",
        "rating-7",
        "rating-0",
        "unknown-kind",
        "garbage-kind",
        "feedback-without-topic",
        "unknown-topic",
        "follow-up-without-date",
        "date-without-follow-up",
        "impossible-due-date",
        "follow-up-without-owner",
        "unknown-staff",
    ],
)
def test_bad_input_is_explained_on_its_field_and_nothing_is_saved(
    client_for: Any,
    developer: User,
    bygg: Company,
    data: dict[str, Any],
    field: str,
    message: str | None,
) -> None:
    response = post(client_for(developer), company=bygg.identity, **data)
    assert response.status_code == 200
    found = errors(response, field)
    assert found, response.context["form"].errors
    if message is not None:
        assert found == [message]
    html = response.content.decode()
    assert "Formuläret är inte sparat" in html
    assert f'id="id_{field}_error"' in html
    assert not Visit.objects.exists() and not FollowUp.objects.exists()


def test_an_owner_who_has_left_cannot_be_chosen(
    client_for: Any, developer: User, bygg: Company
) -> None:
    gone = User.objects.create(email="slutat@example.se", full_name="Slutat", is_active=False)
    response = post(
        client_for(developer),
        company=bygg.identity,
        follow_up_title="Ring",
        follow_up_due="2026-03-20",
        follow_up_owner=str(gone.pk),
    )
    assert response.status_code == 200
    assert errors(response, "follow_up_owner")
    assert not Visit.objects.exists()


def test_a_follow_up_the_service_refuses_leaves_no_half_saved_visit(
    client_for: Any, developer: User, bygg: Company, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**kwargs: Any) -> None:
        raise ValidationError({"due_on": ["Datumet passar inte."]})

    monkeypatch.setattr(visit_views.follow_up_svc, "follow_up_create", refuse)
    response = post(
        client_for(developer),
        company=bygg.identity,
        feedback_topic=str(Topic.objects.get(key="bemotande").pk),
        follow_up_title="Ring",
        follow_up_due="2026-03-20",
        follow_up_owner=str(developer.pk),
    )
    assert response.status_code == 200
    assert errors(response, "follow_up_due") == ["Datumet passar inte."]
    assert not Visit.objects.exists() and not Feedback.objects.exists()
    assert not AuditEntry.objects.filter(subject_type="visits.visit").exists()


def test_it_keeps_what_was_typed_when_it_refuses(
    client_for: Any, developer: User, bygg: Company
) -> None:
    response = post(
        client_for(developer), company=bygg.identity, rating="9", notes="Ska inte försvinna"
    )
    html = response.content.decode()
    assert "Ska inte försvinna" in html
    # The company it found stays chosen.
    assert response.context["form"].pickers["company"].checked == bygg.pk


def test_a_retired_kind_is_not_offered(client_for: Any, developer: User) -> None:
    VisitKind.objects.filter(key="massa").update(active=False)
    response = client_for(developer).get(URL)
    offered = [k.key for k in response.context["form"].fields["kind"].queryset]
    assert "massa" not in offered and "besok" in offered

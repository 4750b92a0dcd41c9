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
from brygga.register.services.search_words import search_words_refresh
from brygga.register.tests.companies_factory import make_companies, make_company, orgnr, pnr
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


# ---------------------------------------------------------------- finding the company


@pytest.mark.parametrize("typed", ["5500047112", "550004-7112", " 550004-7112 ", "16550004-7112"])
def test_an_org_number_in_any_form_finds_the_company(
    client_for: Any, developer: User, bygg: Company, typed: str
) -> None:
    assert orgnr(4711) == "5500047112"
    response = post(client_for(developer), company=typed)
    assert response.status_code == 302, response.context["form"].errors
    assert list(Visit.objects.get().companies.all()) == [bygg]


def test_a_name_matching_one_company_is_used(
    client_for: Any, developer: User, bygg: Company
) -> None:
    make_company("Strängnäs Kafé AB")
    response = post(client_for(developer), company="mariefreds bygg")
    assert response.status_code == 302
    assert list(Visit.objects.get().companies.all()) == [bygg]


def test_a_name_matching_several_shows_them_to_choose_from(
    client_for: Any, developer: User, bygg: Company
) -> None:
    other = make_company("Mariefreds Byggservice HB", postal_town="Mariefred")
    make_company(
        "Mariefreds Bygg Konkursbo AB",
        status=Company.Status.DEREGISTERED,
        deregistered_on=dt.date(2020, 1, 1),
    )
    client = client_for(developer)
    response = post(client, company="Mariefreds Bygg", follow_up_title="")
    assert response.status_code == 200
    assert not Visit.objects.exists()
    # An exact name would have been clear; "Mariefreds Bygg" is a part of two names.
    # The deregistered company is not offered.
    assert errors(response, "company") == [
        "2 företag matchar ”Mariefreds Bygg”. Välj ett av dem nedan."
    ]
    picker = response.context["form"].pickers["company"]
    assert {c.pk for c in picker.candidates} == {bygg.pk, other.pk}
    assert picker.checked is None and picker.searched == "Mariefreds Bygg"
    html = response.content.decode()
    assert 'name="company_searched" value="Mariefreds Bygg"' in html
    assert "Mariefreds Byggservice HB" in html and "Konkursbo" not in html

    # Choosing one from the list saves it.
    response = post(
        client,
        company="Mariefreds Bygg",
        company_searched="Mariefreds Bygg",
        company_pick=str(other.pk),
    )
    assert response.status_code == 302
    assert list(Visit.objects.get().companies.all()) == [other]


def test_an_exact_name_among_several_matches_is_used(
    client_for: Any, developer: User, bygg: Company
) -> None:
    make_company("Mariefreds Bygg AB Filial")
    response = post(client_for(developer), company="Mariefreds  bygg ab")
    assert response.status_code == 302
    assert list(Visit.objects.get().companies.all()) == [bygg]


def test_typing_something_new_searches_again_instead_of_the_old_choice(
    client_for: Any, developer: User, bygg: Company
) -> None:
    cafe = make_company("Kafé Ugglan", identity=orgnr(4712))
    response = post(
        client_for(developer),
        company="kafé ugglan",
        company_searched="Mariefreds Bygg",
        company_pick=str(bygg.pk),
    )
    assert response.status_code == 302
    assert list(Visit.objects.get().companies.all()) == [cafe]


def test_more_than_twenty_matches_shows_twenty_and_asks_for_more(
    client_for: Any, developer: User
) -> None:
    make_companies(25, prefix="Strängnäs Snickeri")
    response = post(client_for(developer), company="snickeri")
    picker = response.context["form"].pickers["company"]
    assert len(picker.candidates) == 20 and picker.more == 5
    assert errors(response, "company") == [
        "25 företag matchar ”snickeri”. Välj ett av de 20 första nedan, "
        "eller skriv mer av namnet eller organisationsnumret."
    ]
    assert "5 företag till matchar" in response.content.decode()


def test_a_misspelt_name_is_offered_but_never_guessed(
    client_for: Any, developer: User, bygg: Company
) -> None:
    search_words_refresh()
    response = post(client_for(developer), company="Mariefreds Bgyg")
    assert response.status_code == 200 and not Visit.objects.exists()
    assert errors(response, "company") == [
        "Inget företag matchade ”Mariefreds Bgyg”. Menade du något av företagen nedan?"
    ]
    picker = response.context["form"].pickers["company"]
    assert picker.candidates == [bygg] and picker.checked is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Ange ett företag: organisationsnummer eller namn."),
        ("   ", "Ange ett företag: organisationsnummer eller namn."),
        ("Finns Inte AB", "Inget aktivt företag i registret matchar ”Finns Inte AB”."),
        ("556677-8899", "Inget aktivt företag i registret har organisationsnumret ”556677-8899”."),
    ],
    ids=["empty", "blank", "unknown-name", "unknown-number"],
)
def test_a_missing_or_unknown_company_is_explained(
    client_for: Any, developer: User, bygg: Company, typed: str, message: str
) -> None:
    response = post(client_for(developer), company=typed)
    assert response.status_code == 200
    assert errors(response, "company") == [message]
    assert not Visit.objects.exists()


def test_a_pick_of_a_company_that_is_gone_is_explained(client_for: Any, developer: User) -> None:
    response = post(client_for(developer), company_pick="999999")
    assert errors(response, "company") == [
        "Det valda företaget finns inte längre i registret. Sök igen."
    ]
    response = post(client_for(developer), company_pick="abc")
    assert errors(response, "company") == ["Ange ett företag: organisationsnummer eller namn."]


def test_the_choices_name_each_company_as_the_register_does(
    client_for: Any, developer: User
) -> None:
    make_company("Anna Andersson Måleri", identity=pnr(1), identity_kind="pnr")
    make_company("Anna Andersson Städ", identity=pnr(2), identity_kind="pnr", postal_town="Åker")
    response = post(client_for(developer), company="anna andersson")
    html = response.content.decode()
    # The office sees personnummer in the register too (RegisterPerm.VIEW_PERSONAL_NUMBER).
    assert f"{pnr(1)[:8]}-{pnr(1)[8:]}" in html
    assert f"{pnr(2)[:8]}-{pnr(2)[8:]}, Åker" in html


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

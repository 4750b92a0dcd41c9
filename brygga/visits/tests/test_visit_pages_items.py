"""Feedback items and follow-ups added on a visit's page: the forms, the link to the
action plan (an area or an activity, grouped by program and area), the company among
the visit's companies, and clear messages for bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from brygga.accounts.models import User
from brygga.actionplan.models import Activity, Area
from brygga.actionplan.tests.factories import make_activity, make_area, make_program
from brygga.core.models import AuditEntry
from brygga.register.models import Company
from brygga.register.tests.companies_factory import make_company
from brygga.visits.models import Feedback, FollowUp, Topic, Visit
from brygga.visits.tests.factories import make_feedback, make_visit

pytestmark = pytest.mark.django_db

SEP = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"


@pytest.fixture
def bygg() -> Company:
    return make_company("Mariefreds Bygg AB", postal_town="Mariefred")


@pytest.fixture
def visit(bygg: Company) -> Visit:
    return make_visit([bygg, make_company("Kafé Ugglan")])


@pytest.fixture
def plan() -> tuple[Area, Activity, Activity]:
    program = make_program(title="Topp 50-2017")
    area = make_area(program, title="Dialog")
    other_area = make_area(make_program(title="Strategi"), title="Bygglov")
    return (
        area,
        make_activity(area, title="Företagarfrukost"),
        make_activity(other_area, title="Bygglovslots"),
    )


def topic(key: str) -> str:
    return str(Topic.objects.get(key=key).pk)


def add_feedback(client: Any, visit: Visit, **data: Any) -> Any:
    payload = {"topic": "", "sentiment": "neutral", "text": "", "company": "", "link": ""}
    payload.update(data)
    return client.post(reverse("visits:feedback_add", kwargs={"pk": visit.pk}), payload)


# ---------------------------------------------------------------- feedback


def test_the_link_select_is_grouped_by_program_and_area(
    client_for: Any, developer: User, visit: Visit, plan: tuple[Area, Activity, Activity]
) -> None:
    area, activity, elsewhere = plan
    response = client_for(developer).get(reverse("visits:feedback_add", kwargs={"pk": visit.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<optgroup label="Topp 50-2017 {SEP} Dialog">' in html
    assert f'<optgroup label="Strategi {SEP} Bygglov">' in html
    assert f'<option value="area-{area.pk}">Dialog (hela området)</option>' in html
    assert f'<option value="activity-{activity.pk}">Företagarfrukost</option>' in html
    assert f'<option value="activity-{elsewhere.pk}">Bygglovslots</option>' in html
    companies = [c.name for c in response.context["form"].fields["company"].queryset]
    assert companies == ["Kafé Ugglan", "Mariefreds Bygg AB"]


def test_feedback_is_added_with_its_company_and_activity(
    client_for: Any,
    developer: User,
    visit: Visit,
    bygg: Company,
    plan: tuple[Area, Activity, Activity],
) -> None:
    area, activity, _elsewhere = plan
    response = add_feedback(
        client_for(developer),
        visit,
        topic=topic("upphandling"),
        sentiment="negative",
        text="Svårt att lämna anbud.",
        company=str(bygg.pk),
        link=f"activity-{activity.pk}",
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#synpunkter")
    item = Feedback.objects.get()
    assert (item.topic.key, item.sentiment, item.text, item.company) == (
        "upphandling",
        "negative",
        "Svårt att lämna anbud.",
        bygg,
    )
    # The activity's area is filled in, so the area's lists find the item too.
    assert (item.activity, item.area) == (activity, area)
    assert AuditEntry.objects.filter(subject_type="visits.feedback", actor=developer).exists()


def test_feedback_can_concern_a_whole_area_or_nothing(
    client_for: Any, developer: User, visit: Visit, plan: tuple[Area, Activity, Activity]
) -> None:
    area = plan[0]
    client = client_for(developer)
    add_feedback(client, visit, topic=topic("bemotande"), link=f"area-{area.pk}")
    add_feedback(client, visit, topic=topic("ovrigt"))
    linked, unlinked = Feedback.objects.order_by("id")
    assert (linked.area, linked.activity) == (area, None)
    assert (unlinked.area, unlinked.activity, unlinked.company) == (None, None, None)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"topic": ""}, "topic", "Välj ett ämne."),
        ({"topic": "999999"}, "topic", "Välj ett ämne i listan."),
        ({"sentiment": "arg"}, "sentiment", "Välj positiv, negativ eller neutral."),
        ({"company": "outsider"}, "company", "Välj ett av besökets företag."),
        ({"link": "area-999999"}, "link", "Välj ett område eller en aktivitet i listan."),
        ({"link": "drop table"}, "link", "Välj ett område eller en aktivitet i listan."),
    ],
    ids=["no-topic", "unknown-topic", "bad-tone", "company-not-in-visit", "unknown-area", "junk"],
)
def test_bad_feedback_is_explained(
    client_for: Any,
    developer: User,
    visit: Visit,
    data: dict[str, Any],
    field: str,
    message: str,
) -> None:
    if data.get("company") == "outsider":
        data = {**data, "company": str(make_company("Utomstående AB").pk)}
    payload = {"topic": topic("ovrigt"), **data}
    response = add_feedback(client_for(developer), visit, **payload)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Feedback.objects.exists()


def test_a_retired_topic_is_not_offered_but_kept_on_old_feedback(
    client_for: Any, developer: User, visit: Visit
) -> None:
    item = make_feedback(visit, "skyltning", "neutral", "Skyltarna vid infarten.")
    Topic.objects.filter(key="skyltning").update(active=False)
    client = client_for(developer)
    add_page = client.get(reverse("visits:feedback_add", kwargs={"pk": visit.pk}))
    assert "skyltning" not in [t.key for t in add_page.context["form"].fields["topic"].queryset]
    edit_url = reverse("visits:feedback_edit", kwargs={"pk": item.pk})
    edit_page = client.get(edit_url)
    assert "skyltning" in [t.key for t in edit_page.context["form"].fields["topic"].queryset]
    response = client.post(
        edit_url,
        {"topic": str(item.topic_id), "sentiment": "negative", "text": "Nya skyltar behövs."},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.sentiment, item.text) == ("negative", "Nya skyltar behövs.")


def test_editing_feedback_shows_it_and_links_it_later(
    client_for: Any,
    developer: User,
    visit: Visit,
    bygg: Company,
    plan: tuple[Area, Activity, Activity],
) -> None:
    area, activity, _elsewhere = plan
    item = make_feedback(visit, company=bygg, activity=activity)
    url = reverse("visits:feedback_edit", kwargs={"pk": item.pk})
    client = client_for(developer)
    form = client.get(url).context["form"]
    assert form["link"].value() == f"activity-{activity.pk}"
    assert form["company"].value() == bygg.pk
    response = client.post(
        url,
        {
            "topic": str(item.topic_id),
            "sentiment": item.sentiment,
            "text": item.text,
            "company": "",
            "link": f"area-{area.pk}",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.area, item.activity, item.company) == (area, None, None)
    entry = AuditEntry.objects.get(subject_type="visits.feedback", action="update")
    assert set(entry.changes) == {"activity", "company"}


def test_feedback_is_deleted_after_asking(client_for: Any, developer: User, visit: Visit) -> None:
    item = make_feedback(visit, text="Ta bort mig")
    url = reverse("visits:feedback_delete", kwargs={"pk": item.pk})
    client = client_for(developer)
    page = client.get(url)
    assert "Ta bort mig" in page.content.decode() and Feedback.objects.exists()
    response = client.post(url)
    assert response.status_code == 302 and not Feedback.objects.exists()


# ---------------------------------------------------------------- follow-ups


def test_a_follow_up_is_added_with_the_user_as_default_owner(
    client_for: Any, developer: User, admin_user: User, visit: Visit
) -> None:
    url = reverse("visits:follow_up_add", kwargs={"pk": visit.pk})
    client = client_for(developer)
    assert client.get(url).context["form"]["owner"].value() == developer.pk
    response = client.post(
        url, {"title": "Skicka broschyren", "owner": str(admin_user.pk), "due_on": "2026-03-20"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#uppfoljningar")
    follow_up = FollowUp.objects.get()
    assert (follow_up.visit, follow_up.title, follow_up.owner, follow_up.due_on) == (
        visit,
        "Skicka broschyren",
        admin_user,
        dt.date(2026, 3, 20),
    )
    assert follow_up.status == FollowUp.Status.OPEN


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "Skriv vad som ska göras."),
        ({"owner": ""}, "owner", "Välj vem som ansvarar."),
        ({"owner": "999999"}, "owner", "Välj en ansvarig i listan."),
        ({"due_on": ""}, "due_on", "Ange när det ska vara klart."),
        ({"due_on": "2026-02-30"}, "due_on", "Ange ett datum som finns, till exempel 2026-03-20."),
        ({"title": "x" * 301}, "title", None),
    ],
    ids=["no-title", "no-owner", "unknown-owner", "no-date", "impossible-date", "long-title"],
)
def test_a_bad_follow_up_is_explained(
    client_for: Any,
    developer: User,
    visit: Visit,
    data: dict[str, str],
    field: str,
    message: str | None,
) -> None:
    payload = {"title": "Ring", "owner": str(developer.pk), "due_on": "2026-03-20", **data}
    response = client_for(developer).post(
        reverse("visits:follow_up_add", kwargs={"pk": visit.pk}), payload
    )
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert errors if message is None else errors == [message]
    assert not FollowUp.objects.exists()


def test_items_of_an_unknown_visit_are_404(client_for: Any, developer: User) -> None:
    client = client_for(developer)
    for name in ("feedback_add", "follow_up_add", "feedback_edit", "feedback_delete"):
        assert client.get(reverse(f"visits:{name}", kwargs={"pk": 999})).status_code == 404

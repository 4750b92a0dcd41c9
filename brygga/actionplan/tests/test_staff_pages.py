"""The action plan's staff pages: programs, goals, areas, activities, statuses and
subscribers; what they show, what they write, and how many queries they take."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from brygga.actionplan.models import (
    Activity,
    ActivityStatus,
    ActivityUpdate,
    Area,
    Goal,
    Program,
)
from brygga.actionplan.tests.staff_factory import (
    make_plan,
    pending_contributions,
    subscribe,
)
from brygga.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def text_of(response: Any) -> str:
    return response.content.decode()


def errors_of(response: Any) -> dict[str, list[str]]:
    form = response.context["form"]
    return {name: list(errors) for name, errors in form.errors.items()}


# ---------------------------------------------------------------- programs


def test_it_creates_a_program_with_a_slug_made_from_its_swedish_title(client_for, developer):
    response = client_for(developer).post(
        reverse("actionplan:staff_program_create"),
        {"title": "Förbättra dialogen", "slug": "", "position": "0", "source": "survey"},
        follow=True,
    )
    program = Program.objects.get()
    assert program.slug == "forbattra-dialogen"
    assert program.published is False
    assert response.redirect_chain[-1][0] == reverse(
        "actionplan:staff_program", kwargs={"pk": program.pk}
    )
    assert "Programmet är skapat." in text_of(response)
    entry = AuditEntry.objects.get(subject_type="actionplan.program")
    assert entry.actor == developer
    assert entry.action == AuditEntry.Action.CREATE


def test_it_gives_a_second_program_with_the_same_title_a_slug_of_its_own(client_for, developer):
    client = client_for(developer)
    for _ in range(2):
        client.post(
            reverse("actionplan:staff_program_create"),
            {"title": "Näringslivsstrategi", "position": "0"},
        )
    assert sorted(Program.objects.values_list("slug", flat=True)) == [
        "naringslivsstrategi",
        "naringslivsstrategi-2",
    ]


@pytest.mark.parametrize("slug", ["sok", "flode", "prenumerera"])
def test_it_refuses_a_reserved_slug_with_a_clear_message(client_for, developer, slug):
    response = client_for(developer).post(
        reverse("actionplan:staff_program_create"),
        {"title": "Sökprogrammet", "slug": slug, "position": "0"},
    )
    assert response.status_code == 200
    assert Program.objects.count() == 0
    assert errors_of(response)["slug"] == [
        f"”{slug}” används redan av en sida på webbplatsen; välj ett annat kortnamn."
    ]
    assert "Formuläret är inte sparat." in text_of(response)


def test_it_shows_each_wrong_field_of_the_program_form(client_for, developer):
    response = client_for(developer).post(
        reverse("actionplan:staff_program_create"),
        {
            "title": "",
            "slug": "Inte En Slug!",
            "period_start": "2020-05-01",
            "period_end": "2019-01-01",
            "position": "-3",
            "source": "påhittad",
        },
    )
    assert response.status_code == 200
    errors = errors_of(response)
    assert set(errors) >= {"title", "slug", "position", "source"}
    assert Program.objects.count() == 0


def test_it_refuses_a_period_that_ends_before_it_starts(client_for, developer):
    response = client_for(developer).post(
        reverse("actionplan:staff_program_create"),
        {"title": "Baklänges", "period_start": "2020-05-01", "period_end": "2019-01-01"},
    )
    assert errors_of(response) == {"period_end": ["Slutdatum kan inte vara före startdatum."]}
    assert Program.objects.count() == 0


def test_it_edits_a_program_and_logs_only_what_changed(client_for, admin_user):
    plan = make_plan(activities=0, published=False)
    url = reverse("actionplan:staff_program_edit", kwargs={"pk": plan.program.pk})
    client = client_for(admin_user)
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and v is not False}
    data.update(published="on", title="Topp 50 år 2017")
    response = client.post(url, data, follow=True)
    assert "Ändringarna är sparade." in text_of(response)
    plan.program.refresh_from_db()
    assert plan.program.published is True
    assert plan.program.title == "Topp 50 år 2017"
    assert plan.program.slug == "topp-50-2017"  # the slug stays as it was
    entry = AuditEntry.objects.filter(subject_type="actionplan.program").latest("id")
    assert entry.action == AuditEntry.Action.UPDATE
    assert set(entry.changes) == {"published", "title"}


def test_it_does_not_rename_the_page_when_an_edit_is_refused(client_for, admin_user):
    plan = make_plan(activities=0)
    Program.objects.create(title="Annat", slug="annat")
    url = reverse("actionplan:staff_program_edit", kwargs={"pk": plan.program.pk})
    response = client_for(admin_user).post(
        url, {"title": "Nytt namn", "slug": "annat", "position": "0"}
    )
    assert response.status_code == 200
    assert "slug" in errors_of(response)
    assert "<h1>Ändra Topp 50-2017</h1>" in text_of(response)
    plan.program.refresh_from_db()
    assert plan.program.title == "Topp 50-2017"


def test_the_program_page_shows_goals_and_areas_with_their_counts(client_for, reader):
    plan = make_plan(activities=2)
    Activity.objects.filter(pk=plan.activities[1].pk).update(published=False)
    response = client_for(reader).get(
        reverse("actionplan:staff_program", kwargs={"pk": plan.program.pk})
    )
    html = text_of(response)
    assert "Inflytande" in html and "Topp 5 i rankingen" in html
    assert plan.area.title in html
    assert "2 (1)" in html
    assert "Ändra programmet" not in html  # the reader only reads


# ---------------------------------------------------------------- goals


def test_it_adds_and_edits_a_goal(client_for, developer):
    plan = make_plan(activities=0)
    client = client_for(developer)
    response = client.post(
        reverse("actionplan:staff_goal_create", kwargs={"pk": plan.program.pk}),
        {"title": "Kreativitet", "target": "Fler nya företag", "position": "2"},
        follow=True,
    )
    assert "Målet är tillagt." in text_of(response)
    goal = Goal.objects.get(title="Kreativitet")
    assert goal.program == plan.program
    response = client.post(
        reverse("actionplan:staff_goal_edit", kwargs={"pk": goal.pk}),
        {"title": "Hållbarhet", "target": "", "description": "", "position": "3"},
        follow=True,
    )
    assert "Målet är sparat." in text_of(response)
    goal.refresh_from_db()
    assert (goal.title, goal.target, goal.position) == ("Hållbarhet", "", 3)


# ---------------------------------------------------------------- areas


def test_it_creates_an_area_under_a_goal_of_its_program(client_for, developer):
    plan = make_plan(activities=0)
    response = client_for(developer).post(
        reverse("actionplan:staff_area_create", kwargs={"pk": plan.program.pk}),
        {"title": "Snabbare bygglov", "goal": str(plan.goal.pk), "position": "1"},
        follow=True,
    )
    area = Area.objects.get(title="Snabbare bygglov")
    assert (area.slug, area.goal, area.published) == ("snabbare-bygglov", plan.goal, False)
    assert "Förbättringsområdet är skapat." in text_of(response)


def test_it_offers_only_the_goals_of_the_areas_own_program(client_for, developer):
    plan = make_plan(activities=0)
    other = make_plan(activities=0, title="Annat program")
    response = client_for(developer).post(
        reverse("actionplan:staff_area_create", kwargs={"pk": plan.program.pk}),
        {"title": "Fel mål", "goal": str(other.goal.pk), "position": "0"},
    )
    assert "goal" in errors_of(response)
    assert not Area.objects.filter(title="Fel mål").exists()


def test_it_refuses_an_area_slug_taken_in_the_same_program(client_for, developer):
    plan = make_plan(activities=0)
    response = client_for(developer).post(
        reverse("actionplan:staff_area_create", kwargs={"pk": plan.program.pk}),
        {"title": "Dubblett", "slug": plan.area.slug, "position": "0"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Area.objects.count() == 1


def test_it_edits_an_area(client_for, developer):
    plan = make_plan(activities=0, published=False)
    response = client_for(developer).post(
        reverse("actionplan:staff_area_edit", kwargs={"pk": plan.area.pk}),
        {"title": "Dialogen", "slug": "dialogen", "published": "on", "position": "4"},
        follow=True,
    )
    assert "Ändringarna är sparade." in text_of(response)
    plan.area.refresh_from_db()
    assert (plan.area.title, plan.area.slug, plan.area.goal, plan.area.published) == (
        "Dialogen",
        "dialogen",
        None,
        True,
    )


def test_it_moves_an_area_to_another_goal_with_the_same_title(client_for, developer):
    plan = make_plan(activities=0)
    twin = Goal.objects.create(program=plan.program, title=plan.goal.title)
    response = client_for(developer).post(
        reverse("actionplan:staff_area_edit", kwargs={"pk": plan.area.pk}),
        {
            "title": plan.area.title,
            "slug": plan.area.slug,
            "goal": str(twin.pk),
            "published": "on",
        },
    )
    assert response.status_code == 302
    plan.area.refresh_from_db()
    assert plan.area.goal == twin
    entry = AuditEntry.objects.filter(subject_type="actionplan.area").latest("id")
    assert entry.changes == {"goal": [plan.goal.pk, twin.pk]}


def test_the_area_page_lists_activities_with_status_and_draft_marker(client_for, reader):
    plan = make_plan(activities=2)
    Activity.objects.filter(pk=plan.activities[1].pk).update(published=False)
    html = text_of(
        client_for(reader).get(reverse("actionplan:staff_area", kwargs={"pk": plan.area.pk}))
    )
    assert "Aktivitet 001" in html and "Utredning" in html
    assert "Aktivitet 002" in html and "Avklarad" in html
    assert html.count('<span class="badge">Utkast</span>') == 1


# ---------------------------------------------------------------- statuses


def test_it_creates_and_edits_a_status_but_never_its_key(client_for, admin_user):
    client = client_for(admin_user)
    response = client.post(
        reverse("actionplan:staff_status_create"),
        {"key": "paused", "label": "Pausad", "progress": "30", "position": "35"},
        follow=True,
    )
    assert "Statusen är skapad." in text_of(response)
    paused = ActivityStatus.objects.get(key="paused")
    response = client.post(
        reverse("actionplan:staff_status_edit", kwargs={"pk": paused.pk}),
        {"key": "stopped", "label": "Vilande", "progress": "25", "position": "36"},
        follow=True,
    )
    assert "Statusen är sparad." in text_of(response)
    paused.refresh_from_db()
    assert (paused.key, paused.label, paused.progress) == ("paused", "Vilande", 25)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"key": "done", "label": "Klar igen", "progress": "100", "position": "0"}, "key"),
        ({"key": "Med mellanslag", "label": "X", "progress": "0", "position": "0"}, "key"),
        ({"key": "over", "label": "Över", "progress": "101", "position": "0"}, "progress"),
        ({"key": "under", "label": "Under", "progress": "-1", "position": "0"}, "progress"),
        ({"key": "tom", "label": "", "progress": "10", "position": "0"}, "label"),
    ],
)
def test_it_refuses_a_bad_status(client_for, developer, data, field):
    before = ActivityStatus.objects.count()
    response = client_for(developer).post(reverse("actionplan:staff_status_create"), data)
    assert response.status_code == 200
    assert field in errors_of(response)
    assert ActivityStatus.objects.count() == before


def test_the_status_list_counts_activities_per_status(client_for, reader):
    make_plan(activities=5)
    html = text_of(client_for(reader).get(reverse("actionplan:staff_status_list")))
    assert "<code>investigating</code>" in html
    assert "Ny status" not in html


# ---------------------------------------------------------------- subscribers


def test_the_subscribers_page_counts_area_and_program_subscribers(client_for, developer):
    plan = make_plan(activities=0)
    other = make_plan(activities=0, title="Annat")
    subscribe("a@example.se", area=plan.area)
    subscribe("b@example.se", area=plan.area, confirmed=False)
    subscribe("c@example.se", program=plan.program)
    subscribe("a@example.se", program=plan.program)
    subscribe("x@example.se", area=other.area)
    response = client_for(developer).get(
        reverse("actionplan:staff_area_subscribers", kwargs={"pk": plan.area.pk})
    )
    counts = response.context["counts"]
    assert (counts.area_confirmed, counts.area_pending) == (1, 1)
    assert (counts.program_confirmed, counts.program_pending) == (2, 0)
    assert counts.reached == 2
    html = text_of(response)
    for email in ("a@example.se", "b@example.se", "c@example.se"):
        assert email in html
    assert "x@example.se" not in html


@pytest.mark.parametrize("persona", ["case_officer", "reader"])
def test_the_subscribers_page_hides_addresses_from_roles_without_the_right(
    request, client_for, persona
):
    plan = make_plan(activities=0)
    subscribe("hemlig@example.se", area=plan.area)
    response = client_for(request.getfixturevalue(persona)).get(
        reverse("actionplan:staff_area_subscribers", kwargs={"pk": plan.area.pk})
    )
    assert response.status_code == 200
    assert response.context["counts"].area_confirmed == 1
    assert "hemlig@example.se" not in text_of(response)
    assert "får inte se prenumeranternas e-postadresser" in text_of(response)


# ---------------------------------------------------------------- the start page


def test_the_start_page_lists_programs_drafts_too_with_counts(client_for, reader):
    plan = make_plan(activities=3)
    make_plan(activities=1, published=False, title="Utkastet")
    pending_contributions(plan, comments=2, ideas=1)
    response = client_for(reader).get(reverse("actionplan:staff_home"))
    html = text_of(response)
    assert "Utkastet" in html and '<span class="badge">Utkast</span>' in html
    assert response.context["moderation"].comments == 2
    assert response.context["moderation"].ideas == 1
    assert "2 kommentarer väntar på granskning." in html
    assert "1 idé väntar på granskning." in html
    assert reverse("actionplan:staff_moderation") in html
    counts = {p.title: (p.n_areas, p.n_activities) for p in response.context["programs"]}
    assert counts == {"Topp 50-2017": (1, 3), "Utkastet": (1, 1)}


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "name",
    [
        "staff_program",
        "staff_program_edit",
        "staff_goal_create",
        "staff_goal_edit",
        "staff_area_create",
        "staff_area",
        "staff_area_edit",
        "staff_area_subscribers",
        "staff_activity_create",
        "staff_activity",
        "staff_activity_edit",
        "staff_status_edit",
    ],
)
def test_an_unknown_pk_is_a_404(client_for, admin_user, name):
    assert (
        client_for(admin_user).get(reverse(f"actionplan:{name}", kwargs={"pk": 999})).status_code
        == 404
    )


@pytest.mark.parametrize("name", ["staff_activity_status", "staff_activity_update"])
def test_a_post_to_an_unknown_activity_is_a_404(client_for, admin_user, name):
    url = reverse(f"actionplan:{name}", kwargs={"pk": 999})
    assert client_for(admin_user).post(url, {}).status_code == 404


def test_a_very_long_title_gets_a_message_not_a_500(client_for, developer):
    response = client_for(developer).post(
        reverse("actionplan:staff_program_create"), {"title": "x" * 5000, "position": "0"}
    )
    assert response.status_code == 200
    assert "title" in errors_of(response)


# ---------------------------------------------------------------- query counts


QUERY_PAGES = [
    # name, kwargs from the plan, queries
    ("staff_home", lambda plan: {}, 5),
    ("staff_program", lambda plan: {"pk": plan.program.pk}, 5),
    ("staff_area", lambda plan: {"pk": plan.area.pk}, 4),
    ("staff_area_subscribers", lambda plan: {"pk": plan.area.pk}, 6),
    ("staff_activity", lambda plan: {"pk": plan.activity.pk}, 5),
    ("staff_status_list", lambda plan: {}, 4),
]


@pytest.mark.parametrize("size", [5, 120])
@pytest.mark.parametrize(
    ("name", "kwargs", "queries"), QUERY_PAGES, ids=[p[0] for p in QUERY_PAGES]
)
def test_each_page_takes_a_fixed_number_of_queries(
    client_for, developer, django_assert_num_queries, size, name, kwargs, queries
):
    plan = make_plan(activities=size, contact=developer)
    for n in range(size):
        subscribe(f"p{n}@example.se", area=plan.area, confirmed=n % 2 == 0)
        subscribe(f"q{n}@example.se", program=plan.program)
        plan.activity.updates.create(kind=ActivityUpdate.Kind.UPDATE, text=f"Nytt {n}")
        Goal.objects.create(program=plan.program, title=f"Mål {n}")
    pending_contributions(plan, comments=size // 5, ideas=size // 5)
    client = client_for(developer)
    url = reverse(f"actionplan:{name}", kwargs=kwargs(plan))
    client.get(url)  # the session is warm, as on every later request
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200

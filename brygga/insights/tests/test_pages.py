"""The staff start page, the coverage page and the suggestions page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from brygga.insights.pace import visit_pace
from brygga.insights.tests.data import office_year
from brygga.visits.models import Visit
from brygga.visits.tests.factories import make_follow_up, make_visit


def test_login_lands_on_the_start_page(client: Any, developer: Any) -> None:
    from conftest import PASSWORD

    response = client.post(
        "/konto/logga-in/", {"username": developer.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/hantera/"


def test_start_page_says_how_far_behind_the_pace(client_for: Any, developer: Any) -> None:
    office_year(developer)
    pace = visit_pace(timezone.localdate().year)
    assert pace is not None and pace.behind is not None
    body = client_for(developer).get("/hantera/").content.decode()
    if pace.behind > 0:
        assert f"{pace.behind} besök efter takten." in body
    elif pace.behind < 0:
        assert f"{-pace.behind} besök före takten." in body
    else:
        assert "I takt med målet." in body
    assert "2 besök av målet 300." in body
    assert '<svg viewBox="0 0 640 300" role="img"' in body
    assert "Besök " in body and "ackumulerat per månad" in body  # the table
    assert "Ring om bygglovet" in body  # the developer's follow-up
    assert "Företag 2 &lt;b&gt;AB&lt;/b&gt;" in body  # the planned visit, escaped
    assert "Logga ett besök" in body


def test_start_page_without_a_target_offers_to_set_one(client_for: Any, developer: Any) -> None:
    office_year(developer, target=None)
    body = client_for(developer).get("/hantera/").content.decode()
    assert "Inget besöksmål är satt för året." in body
    assert "/hantera/besok/mal/" in body


def test_case_officer_sees_follow_ups_not_the_office_figures(
    client_for: Any, case_officer: Any, developer: Any
) -> None:
    office_year(developer)
    body = client_for(case_officer).get("/hantera/").content.decode()
    assert "Mina uppföljningar" in body
    assert "<svg" not in body
    assert "Logga ett besök" not in body
    assert "Mina planerade besök" not in body


def test_reader_sees_figures_but_cannot_log(client_for: Any, reader: Any, developer: Any) -> None:
    office_year(developer)
    body = client_for(reader).get("/hantera/").content.decode()
    assert "<svg" in body
    assert "Logga ett besök" not in body


@pytest.mark.parametrize("url", ["/hantera/", "/hantera/tackning/", "/hantera/forslag/"])
def test_anonymous_visitors_are_sent_to_log_in(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


def test_case_officer_gets_no_suggestions(client_for: Any, case_officer: Any) -> None:
    assert client_for(case_officer).get("/hantera/forslag/").status_code == 403


def test_start_page_queries_do_not_grow(
    client_for: Any, developer: Any, django_assert_max_num_queries: Any
) -> None:
    data = office_year(developer)
    client = client_for(developer)
    client.get("/hantera/")
    with django_assert_max_num_queries(14) as few:
        client.get("/hantera/")
    # Ten more held visits with three companies each, follow-ups and planned visits.
    for i in range(10):
        visit = make_visit(data["companies"][:3], date=timezone.localdate(), staff=[developer])
        make_follow_up(visit, owner=developer, due_on=timezone.localdate(), title=f"F {i}")
        make_visit(
            data["companies"][3:],
            date=timezone.localdate() + dt.timedelta(days=3),
            status="planned",
            staff=[developer],
        )
    # The visits changed: this view counts the visited companies again, the next reads them.
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        client.get("/hantera/")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/hantera/")


def test_coverage_page_shows_the_breakdowns(client_for: Any, developer: Any) -> None:
    office_year(developer)
    year = timezone.localdate().year
    body = client_for(developer).get(f"/hantera/tackning/?year={year}").content.decode()
    assert "Per bransch (SNI-avdelning)" in body
    assert "F \N{EN DASH} Byggverksamhet" in body
    assert "Saknar SNI-kod" in body
    assert "Mariefred" in body and "Uppgift saknas" in body
    # 2 of 6 visited, both in F (2 of the 6 companies): F over-represented.
    assert "33,3\N{NO-BREAK SPACE}%" in body
    assert "Överrepresenterade" in body


@pytest.mark.parametrize("year", ["abc", "1999", "99999", "2026.5", "<script>"])
def test_a_bad_year_is_explained_and_this_year_shown(
    client_for: Any, developer: Any, year: str
) -> None:
    response = client_for(developer).get("/hantera/tackning/", {"year": year})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'aria-invalid="true"' in body
    assert f"Täckning och representativitet {timezone.localdate().year}" in body
    assert "<script>" not in body


def test_suggestions_page_offers_one_click_planning(client_for: Any, developer: Any) -> None:
    data = office_year(developer)
    client = client_for(developer)
    body = client.get("/hantera/forslag/?n=2").content.decode()
    assert body.count('action="/hantera/besok/planera/"') == 2
    assert "underrepresenterat" in body
    # The planned company (Företag 2) and the visited ones are not suggested.
    assert "Företag 2 &lt;b&gt;AB&lt;/b&gt;" not in body
    assert "Företag 0 &lt;b&gt;AB&lt;/b&gt;" not in body
    suggested = [
        c for c in data["companies"][3:] if c.name.replace("<", "&lt;").replace(">", "&gt;") in body
    ]
    assert suggested
    response = client.post("/hantera/besok/planera/", {"company": suggested[0].pk}, follow=True)
    assert response.status_code == 200
    planned = Visit.objects.filter(companies=suggested[0], status=Visit.Status.PLANNED)
    assert planned.count() == 1
    assert list(planned[0].staff.all()) == [developer]
    # Now planned: no longer suggested.
    again = client.get("/hantera/forslag/?n=10").content.decode()
    assert suggested[0].name.replace("<", "&lt;").replace(">", "&gt;") not in again


def test_reader_sees_suggestions_without_the_plan_button(
    client_for: Any, reader: Any, developer: Any
) -> None:
    office_year(developer)
    body = client_for(reader).get("/hantera/forslag/").content.decode()
    assert "underrepresenterat" in body or "inga besök" in body
    assert "/hantera/besok/planera/" not in body


@pytest.mark.parametrize("n", ["0", "101", "many"])
def test_a_bad_count_is_explained(client_for: Any, developer: Any, n: str) -> None:
    office_year(developer)
    response = client_for(developer).get("/hantera/forslag/", {"n": n})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_readers_follow_up_links_to_a_page_they_may_open(
    client_for: Any, reader: Any, developer: Any
) -> None:
    data = office_year(developer)
    make_follow_up(
        data["held"][0], owner=reader, due_on=timezone.localdate(), title="Läs rapporten"
    )
    client = client_for(reader)
    body = client.get("/hantera/").content.decode()
    link = f'href="/hantera/besok/{data["held"][0].pk}/">Läs rapporten</a>'
    assert link in body
    assert client.get(f"/hantera/besok/{data['held'][0].pk}/").status_code == 200

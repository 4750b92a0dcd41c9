"""The feedback export: an XLSX workbook read back with openpyxl, Swedish headers,
real date cells, the overview's filters, roles, masking and a fixed query count."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from brygga.register.tests.companies_factory import make_company, pnr
from brygga.visits.tests.factories import make_feedback, make_visit
from brygga.visits.tests.test_feedback_pages import FeedbackData, build_feedback_data

pytestmark = pytest.mark.django_db

EXPORT = reverse("visits:feedback_export")
HEADER = [
    "Datum",
    "Besök",
    "Typ av kontakt",
    "Företag",
    "Organisationsnummer",
    "Postort",
    "Ämne",
    "Ton",
    "Synpunkt",
    "Förbättringsområde",
    "Aktivitet",
]


@pytest.fixture
def data(department_bygglov: Any) -> FeedbackData:
    return build_feedback_data(department_bygglov)


def workbook_rows(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert sheet.title == "Synpunkter"
    return list(sheet.iter_rows(values_only=True))


def test_it_exports_every_item_with_swedish_headers(client_for, developer, data):
    response = client_for(developer).get(EXPORT)
    assert response["Content-Disposition"].startswith('attachment; filename="synpunkter-')
    rows = workbook_rows(response)
    assert list(rows[0]) == HEADER
    assert len(rows) == 7
    newest = rows[1]
    assert newest == (
        dt.datetime(2026, 1, 15),
        data.visits[2].pk,
        "Besök",
        "Mariefreds Bygg AB",
        data.bygg.identity_display,
        "Mariefred",
        "Upphandling",
        "Negativ",
        "Fortfarande krångligt.",
        "Snabbare och tydligare handläggning",
        None,
    )
    joint = next(r for r in rows if r[8] == "Trevligt bemötande.")
    assert joint[2] == "Lunch"
    assert joint[3] == "Butiken HB; Kafé Ugglan"
    assert joint[4] == f"{data.shop.identity_display}; {data.cafe.identity_display}"
    assert joint[5] == "Mariefred; Strängnäs"
    assert joint[7] == "Positiv"


def test_dates_are_date_cells(client_for, developer, data):
    response = client_for(developer).get(EXPORT)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet is not None
    cell = sheet["A2"]
    assert cell.is_date
    assert cell.number_format == "yyyy-mm-dd"
    assert cell.value == dt.datetime(2026, 1, 15)


def test_it_exports_what_the_filters_select(client_for, developer, data):
    rows = workbook_rows(client_for(developer).get(EXPORT, {"year": "2024", "tone": "negative"}))
    assert sorted(r[8] for r in rows[1:]) == [
        "Bygglovet tog åtta månader.",
        "Svårt att förstå underlagen.",
    ]
    rows = workbook_rows(client_for(developer).get(EXPORT, {"town": "Strängnäs"}))
    assert sorted(r[8] for r in rows[1:]) == ["Trevligt bemötande.", "Vill veta mer om ramavtal."]


def test_an_invalid_filter_goes_back_to_the_overview_with_the_errors(client_for, developer, data):
    client = client_for(developer)
    response = client.get(EXPORT, {"year": "nästa år", "topic": "upphandling"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("visits:feedback_overview") + "?")
    page = client.get(response["Location"]).content.decode()
    assert "Filtret är ogiltigt; rätta det och försök igen." in page
    assert 'id="id_year_error"' in page


def test_an_empty_export_has_the_header_only(client_for, developer):
    assert workbook_rows(client_for(developer).get(EXPORT)) == [tuple(HEADER)]


def test_formulas_are_written_as_text(client_for, developer, data):
    visit = make_visit([data.cafe], date=dt.date(2025, 6, 1))
    make_feedback(visit, "ovrigt", "neutral", '=HYPERLINK("http://example.com","klicka")')
    rows = workbook_rows(client_for(developer).get(EXPORT, {"topic": "ovrigt"}))
    assert rows[1][8] == '\'=HYPERLINK("http://example.com","klicka")'


def test_a_sole_traders_personnummer_is_masked_for_roles_that_may_not_see_it(
    client_for, developer, case_officer, data
):
    sole = make_company(
        "Tolvans Snickeri", identity=pnr(7), identity_kind="pnr", postal_town="Mariefred"
    )
    visit = make_visit([sole], date=dt.date(2025, 9, 1))
    make_feedback(visit, "tillstand", "negative", "Väntar på besked.", company=sole)
    for user, expected in (
        (developer, sole.identity_display),
        (case_officer, sole.identity_masked),
    ):
        rows = workbook_rows(client_for(user).get(EXPORT, {"year": "2025", "topic": "tillstand"}))
        row = next(r for r in rows if r[8] == "Väntar på besked.")
        assert row[4] == expected
    assert sole.identity_masked != sole.identity_display


def test_a_case_officer_exports_only_their_departments_topics(client_for, case_officer, data):
    rows = workbook_rows(client_for(case_officer).get(EXPORT))
    assert {r[6] for r in rows[1:]} == {"Tillstånd och handläggning"}
    assert len(rows) == 3


def test_anonymous_visitors_and_readers_may_not_export(client_for, reader, data):
    anonymous = client_for(None).get(EXPORT)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert client_for(reader).get(EXPORT).status_code == 403


def test_the_export_runs_a_fixed_number_of_queries(
    client_for, developer, data, django_assert_num_queries
):
    client = client_for(developer)
    # session, user, topic choices, the items, their visits' companies
    with django_assert_num_queries(5):
        b"".join(client.get(EXPORT).streaming_content)
    for i in range(10):
        visit = make_visit([data.bygg, data.shop], date=dt.date(2023, 2, 1 + i))
        make_feedback(visit, "parkering", "negative", f"Inga platser {i}.")
    with django_assert_num_queries(5):
        rows = workbook_rows(client.get(EXPORT))
    assert len(rows) == 17

"""The staff page for importing visit logs: /hantera/besok/import/."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from playwright.sync_api import Page

from brygga.core.models import AuditEntry
from brygga.core.testing.browser import axe_violations, log_in
from brygga.register.tests.companies_factory import make_company, orgnr
from brygga.visits.forms import imports as import_form
from brygga.visits.models import Visit
from brygga.visits.views import imports as import_views

URL = "/hantera/besok/import/"
HEADER = "org_number,date,kind,staff,notes,topics"
A = orgnr(11)


@pytest.fixture
def company(db: None) -> Any:
    return make_company("Alfa Bygg AB", identity=A)


def csv_upload(text: str, name: str = "besok.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_the_url_is_the_one_the_contract_names() -> None:
    assert reverse("visits:visit_import") == URL


@pytest.mark.django_db
def test_only_the_office_may_import(client_for, admin_user, developer, case_officer, reader):
    assert client_for(None).get(URL).status_code == 302
    assert client_for(case_officer).get(URL).status_code == 403
    assert client_for(reader).get(URL).status_code == 403
    assert client_for(reader).post(URL, {"file": csv_upload(HEADER)}).status_code == 403
    assert client_for(reader).get(reverse("visits:visit_import_example")).status_code == 403
    for user in (admin_user, developer):
        response = client_for(user).get(URL)
        assert response.status_code == 200
        assert "Importera besökslogg" in response.content.decode()
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_an_upload_is_imported_and_the_report_lists_rejected_rows_and_duplicates(
    client_for, developer, company
) -> None:
    text = (
        f"{HEADER}\n{A},2024-01-01,besök,,Ny lokal,upphandling\n"
        f"{A},2024-01-01,Besök,,,\n{orgnr(999)},2024-01-01,besök,,,\n{A},2024-01-02,fika,,,\n"
    )

    response = client_for(developer).post(URL, {"file": csv_upload(text)})

    assert response.status_code == 200
    page = response.content.decode()
    assert "created=1 duplicates=1 rejected=2" in page
    assert "1 besök lades in." in page
    report = response.context["report"]
    assert [(p.line_no, p.reason) for p in report.rejected] == [
        (4, f"företaget {orgnr(999)[:6]}-{orgnr(999)[6:]} finns inte i registret"),
        (5, "okänd typ «fika» (finns: besök, lunch, telefon, digitalt, mässa, nätverksträff)"),
    ]
    assert '<th scope="row">4</th>' in page and '<th scope="row">5</th>' in page
    assert "samma företag, datum och typ som rad 2" in page
    visit = Visit.objects.get()
    assert visit.imported and visit.created_by == developer
    entry = AuditEntry.objects.get(subject_type="visits.visit", subject_id=str(visit.pk))
    assert entry.actor == developer and entry.via == "import besok.csv"


@pytest.mark.django_db
def test_the_same_upload_twice_creates_nothing_the_second_time(
    client_for, developer, company
) -> None:
    text = f"{HEADER}\n{A},2024-01-01,besök,,,\n"
    client = client_for(developer)
    client.post(URL, {"file": csv_upload(text)})

    response = client.post(URL, {"file": csv_upload(text)})

    assert "created=0 duplicates=1 rejected=0" in response.content.decode()
    assert Visit.objects.count() == 1


@pytest.mark.django_db
def test_an_xlsx_upload_is_imported(client_for, developer, company) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["org_number", "date", "kind"])
    sheet.append([int(A), "2024-02-02", "lunch"])
    data = io.BytesIO()
    book.save(data)

    response = client_for(developer).post(
        URL, {"file": SimpleUploadedFile("logg.xlsx", data.getvalue())}
    )

    assert "created=1 duplicates=0 rejected=0" in response.content.decode()


@pytest.mark.django_db
def test_an_oversize_file_is_refused_with_a_clear_message(
    client_for, developer, company, monkeypatch
) -> None:
    monkeypatch.setattr(import_form, "MAX_UPLOAD_BYTES", 100)
    text = f"{HEADER}\n" + f"{A},2024-01-01,besök,,,\n" * 10

    response = client_for(developer).post(URL, {"file": csv_upload(text)})

    page = response.content.decode()
    assert response.context["report"] is None
    assert "Filen är för stor" in page and "100" in page
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_a_file_with_more_rows_than_the_page_takes_is_refused_whole(
    client_for, developer, company, monkeypatch
) -> None:
    monkeypatch.setattr(import_views, "MAX_ROWS", 2)
    lines = [f"{A},2024-01-0{day},besök,,," for day in (1, 2, 3)]

    response = client_for(developer).post(URL, {"file": csv_upload("\n".join([HEADER, *lines]))})

    assert "Filen har fler än 2 rader" in response.content.decode()
    assert "manage.py import_visits" in response.content.decode()
    assert not Visit.objects.exists()
    two = client_for(developer).post(URL, {"file": csv_upload("\n".join([HEADER, *lines[:2]]))})
    assert "created=2" in two.content.decode()


@pytest.mark.django_db
def test_a_file_of_the_wrong_type_or_an_unreadable_one_says_what_is_wrong(
    client_for, developer, company
) -> None:
    client = client_for(developer)

    pdf = client.post(URL, {"file": SimpleUploadedFile("logg.pdf", b"%PDF-1.4")})
    assert "Filtypen stöds inte" in pdf.content.decode()

    headerless = client.post(URL, {"file": csv_upload("namn,datum\nx,y\n")})
    assert "Rubrikraden saknar kolumnen/kolumnerna org_number, date, kind" in (
        headerless.content.decode()
    )

    missing = client.post(URL, {})
    assert missing.status_code == 200
    assert "obligatoriskt" in missing.content.decode()
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_the_example_file_imports_as_it_is(client_for, developer) -> None:
    make_company("Exempel AB", identity="5566778899")
    make_company("Exempel Två AB", identity="5561234567")
    client = client_for(developer)

    response = client.get(reverse("visits:visit_import_example"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == HEADER.split(",")
    imported = client.post(URL, {"file": SimpleUploadedFile("exempel.csv", content)})
    assert "created=3 duplicates=0 rejected=0" in imported.content.decode()


@pytest.mark.browser
@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_page_and_its_report_have_no_wcag_violations(
    page: Page, phone_page: Page, live_server, developer, tmp_path, phone: bool
) -> None:
    make_company("Alfa Bygg AB", identity=A)
    tab = phone_page if phone else page
    if phone:
        tab.set_viewport_size({"width": 320, "height": 800})  # the narrowest phone we support
    log_in(tab, live_server.url, developer)
    tab.goto(live_server.url + URL)
    assert not axe_violations(tab)

    path = tmp_path / "besok.csv"
    path.write_text(f"{HEADER}\n{A},2024-01-01,besök,,,\n{A},2024-01-01,besök,,,\nx,,,,,\n")
    tab.set_input_files("#id_file", str(path))
    tab.get_by_role("button", name="Importera").click()
    tab.wait_for_load_state()

    assert "created=1 duplicates=1 rejected=1" in tab.content()
    violations = axe_violations(tab)
    assert not violations, "\n".join(violations)
    assert tab.locator("h1").count() == 1
    if phone:
        viewport = tab.viewport_size
        assert viewport is not None
        assert tab.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    tab.set_input_files("#id_file", str(path))
    tab.get_by_role("button", name="Importera").click()
    tab.wait_for_load_state()
    assert not axe_violations(tab)

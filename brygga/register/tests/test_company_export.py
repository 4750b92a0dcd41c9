from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from brygga.accounts.models import User
from brygga.register import exports
from brygga.register.filters import CompanyFilters
from brygga.register.models import SniCode
from brygga.register.selectors import company_export_rows
from brygga.register.tests.companies_factory import make_company, pnr


@pytest.fixture
def companies(db: None) -> None:
    a = make_company("=Formel AB", postal_town="Mariefred")
    SniCode.objects.create(company=a, system="sni2007", code="43210")
    make_company("Firma Ek", identity=pnr(4), identity_kind="pnr", postal_town="Mariefred")
    make_company("Annan Ort AB", postal_town="Strängnäs")


def read_csv(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.django_db
def test_it_exports_the_filtered_list_as_csv_for_excel(client_for, developer: User, companies):
    response = client_for(developer).get(
        reverse("register:company_export_csv"), {"town": "Mariefred"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert rows[0][0] == "Organisationsnummer"
    assert [r[2] for r in rows[1:]] == ["'=Formel AB", "Firma Ek"]
    assert rows[1][13] == "43210"
    p = pnr(4)
    assert rows[2][0] == f"{p[:8]}-{p[8:]}"


@pytest.mark.django_db
def test_it_masks_personnummer_in_export_rows_without_the_right(companies):
    # Every role that may export today may also see personnummer, so the masked
    # path is checked on the rows the views stream.
    qs = company_export_rows(CompanyFilters(q="firma ek"))
    masked = list(exports.rows(qs, show_personal_number=False))
    full = list(exports.rows(qs, show_personal_number=True))
    assert masked[0][0] == f"{pnr(4)[:8]}-****"
    assert full[0][0] == f"{pnr(4)[:8]}-{pnr(4)[8:]}"


@pytest.mark.django_db
def test_it_exports_xlsx(client_for, admin_user: User, companies):
    response = client_for(admin_user).get(reverse("register:company_export_xlsx"), {"q": "ort"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = workbook.worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][2] == "Namn"
    assert [r[2] for r in values[1:]] == ["Annan Ort AB"]


@pytest.mark.django_db
def test_it_refuses_exports_to_case_officers_and_readers(client_for, case_officer, reader):
    for user in (case_officer, reader):
        assert client_for(user).get(reverse("register:company_export_csv")).status_code == 403

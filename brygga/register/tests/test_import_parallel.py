"""Large imports: parsing in worker processes, and PostgreSQL's bulk index rebuild."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from brygga.register.filters import CompanyFilters
from brygga.register.models import Company, CompanyName, ImportRejection, ImportRun
from brygga.register.selectors import company_list
from brygga.register.services import import_postgres
from brygga.register.tests.data import files as f
from brygga.register.tests.test_import_bolagsverket import quirky_rows, run_import

pytestmark = pytest.mark.django_db


def luhn_org(i: int) -> str:
    base = f"55{7000000 + i:07d}"
    total = 0
    for n, ch in enumerate(reversed(base)):
        d = int(ch) * (2 if n % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return base + str((10 - total % 10) % 10)


def big_file(tmp_path: Path) -> Path:
    """The quirky rows and, after them, enough companies for several chunks."""
    rows = quirky_rows()
    for i in range(4500):
        extra = f"|Bolag {i} Ltd$ANNATSPRAK-ORGNAM$2016-01-01" if i % 7 == 0 else ""
        dereg = "2024-02-29" if i % 11 == 0 else ""
        rows.append(f.bv_row(luhn_org(i), f"Företag {i} AB", names_extra=extra, deregistered=dereg))
    rows.append(f.bv_row(luhn_org(3), "Dubbletten AB"))  # a repeat across chunks
    rows.append(f.bv_row(luhn_org(9999), "Noll\x00tecken AB"))
    return f.write(tmp_path / "bolagsverket.txt", f.bv_text(rows, newline="\r\n").encode())


def register_state() -> dict[str, Any]:
    skip = {"id", "created_at", "updated_at", "created_by_import"}
    fields = [f.name for f in Company._meta.concrete_fields if f.name not in skip]
    return {
        "companies": sorted(Company.objects.values_list(*fields)),
        "names": sorted(
            CompanyName.objects.values_list(
                "company__identity", "company__name_protection_no", "name", "kind", "registered_on"
            )
        ),
        "rejections": list(
            ImportRejection.objects.order_by("line_no").values_list("line_no", "reason")
        ),
    }


def test_it_imports_the_same_in_worker_processes_as_in_one(
    settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = big_file(tmp_path)
    settings.BRYGGA_IMPORT_PARALLEL_MIN_BYTES = 10**12
    serial_summary = run_import(path)[-1]
    serial = register_state()
    Company.objects.all().delete()
    ImportRun.objects.all().delete()

    settings.BRYGGA_IMPORT_PARALLEL_MIN_BYTES = 0
    settings.BRYGGA_IMPORT_WORKERS = 2
    parallel_summary = run_import(path)[-1]

    assert "no worker processes" not in caplog.text
    assert parallel_summary == serial_summary
    assert serial_summary == "created=4505 updated=0 unchanged=0 deregistered=411 rejected=8"
    assert register_state() == serial
    reasons = dict(serial["rejections"])
    assert reasons[len(quirky_rows()) + 4500 + 2].startswith("dubblett")
    assert reasons[len(quirky_rows()) + 4500 + 3] == "felaktig rad: innehåller NUL-tecken"
    # The name search sees the companies written by the parallel run.
    assert [c.name for c in company_list(CompanyFilters(q="företag 4499"))] == ["Företag 4499 AB"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's bulk load path")
def test_it_rebuilds_the_search_indexes_after_a_bulk_load(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(import_postgres, "BULK_MIN_ROWS", 100)
    run_import(big_file(tmp_path))

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'register_company'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert {"register_company_search_trgm", "register_company_name_sv_idx"} <= indexes
    assert [c.name for c in company_list(CompanyFilters(q="företag 4499"))] == ["Företag 4499 AB"]
    # Misspelt: the trigram similarity fallback reads the rebuilt index.
    assert 'Mälarbygg "Stora" AB' in [c.name for c in company_list(CompanyFilters(q="mälarbyg"))]

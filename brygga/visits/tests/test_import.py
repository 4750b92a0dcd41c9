"""``manage.py import_visits``: historic visit logs as CSV or XLSX (issue 4, section 5)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from brygga.accounts.models import User
from brygga.accounts.services import user_create
from brygga.core.models import AuditEntry
from brygga.register.models import Company
from brygga.register.tests.companies_factory import make_company, orgnr, pnr
from brygga.visits.models import Feedback, Topic, Visit, VisitKind
from brygga.visits.services import import_writes
from brygga.visits.services.imports import VisitImportError, visits_import_path
from brygga.visits.services.visits import FeedbackData, VisitData, visit_create
from brygga.visits.tests.factories import make_visit

pytestmark = pytest.mark.django_db

HEADER = "org_number,date,kind,staff,notes,topics"
A = orgnr(1)  # 10 digits, no hyphen
B = orgnr(2)


def hyphen(number: str) -> str:
    return f"{number[:6]}-{number[6:]}"


@pytest.fixture
def companies() -> dict[str, Company]:
    return {
        "a": make_company("Alfa Bygg AB", identity=A),
        "b": make_company("Beta Kafé AB", identity=B),
    }


def write(tmp_path: Path, text: str, *, name: str = "besok.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(path: Path, *args: str) -> list[str]:
    out = io.StringIO()
    call_command("import_visits", str(path), *args, stdout=out)
    return out.getvalue().splitlines()


def xlsx(tmp_path: Path, rows: list[list[Any]], name: str = "besok.xlsx") -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_it_imports_org_numbers_with_and_without_hyphen_as_held_imported_visits(
    tmp_path, companies
) -> None:
    path = write(
        tmp_path,
        f"{HEADER}\n{A},2024-03-04,besök,,Ny lokal,\n{hyphen(B)},2024-03-05,Lunch,,,\n",
    )

    lines = run(path)

    assert lines[-1] == "created=2 duplicates=0 rejected=0"
    visits = list(Visit.objects.order_by("date"))
    assert [(v.date, v.kind.key, v.status, v.imported) for v in visits] == [
        (dt.date(2024, 3, 4), "besok", "held", True),
        (dt.date(2024, 3, 5), "lunch", "held", True),
    ]
    assert [list(v.companies.all()) for v in visits] == [[companies["a"]], [companies["b"]]]
    assert visits[0].notes == "Ny lokal"
    assert visits[0].created_by is None


def test_it_reads_swedish_excel_csv_with_bom_and_semicolons(tmp_path, companies) -> None:
    text = (
        "\ufeffORG_NUMBER;Kind;Date;Topics;Notes;Staff\r\n"
        f'{hyphen(A)};Besök;2024-01-10;"upphandling;Bemötande";"Pratade; länge";\r\n'
    )
    path = write(tmp_path, text)

    assert run(path)[-1] == "created=1 duplicates=0 rejected=0"
    visit = Visit.objects.get()
    assert visit.notes == "Pratade; länge"
    assert sorted(visit.feedback.values_list("topic__key", flat=True)) == [
        "bemotande",
        "upphandling",
    ]


def test_it_reads_windows_1252_as_swedish_excel_saves_it(tmp_path, companies) -> None:
    path = write(
        tmp_path,
        f"{HEADER}\n{A};2024-01-10;mässa;;Träffades på mässan \N{EN DASH} bra\n".replace(",", ";"),
        encoding="cp1252",
    )

    assert run(path)[-1] == "created=1 duplicates=0 rejected=0"
    visit = Visit.objects.get()
    assert visit.kind.key == "massa"
    assert visit.notes == "Träffades på mässan \N{EN DASH} bra"


def test_it_reads_xlsx_with_date_cells_and_numeric_org_numbers(tmp_path, companies) -> None:
    path = xlsx(
        tmp_path,
        [
            [None],
            ["Date", "org_number", "KIND", "notes", "topics", "staff", "Kommentar"],
            [dt.datetime(2023, 5, 2), int(A), "telefon", "Ringde", "bredband", None, "x"],
            [None, None, None, None, None, None, None],
            ["2023-05-03", hyphen(B), "Digitalt", 17, None, None, None],
            ["2023-02-30", B, "besök", None, None, None, None],
        ],
    )

    lines = run(path)

    assert lines[-1] == "created=2 duplicates=0 rejected=1"
    assert "Kommentar" in lines[0]
    assert "rad 6: avvisad: datumet 2023-02-30 finns inte" in lines
    assert sorted(Visit.objects.values_list("date", "kind__key", "notes")) == [
        (dt.date(2023, 5, 2), "telefon", "Ringde"),
        (dt.date(2023, 5, 3), "digitalt", "17"),
    ]


def test_it_rejects_each_bad_row_with_its_line_and_reason(tmp_path, companies) -> None:
    unknown = orgnr(777)
    bad_check = A[:-1] + str((int(A[-1]) + 1) % 10)
    path = write(
        tmp_path,
        "\n".join(
            [
                HEADER,
                f"{unknown},2024-01-01,besök,,,",  # 2: not in the register
                f"{bad_check},2024-01-01,besök,,,",  # 3: check digit
                f"{A},2023-02-29,besök,,,",  # 4: impossible date
                f"{A},4/5/2023,besök,,,",  # 5: not ISO
                f"{A},2024-01-01,,,,",  # 6: kind missing
                f"{A},2024-01-01,fika,,,",  # 7: unknown kind
                "",  # 8: blank, not a row
                ",2024-01-01,besök,,,",  # 9: org number missing
                f"{A},,besök,,,",  # 10: date missing
                f"{A},2099-01-01,besök,,,",  # 11: in the future
                f"{A},2024-01-02,besök,,,",  # 12: fine
            ]
        )
        + "\n",
    )

    lines = run(path)

    assert lines[-1] == "created=1 duplicates=0 rejected=9"
    assert lines[:-1] == [
        f"rad 2: avvisad: företaget {hyphen(unknown)} finns inte i registret",
        "rad 3: avvisad: ogiltigt organisationsnummer: "
        "felaktig kontrollsiffra i organisationsnummer",
        "rad 4: avvisad: datumet 2023-02-29 finns inte",
        "rad 5: avvisad: ogiltigt datum «4/5/2023», skriv ÅÅÅÅ-MM-DD",
        "rad 6: avvisad: typ saknas",
        "rad 7: avvisad: okänd typ «fika» "
        "(finns: besök, lunch, telefon, digitalt, mässa, nätverksträff)",
        "rad 9: avvisad: organisationsnummer saknas",
        "rad 10: avvisad: datum saknas",
        "rad 11: avvisad: datumet 2099-01-01 ligger i framtiden; bara genomförda besök importeras",
    ]


def test_a_row_with_several_faults_names_them_all(tmp_path, companies) -> None:
    path = write(tmp_path, f"{HEADER}\n12,2023-13-01,,,,\n")

    assert run(path)[:-1] == [
        "rad 2: avvisad: ogiltigt organisationsnummer: fel antal siffror (2), ska vara 10 "
        "eller 12; datumet 2023-13-01 finns inte; typ saknas"
    ]


def test_duplicates_of_existing_visits_and_within_the_file_are_not_stored(
    tmp_path, companies
) -> None:
    existing = make_visit([companies["a"]], date=dt.date(2024, 2, 1), kind="besok")
    make_visit([companies["b"]], date=dt.date(2024, 2, 1), kind="besok", status="planned")
    path = write(
        tmp_path,
        f"{HEADER}\n"
        f"{hyphen(A)},2024-02-01,Besök,,,\n"  # 2: the existing held visit
        f"{B},2024-02-01,besök,,,\n"  # 3: only a planned visit exists: new
        f"{A},2024-02-01,lunch,,,\n"  # 4: another kind: new
        f"{hyphen(B)},2024-02-01,besok,,,\n"  # 5: same as line 3
        f"{A},2024-02-01,Lunch,,,\n",  # 6: same as line 4
    )

    lines = run(path)

    assert lines == [
        f"rad 2: dubblett: samma företag, datum och typ som besök nr {existing.pk}",
        "rad 5: dubblett: samma företag, datum och typ som rad 3",
        "rad 6: dubblett: samma företag, datum och typ som rad 4",
        "created=2 duplicates=3 rejected=0",
    ]
    assert Visit.objects.count() == 4


def test_running_the_same_file_twice_creates_nothing_the_second_time(tmp_path, companies) -> None:
    path = write(
        tmp_path,
        f"{HEADER}\n{A},2024-01-01,besök,,,upphandling\n{B},2024-01-02,telefon,,,\n"
        f"{A},2024-01-01,besök,,,\nbad,2024-01-01,besök,,,\n",
    )

    assert run(path)[-1] == "created=2 duplicates=1 rejected=1"
    counts = (Visit.objects.count(), Feedback.objects.count(), AuditEntry.objects.count())

    assert run(path)[-1] == "created=0 duplicates=3 rejected=1"
    assert (Visit.objects.count(), Feedback.objects.count(), AuditEntry.objects.count()) == counts


def test_a_missing_required_column_stops_the_import_and_writes_nothing(tmp_path, companies) -> None:
    path = write(tmp_path, f"org_number,datum,kind\n{A},2024-01-01,besök\n")

    with pytest.raises(CommandError, match="saknar kolumnen/kolumnerna date"):
        run(path)
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tom.csv", b"", "Filen är tom"),
        ("tom.csv", b"\n\r\n  \n", "Filen är tom"),
        ("gammal.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "äldre Excel-fil"),
        ("trasig.xlsx", b"PK\x03\x04" + b"\0" * 100, "kunde inte läsas som XLSX"),
        ("inte.xlsx", b"org_number,date,kind\n", "ingen XLSX-fil"),
        ("dubbel.csv", b"kind,date,org_number,Kind\n", "Kolumnen kind finns flera"),
    ],
)
def test_a_file_that_cannot_be_read_writes_nothing(
    tmp_path, companies, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        run(path)
    assert not Visit.objects.exists()


def test_a_missing_file_is_an_error(tmp_path) -> None:
    with pytest.raises(CommandError, match="finns inte"):
        run(tmp_path / "saknas.csv")


def test_a_crash_while_writing_leaves_nothing_half_written(
    tmp_path, companies, monkeypatch
) -> None:
    path = write(tmp_path, f"{HEADER}\n{A},2024-01-01,besök,,,upphandling\n")
    real = import_writes._insert

    def failing(model: Any, fields: Any, rows: Any) -> None:
        if model is Feedback:
            raise RuntimeError("disk full")
        real(model, fields, rows)

    monkeypatch.setattr(import_writes, "_insert", failing)

    with pytest.raises(RuntimeError):
        run(path)
    assert not Visit.objects.exists()
    assert not AuditEntry.objects.filter(subject_type="visits.visit").exists()


def test_sole_traders_are_found_by_personnummer_and_never_shown_unmasked(tmp_path) -> None:
    trader = make_company("Eva Ek Trädgård", identity=pnr(3), identity_kind="pnr")
    stranger = pnr(4)
    path = write(
        tmp_path,
        f"{HEADER}\n{pnr(3)},2024-01-01,besök,,,\n"
        f"{pnr(3)[2:8]}-{pnr(3)[8:]},2024-01-02,besök,,,\n"  # ten digits, as often written
        f"{stranger[:8]}-{stranger[8:]},2024-01-01,besök,,,\n",
    )

    lines = run(path)

    assert lines == [
        f"rad 4: avvisad: företaget {stranger[:8]}-**** finns inte i registret",
        "created=2 duplicates=0 rejected=1",
    ]
    assert stranger[8:] not in "\n".join(lines)
    assert Visit.objects.filter(companies=trader).count() == 2


def test_a_personnummer_in_the_wrong_column_is_masked_too(tmp_path, companies) -> None:
    path = write(
        tmp_path, f"{HEADER}\n{A},2024-01-01,19800101-1234,,,\n{A},198001011234,lunch,,,\n"
    )

    lines = run(path)

    assert lines[:-1] == [
        "rad 2: avvisad: okänd typ «19800101-****» "
        "(finns: besök, lunch, telefon, digitalt, mässa, nätverksträff)",
        "rad 3: avvisad: ogiltigt datum «19800101-****», skriv ÅÅÅÅ-MM-DD",
    ]


def test_a_personnummer_shared_by_two_active_businesses_is_not_guessed(tmp_path) -> None:
    make_company("Eva Ek Trädgård", identity=pnr(5), identity_kind="pnr", name_protection_no=1)
    make_company("Eva Ek Catering", identity=pnr(5), identity_kind="pnr", name_protection_no=2)
    make_company(
        "Olle Ek Smide",
        identity=pnr(6),
        identity_kind="pnr",
        name_protection_no=1,
        status=Company.Status.DEREGISTERED,
        deregistered_on=dt.date(2020, 1, 1),
    )
    active = make_company(
        "Olle Ek Snickeri", identity=pnr(6), identity_kind="pnr", name_protection_no=2
    )
    path = write(
        tmp_path, f"{HEADER}\n{pnr(5)},2024-01-01,besök,,,\n{pnr(6)},2024-01-01,besök,,,\n"
    )

    lines = run(path)

    assert lines == [
        f"rad 2: avvisad: flera företag i registret har nummer {pnr(5)[:8]}-**** "
        "(namnskyddslöpnummer 1, 2); besöket kan inte knytas till ett av dem",
        "created=1 duplicates=0 rejected=1",
    ]
    assert Visit.objects.get().companies.get() == active


def test_staff_are_matched_by_name_or_e_mail_and_the_rest_kept_as_other_participants(
    tmp_path, companies, developer
) -> None:
    retired = user_create(
        email="gammal@example.se", full_name="Greta Gammal", role=User.Role.DEVELOPER
    )
    retired.is_active = False
    retired.save()
    user_create(email="kalle1@example.se", full_name="Kalle Karlsson", role="reader")
    user_create(email="kalle2@example.se", full_name="Kalle Karlsson", role="reader")
    path = write(
        tmp_path,
        f"{HEADER}\n"
        f"{A},2024-01-01,besök,"
        '"nils utvecklare; GAMMAL@example.se;Kalle Karlsson;Pia Politiker",,\n',
    )

    run(path)

    visit = Visit.objects.get()
    assert set(visit.staff.all()) == {developer, retired}
    assert visit.other_participants == "Kalle Karlsson, Pia Politiker"


def test_too_many_unknown_participants_move_to_the_notes(tmp_path, companies) -> None:
    names = ";".join(f"Person {i:03d} Efternamnsson" for i in range(20))
    path = write(tmp_path, f'{HEADER}\n{A},2024-01-01,besök,"{names}",Bra möte,\n')

    run(path)

    visit = Visit.objects.get()
    assert visit.other_participants == ""
    assert visit.notes.startswith("Bra möte\n\nÖvriga deltagare: Person 000 Efternamnsson, ")
    assert "Person 019 Efternamnsson" in visit.notes


def test_topics_become_neutral_feedback_and_unknown_words_go_under_the_fallback_topic(
    tmp_path, companies
) -> None:
    Topic.objects.filter(key="skyltning").update(active=False)  # retired, still matched
    path = write(
        tmp_path,
        f"{HEADER}\n"
        f'{A},2024-01-01,besök,,,"UPPHANDLING; Tillstånd och handläggning;skyltning;'
        f'glasskiosk;upphandling;Vägbelysning"\n',
    )

    run(path)

    items = list(Feedback.objects.order_by("topic__position", "text"))
    assert [(f.topic.key, f.text, f.sentiment) for f in items] == [
        ("upphandling", "", "neutral"),
        ("tillstand", "", "neutral"),
        ("skyltning", "", "neutral"),
        ("ovrigt", "Vägbelysning", "neutral"),
        ("ovrigt", "glasskiosk", "neutral"),
    ]
    assert {f.company_id for f in items} == {companies["a"].pk}


def test_the_fallback_topic_is_made_again_if_the_office_removed_it(tmp_path, companies) -> None:
    Topic.objects.filter(key="ovrigt").delete()
    path = write(tmp_path, f"{HEADER}\n{A},2024-01-01,besök,,,glasskiosk\n")

    run(path)

    assert Feedback.objects.get().topic.key == "ovrigt"


def test_a_quoted_cell_may_span_lines_and_a_broken_quote_costs_one_line(
    tmp_path, companies
) -> None:
    path = write(
        tmp_path,
        f'{HEADER}\n{A},2024-01-01,besök,,"Rad ett\nRad två ""citat""",\n'
        f'{B},2024-01-02,besök,,"aldrig stängd,\n'
        f"{B},2024-01-03,lunch,,,\n",
    )

    lines = run(path)

    assert lines == [
        "rad 4: avvisad: ett citattecken stängs aldrig; raden kunde inte läsas",
        "created=2 duplicates=0 rejected=1",
    ]
    assert Visit.objects.get(date=dt.date(2024, 1, 1)).notes == 'Rad ett\nRad två "citat"'


def test_it_writes_what_visit_create_writes(tmp_path, companies, developer) -> None:
    path = write(
        tmp_path,
        f"{HEADER}\n{A},2024-01-01,besök,Nils Utvecklare;Pia Politiker,Anteckning,bredband\n",
    )
    visits_import_path(path, actor=developer)
    imported = Visit.objects.get()
    made = visit_create(
        data=VisitData(
            companies=[companies["a"]],
            date=dt.date(2024, 1, 1),
            kind=VisitKind.objects.get(key="besok"),
            staff=[developer],
            other_participants="Pia Politiker",
            notes="Anteckning",
            feedback=[
                FeedbackData(topic=Topic.objects.get(key="bredband"), company=companies["a"])
            ],
        ),
        actor=developer,
        via=f"import {path.name}",
        imported=True,
    )

    def fields(visit: Visit) -> dict[str, Any]:
        return {
            "row": {
                f.name: getattr(visit, f.attname)
                for f in Visit._meta.concrete_fields
                if f.name not in {"id", "created_at", "updated_at"}
            },
            "companies": list(visit.companies.all()),
            "staff": list(visit.staff.all()),
            "feedback": list(
                visit.feedback.values("company", "topic", "sentiment", "text", "area", "activity")
            ),
            "audit": list(
                AuditEntry.objects.filter(
                    subject_type="visits.visit", subject_id=str(visit.pk)
                ).values(
                    "action", "actor", "via", "subject_repr", "parent_type", "parent_id", "changes"
                )
            ),
        }

    assert fields(imported) == fields(made)
    assert imported.created_at is not None and imported.feedback.get().created_at is not None


def test_the_queries_do_not_grow_with_the_rows(tmp_path, companies) -> None:
    def queries(rows: int) -> int:
        Visit.objects.all().delete()
        lines = [HEADER] + [
            f"{A if i % 2 else B},{dt.date(2020, 1, 1) + dt.timedelta(days=i)},besök,,,upphandling"
            for i in range(rows)
        ]
        path = write(tmp_path, "\n".join(lines))
        with CaptureQueriesContext(connection) as captured:
            report = visits_import_path(path)
        assert report.created == rows
        return len(captured)

    assert queries(5) == queries(300)


def test_the_report_counts_every_data_row(tmp_path, companies) -> None:
    path = write(
        tmp_path, f"{HEADER}\n{A},2024-01-01,besök,,,\n\n{A},2024-01-01,besök,,,\nx,,,,,\n"
    )

    report = visits_import_path(path)

    assert report.rows == 3
    assert report.created + len(report.duplicates) + len(report.rejected) == report.rows
    assert report.summary_line == "created=1 duplicates=1 rejected=1"


def test_the_user_option_records_who_imported(tmp_path, companies, developer) -> None:
    path = write(tmp_path, f"{HEADER}\n{A},2024-01-01,besök,,,\n")

    run(path, "--user", developer.email.upper())

    assert Visit.objects.get().created_by == developer
    with pytest.raises(CommandError, match="ingen användare"):
        run(path, "--user", "nobody@example.se")


def test_quiet_rows_prints_only_the_summary(tmp_path, companies) -> None:
    path = write(tmp_path, f"{HEADER}\nbad,2024-01-01,besök,,,\n")

    assert run(path, "--quiet-rows") == ["created=0 duplicates=0 rejected=1"]


def test_the_service_refuses_unreadable_input_with_its_own_error(tmp_path) -> None:
    path = write(tmp_path, "")
    with pytest.raises(VisitImportError):
        visits_import_path(path)

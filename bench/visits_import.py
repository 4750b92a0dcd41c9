"""Benchmark the import of historic visit logs: ``bench/visits_import.py N [--db sqlite|postgres]``.

Builds its own database (a temp SQLite file, or PostgreSQL ``brygga_bench_visits``),
migrates it, fills it with ``--companies`` companies (valid org numbers) and a few
staff users, and writes a deterministic visit log of N rows as CSV (semicolons, UTF-8
with BOM, as Swedish Excel writes it) and as XLSX: staff by name and e-mail (some
unknown), notes, 0-3 topics (some unknown words), and about 1 % each of bad org
numbers, companies not in the register, impossible dates and repeated rows.

It then runs ``manage.py import_visits`` in a subprocess, as an operator would:

* the CSV into the empty visit log (first import),
* the same CSV again (re-import: everything is a duplicate, nothing is written),
* the XLSX into an emptied visit log,

and reports seconds, rows/s and the peak memory (max RSS) of each run. Baselines
measured in the same run: parsing the same CSV with a bare ``csv.reader``, reading
the same XLSX with openpyxl in read-only mode (the floors for reading the files),
and ``visit_create`` called once per row on a sample (what a row-by-row import through
the service would cost, extrapolated to N).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
PG_DB = "brygga_bench_visits_import"
KINDS = ["besök", "Besök", "lunch", "telefon", "digitalt", "mässa", "nätverksträff", "besok"]
TOPICS = ["upphandling", "bemötande", "Bredband", "tillstand", "parkering", "skyltning"]
UNKNOWN_TOPICS = ["glasskiosk", "vägbelysning"]
STAFF = [("Ulla Utvecklare", "ulla@bench.invalid"), ("Bo Bygg", "bo@bench.invalid")]
NOTES = [
    "Visade nya lokalen; vill växa med två anställda.",
    "Frågade om bygglov för skylt.",
    "Lunch med ledningsgruppen.",
    "",
]


def luhn_complete(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return nine + str((10 - total % 10) % 10)


def org_number(i: int) -> str:
    return luhn_complete(f"55{i:07d}")


def setup_database(db: str, var_dir: Path) -> dict[str, str]:
    env = {"DEBUG": "true", "LOG_LEVEL": "WARNING", "BRYGGA_VAR_DIR": str(var_dir)}
    if db == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{var_dir / 'bench.sqlite3'}"
    else:
        import psycopg

        base = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        env["DATABASE_URL"] = f"{base}/{PG_DB}"
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "brygga.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return {**os.environ, **env}


def fill(companies: int) -> None:
    from brygga.accounts.models import User
    from brygga.accounts.services import user_create
    from brygga.register.models import Company

    Company.objects.bulk_create(
        (Company(identity=org_number(i), name=f"Bänkföretag {i} AB") for i in range(companies)),
        batch_size=2000,
    )
    for name, email in STAFF:
        user_create(email=email, full_name=name, role=User.Role.DEVELOPER, password=None)


def rows(n: int, companies: int) -> list[list[str]]:
    rng = random.Random(20261123)
    start = dt.date(2015, 1, 1)
    out: list[list[str]] = []
    for _ in range(n):
        roll = rng.random()
        if out and roll < 0.01:
            out.append(list(rng.choice(out)))  # a repeated row
            continue
        number = org_number(rng.randrange(companies))
        if roll < 0.02:
            number = number[:-1] + str((int(number[-1]) + 1) % 10)  # bad check digit
        elif roll < 0.03:
            number = org_number(companies + rng.randrange(1000))  # not in the register
        if rng.random() < 0.5:
            number = f"{number[:6]}-{number[6:]}"
        date = (start + dt.timedelta(days=rng.randrange(3900))).isoformat()
        if 0.03 <= roll < 0.04:
            date = f"{date[:8]}31" if date[5:7] in {"02", "04", "06"} else "2019-13-01"
        staff = ";".join(
            rng.choice([STAFF[0][0], STAFF[1][1], "Okänd Tjänsteperson"])
            for _ in range(rng.randint(0, 2))
        )
        topics = ";".join(
            rng.choice(TOPICS if rng.random() < 0.9 else UNKNOWN_TOPICS)
            for _ in range(rng.randint(0, 3))
        )
        out.append([number, date, rng.choice(KINDS), staff, rng.choice(NOTES), topics])
    return out


HEADER = ["org_number", "date", "kind", "staff", "notes", "topics"]


def write_csv(path: Path, data: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(data)


def write_xlsx(path: Path, data: list[list[str]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in data:
        sheet.append(row)
    book.save(path)


def run_import(env: dict[str, str], path: Path) -> tuple[float, int, str]:
    """Seconds, peak RSS in kB and the summary line of one import in a subprocess."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [PYTHON, "manage.py", "import_visits", "--quiet-rows", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    if status != 0:
        raise SystemExit(f"import failed:\n{out}\n{err}")
    return elapsed, usage.ru_maxrss, out.strip().splitlines()[-1]


def empty_visit_log() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        for table in (
            "visits_feedback",
            "visits_visit_staff",
            "visits_visitcompany",
            "visits_visit",
        ):
            cur.execute(f"DELETE FROM {table}")
        cur.execute("DELETE FROM core_auditentry WHERE subject_type = 'visits.visit'")


def baseline_csv(path: Path) -> float:
    start = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as f:
        count = sum(1 for _row in csv.reader(f, delimiter=";"))
    assert count > 0
    return time.perf_counter() - start


def baseline_xlsx(path: Path) -> float:
    from openpyxl import load_workbook

    start = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _row in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert count > 0
    return time.perf_counter() - start


def per_row_service(sample: int, companies: int) -> float:
    """Seconds per visit for ``visit_create`` (one transaction, rolled back)."""
    from django.db import transaction

    from brygga.register.models import Company
    from brygga.visits.models import Topic, VisitKind
    from brygga.visits.services.visits import FeedbackData, VisitData, visit_create

    kind = VisitKind.objects.get(key="besok")
    topic = Topic.objects.get(key="upphandling")
    chosen = list(Company.objects.order_by("pk")[: min(sample, companies)])
    start = time.perf_counter()
    with transaction.atomic():
        for i, company in enumerate(chosen):
            visit_create(
                data=VisitData(
                    companies=[company],
                    date=dt.date(2016, 1, 1) + dt.timedelta(days=i % 3000),
                    kind=kind,
                    notes="Lunch med ledningsgruppen.",
                    feedback=[FeedbackData(topic=topic, company=company)],
                ),
                via="bench",
            )
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed / len(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--companies", type=int, default=20_000)
    parser.add_argument("--service-sample", type=int, default=1_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="brygga-bench-visits-") as tmp:
        tmpdir = Path(tmp)
        env = setup_database(args.db, tmpdir)
        fill(args.companies)
        data = rows(args.n, args.companies)
        csv_path, xlsx_path = tmpdir / "besok.csv", tmpdir / "besok.xlsx"
        write_csv(csv_path, data)
        write_xlsx(xlsx_path, data)
        print(
            f"{args.n:,} rows: CSV {csv_path.stat().st_size / 1e6:.1f} MB, "
            f"XLSX {xlsx_path.stat().st_size / 1e6:.1f} MB; {args.companies:,} companies",
            file=sys.stderr,
        )
        first = run_import(env, csv_path)
        again = run_import(env, csv_path)
        empty_visit_log()
        xlsx = run_import(env, xlsx_path)
        csv_floor = baseline_csv(csv_path)
        xlsx_floor = baseline_xlsx(xlsx_path)
        per_row = per_row_service(args.service_sample, args.companies)

    n = args.n
    print(f"\nvisits_import N={n:,} db={args.db} companies={args.companies:,}")
    print(f"{'run':<34}{'seconds':>9}{'rows/s':>10}{'peak MB':>9}{'x floor':>9}")
    for label, (secs, rss, _summary), floor in (
        ("import_visits CSV, first", first, csv_floor),
        ("import_visits CSV, re-import", again, csv_floor),
        ("import_visits XLSX, first", xlsx, xlsx_floor),
    ):
        print(f"{label:<34}{secs:>9.1f}{n / secs:>10,.0f}{rss / 1024:>9.0f}{secs / floor:>9.1f}")
    print(f"{'floor: csv.reader, same CSV':<34}{csv_floor:>9.2f}{n / csv_floor:>10,.0f}")
    print(f"{'floor: openpyxl read-only, XLSX':<34}{xlsx_floor:>9.2f}{n / xlsx_floor:>10,.0f}")
    est = per_row * n
    print(
        f"{'visit_create per row (est. for N)':<34}{est:>9.1f}{n / est:>10,.0f}"
        f"{'':>9}{est / first[0]:>8.1f}x (vs first CSV import; {per_row * 1000:.2f} ms/row)"
    )
    print(f"first:     {first[2]}\nre-import: {again[2]}\nxlsx:      {xlsx[2]}")


if __name__ == "__main__":
    main()

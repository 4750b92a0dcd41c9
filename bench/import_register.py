"""Benchmark the Bolagsverket import: ``bench/import_register.py N [--db sqlite|postgres]``.

Generates a deterministic Bolagsverket-format file of N rows (valid org numbers
by Luhn, some sole traders, other names, deregistrations), imports it twice into
a fresh database (first import, then the unchanged file again) with
``manage.py import_companies`` in a subprocess, and reports rows/s and the peak
memory of each run (the process tree with its parser workers: sampled PSS, or
the largest process's peak RSS if higher). The floor is the same rows written by
a bare ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) into an unindexed table.
"""

from __future__ import annotations

import argparse
import csv
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "brygga_bench"
HEADER = (
    '"organisationsidentitet";"namnskyddslopnummer";"registreringsland";"organisationsnamn";'
    '"organisationsform";"avregistreringsdatum";"avregistreringsorsak";'
    '"pagandeAvvecklingsEllerOmstruktureringsforfarande";"registreringsdatum";'
    '"verksamhetsbeskrivning";"postadress"'
)
TOWNS = [
    ("STRÄNGNÄS", "64530"),
    ("MARIEFRED", "64730"),
    ("ÅKERS STYCKEBRUK", "64760"),
    ("STALLARHOLMEN", "64791"),
    ("STOCKHOLM", "11122"),
    ("GÖTEBORG", "41101"),
]
TRADES = ["Bygg", "Konsult", "Café", "Redovisning", "Snickeri", "Transport", "Frisör", "Data"]


def luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def org_number(i: int) -> str:
    base = f"55{6000000 + i:07d}"
    return base + luhn_digit(base)


def person_number(i: int) -> str:
    j = i // 50  # unique per sole trader, spread over dates and serials
    year = 1930 + j % 70
    month = 1 + (j // 70) % 12
    day = 1 + (j // 840) % 28
    serial = f"{(j // 23520) % 1000:03d}"
    short = f"{year % 100:02d}{month:02d}{day:02d}{serial}"
    return f"{year // 100}{short}{luhn_digit(short)}"


def q(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def generate(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\r\n")
        for i in range(n):
            trade = TRADES[i % len(TRADES)]
            town, postcode = TOWNS[i % len(TOWNS)]
            if i % 50 == 7:
                identity, protection, form = (
                    f"{person_number(i)}$PERSON-IDORG",
                    str(1 + i % 3),
                    "E-ORGFO",
                )
                name = f"{trade} Enskild {i}"
            else:
                identity, protection, form = f"{org_number(i)}$ORGNR-IDORG", "", "AB-ORGFO"
                name = f'{trade} "Nr {i}" AB' if i % 97 == 0 else f"{trade} {i} AB"
            names = f"{name}$FORETAGSNAMN-ORGNAM$2015-03-0{1 + i % 9}"
            if i % 10 == 0:
                names += f"|{trade} {i} Ltd$ANNATSPRAK-ORGNAM$2016-01-01"
            dereg = f"2024-0{1 + i % 9}-15" if i % 20 == 3 else ""
            fields = [
                identity,
                protection,
                "SE-LAND",
                names,
                form,
                dereg,
                "AKEJH-AVORS" if dereg else "",
                "",
                f"20{10 + i % 14}-0{1 + i % 9}-1{i % 10}",
                f"{trade}verksamhet och därmed förenlig verksamhet",
                f"Storgatan {1 + i % 99}$$" + f"{town}${postcode}$SE-LAND",
            ]
            # Distinct keys: sole traders get a löpnummer on top of a unique personnummer index.
            out.write(";".join(q(f) for f in fields) + "\r\n")


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux /proc)."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(c) for c in children)
    return pids


def _tree_pss_kb(pid: int) -> int:
    """Proportional set size of a process tree: shared pages counted once in all."""
    total = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total


class TreeMemory(threading.Thread):
    """Samples the import's process tree (parser workers included) every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            self.peak_kb = max(self.peak_kb, _tree_pss_kb(self.pid))


def run_import(env: dict[str, str], path: Path) -> tuple[float, int, str]:
    """Seconds, peak memory of the process tree in kB (the larger of the sampled sum
    of PSS and the biggest single process' peak RSS), and the summary line of one
    import in a subprocess."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [
            PYTHON,
            "manage.py",
            "import_companies",
            "--format",
            "bolagsverket",
            "--no-progress",
            str(path),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler = TreeMemory(proc.pid)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    if status != 0:
        raise SystemExit(f"import failed:\n{out}\n{err}")
    return elapsed, max(usage.ru_maxrss, sampler.peak_kb), out.strip().splitlines()[-1]


def floor_sqlite(path: Path, db: Path) -> float:
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE floor (" + ", ".join(f"c{i} TEXT" for i in range(11)) + ")")
    start = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter=";")
        next(reader)
        con.executemany("INSERT INTO floor VALUES (" + ",".join("?" * 11) + ")", reader)
    con.commit()
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def floor_postgres(path: Path) -> float:
    import psycopg

    with psycopg.connect(bench_url(), autocommit=True) as con:
        con.execute("DROP TABLE IF EXISTS floor")
        con.execute(
            "CREATE UNLOGGED TABLE floor (" + ", ".join(f"c{i} text" for i in range(11)) + ")"
        )
        start = time.perf_counter()
        with con.cursor() as cur, path.open("rb") as f:
            f.readline()
            with cur.copy("COPY floor FROM STDIN (FORMAT csv, DELIMITER ';', QUOTE '\"')") as copy:
                while chunk := f.read(1 << 20):
                    copy.write(chunk)
        elapsed = time.perf_counter() - start
        con.execute("DROP TABLE floor")
    return elapsed


def bench_url() -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_BENCH_DB


def fresh_postgres() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
        con.execute(f"CREATE DATABASE {PG_BENCH_DB}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="brygga-bench-") as tmp:
        tmpdir = Path(tmp)
        data = tmpdir / "bolagsverket.txt"
        t0 = time.perf_counter()
        generate(data, args.n)
        print(
            f"generated {args.n:,} rows ({data.stat().st_size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - t0:.1f} s",
            file=sys.stderr,
        )
        env = dict(os.environ)
        env["DJANGO_SETTINGS_MODULE"] = "brygga.settings"
        env.setdefault("DEBUG", "True")
        env["MEDIA_ROOT"] = str(tmpdir / "media")
        if args.db == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{tmpdir / 'bench.sqlite3'}"
        else:
            fresh_postgres()
            env["DATABASE_URL"] = bench_url()
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "-v0", "--skip-checks"], cwd=ROOT, env=env, check=True
        )

        first = run_import(env, data)
        second = run_import(env, data)
        floor = (
            floor_sqlite(data, tmpdir / "floor.sqlite3")
            if args.db == "sqlite"
            else floor_postgres(data)
        )

    n = args.n
    print(f"\nimport_register N={n:,} db={args.db}")
    print(f"{'run':<12}{'seconds':>10}{'rows/s':>12}{'peak MB':>14}{'x floor':>10}")
    for label, (secs, rss, _summary) in (("first", first), ("re-import", second)):
        print(f"{label:<12}{secs:>10.1f}{n / secs:>12,.0f}{rss / 1024:>14.0f}{secs / floor:>10.1f}")
    print(f"{'floor':<12}{floor:>10.1f}{n / floor:>12,.0f}{'':>14}{1.0:>10.1f}")
    print(f"first:     {first[2]}\nre-import: {second[2]}")


if __name__ == "__main__":
    main()

"""`make bench`: run every benchmark at the sizes the targets name.

Each script builds its own database, measures Brygga's path and a floor/baseline
in the same run, and prints a table; copy the tables into bench/RESULTS.md with
the machine and the date. Set BENCH_QUICK=1 for a fast smoke run at small sizes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
QUICK = os.environ.get("BENCH_QUICK") == "1"


def postgres_available() -> bool:
    if not shutil.which("pg_isready"):
        return False
    probe = ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]
    return subprocess.run(probe, check=False).returncode == 0


def run(*args: str) -> int:
    print(f"\n$ {' '.join(args)}", flush=True)
    return subprocess.run([PY, *args], cwd=HERE.parent, check=False).returncode


def main() -> int:
    sqlite_n = "20000" if QUICK else "300000"
    pg_n = "50000" if QUICK else "1800000"
    failures = 0
    subscribers = "2000" if QUICK else "10000"
    import_n = "5000" if QUICK else "50000"
    failures += run("bench/import_register.py", sqlite_n, "--db", "sqlite") != 0
    failures += run("bench/search_register.py", sqlite_n, "--db", "sqlite") != 0
    failures += run("bench/public_pages.py", "--db", "sqlite") != 0
    failures += run("bench/fanout.py", subscribers, "--db", "sqlite") != 0
    visits = ["--visits", "6000" if QUICK else "80000"]
    failures += run("bench/visits_coverage.py", sqlite_n, *visits, "--db", "sqlite") != 0
    failures += run("bench/visits_import.py", import_n, "--db", "sqlite") != 0
    if postgres_available():
        failures += run("bench/import_register.py", pg_n, "--db", "postgres") != 0
        failures += run("bench/search_register.py", pg_n, "--db", "postgres") != 0
        failures += run("bench/public_pages.py", "--db", "postgres") != 0
        failures += run("bench/fanout.py", subscribers, "--db", "postgres") != 0
        visits = ["--visits", "15000" if QUICK else "500000"]
        failures += run("bench/visits_coverage.py", pg_n, *visits, "--db", "postgres") != 0
        failures += run("bench/visits_import.py", import_n, "--db", "postgres") != 0
        # Meetings: invitations through the outbox to aiosmtpd, and registrations at once.
        failures += run("bench/events_invitations.py", subscribers) != 0
        failures += run("bench/events_registrations.py", "--processes", "2") != 0
    else:
        print("\nPostgreSQL is not reachable on 127.0.0.1:5432; its benchmarks were not run.")
        failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

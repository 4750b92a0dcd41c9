"""Visit coverage, representativeness and suggestions: Brygga's selectors against naive Python.

    python bench/visits_coverage.py 1800000 --visits 500000 --db postgres
    python bench/visits_coverage.py 300000 --visits 80000 --db sqlite

Builds its own database (a temp SQLite file, or PostgreSQL ``brygga_bench_visits``),
migrates it and fills it by SQL alone (bench/visits_data.py: INSERT … SELECT over a
number series, every value a deterministic hash of the row number, so both databases
get the same data): N companies with valid org numbers, skewed postal towns, SCB
size classes, dates over decades, one in ten deregistered, primary SNI 2007 codes
skewed over the sections (some with none, a secondary code, or only an SNI 2025
code), and V visits over 2016-2025 (mostly held, one company each, some two or
three), skewed towards some sections so that representativeness is clearly below 1.

For the busiest year it times ``visit_coverage(year)`` and ``visit_suggestions(year,
20)`` (one warm-up, then median and p95) in three cases: *cold* (the cache cleared:
every count computed), *after a visit* (the visits' data version changed: the
population is cached, the visited companies are counted again) and *warm* (every
count cached, as after the worker's count). The cache is Redis (a database of its
own, ``BENCH_REDIS``) where Redis runs, as in production. A naive baseline: the same rows
fetched into Python with plain cursors and the figures computed with loops and
dicts. The two must agree to the last number (the script fails if not); the
suggestions are checked to be active, not visited in the 24 months before the
31 December of that year, and to raise representativeness. It prints the plans
(EXPLAIN ANALYZE, BUFFERS on PostgreSQL) of the queries the selectors run.
Targets (PostgreSQL, 1,800,000 companies, 500,000 visits): coverage < 500 ms,
suggestions < 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUICK = os.environ.get("BENCH_QUICK") == "1"
PG_DB = "brygga_bench_visits"


def bench_redis() -> str:
    url = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        return ""
    return url


def setup_database(db: str, *, reuse: bool) -> None:
    # A cache of its own, which the bench clears between runs: a Redis database of
    # its own where Redis runs (as in production), else files in a temp directory.
    os.environ["BRYGGA_VAR_DIR"] = tempfile.mkdtemp(prefix="brygga-bench-visits-")
    os.environ["REDIS_URL"] = bench_redis()
    if db == "sqlite":
        path = Path(tempfile.gettempdir()) / "brygga_bench_visits.sqlite3"
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        import psycopg

        base = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [PG_DB]
            ).fetchone()
            if not (reuse and exists):
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {PG_DB}")
        os.environ["DATABASE_URL"] = f"{base}/{PG_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brygga.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def as_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def load_rows() -> dict[str, list[tuple[Any, ...]]]:
    """What a naive implementation reads: every company, SNI code, visit and link."""
    from django.db import connection

    queries = {
        "companies": "SELECT id, registered_on, deregistered_on, status, postal_town, size_class "
        "FROM register_company",
        "sni": "SELECT company_id, system, code, position FROM register_snicode",
        "visits": "SELECT id, date, status FROM visits_visit",
        "links": "SELECT visit_id, company_id FROM visits_visitcompany",
        "targets": "SELECT year, visits FROM visits_visittarget",
    }
    rows = {}
    with connection.cursor() as cur:
        for key, sql in queries.items():
            cur.execute(sql)
            rows[key] = cur.fetchall()
    return rows


def active_companies(
    rows: dict[str, list[tuple[Any, ...]]], year: int
) -> dict[int, tuple[str, str, str]]:
    """Company id -> (SNI section, locality, size class) of the companies active at the
    end of ``year``."""
    from brygga.register.sni import section_of

    last = dt.date(year, 12, 31)
    letters: dict[str, str] = {}
    primary: dict[int, str] = {}
    for company_id, system, code, position in rows["sni"]:
        if system == "sni2007" and position == 0:
            if code not in letters:
                section = section_of(code)
                letters[code] = section.letter if section else "?"
            primary[company_id] = letters[code]
    active: dict[int, tuple[str, str, str]] = {}
    for cid, registered, deregistered, status, town, size in rows["companies"]:
        registered, deregistered = as_date(registered), as_date(deregistered)
        if registered is not None and registered > last:
            continue
        if deregistered is not None and deregistered <= last:
            continue
        if deregistered is None and status == "deregistered":
            continue
        active[cid] = (primary.get(cid, "?"), town.strip() or "?", size.strip() or "?")
    return active


def naive(rows: dict[str, list[tuple[Any, ...]]], year: int) -> dict[str, Any]:
    """Section 3 of issue 4 with loops and dicts over the loaded rows."""
    active = active_companies(rows, year)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    held = {
        vid
        for vid, day, status in rows["visits"]
        if status == "held" and first <= as_date(day) <= last
    }
    visited = {cid for vid, cid in rows["links"] if vid in held and cid in active}
    out: dict[str, Any] = {
        "year": year,
        "target": dict(rows["targets"]).get(year),
        "visits": len(held),
        "companies_visited": len(visited),
        "active_companies": len(active),
        "coverage": len(visited) / len(active) if active else None,
    }
    for k, key in enumerate(("by_sni_section", "by_locality", "by_size_class")):
        companies = Counter(attrs[k] for attrs in active.values())
        seen = Counter(active[cid][k] for cid in visited)
        out[key] = {g: (companies[g], seen[g]) for g in companies}
    out["representativeness"] = representativeness(out["by_sni_section"])
    return out


def representativeness(groups: dict[str, tuple[int, int]]) -> float | None:
    total_c = sum(c for c, _ in groups.values())
    total_v = sum(v for _, v in groups.values())
    if not total_c or not total_v:
        return None
    return 1 - 0.5 * sum(abs(v / total_v - c / total_c) for c, v in groups.values())


def from_coverage(cov: Any) -> dict[str, Any]:
    out = {k: getattr(cov, k) for k in ("year", "target", "visits", "companies_visited")}
    out |= {k: getattr(cov, k) for k in ("active_companies", "coverage", "representativeness")}
    for key in ("by_sni_section", "by_locality", "by_size_class"):
        out[key] = {
            g.key: (g.companies, g.visited) for g in getattr(cov, key) if g.companies or g.visited
        }
    return out


def differences(ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    wrong = []
    for key, mine in theirs.items():
        got = ours[key]
        if isinstance(mine, float) and isinstance(got, float):
            same = math.isclose(mine, got, rel_tol=1e-9, abs_tol=1e-12)
        else:
            same = mine == got
        if not same:
            if isinstance(mine, dict):
                keys = sorted(set(mine) | set(got), key=str)
                detail = [
                    f"{g}: selector {got.get(g)} naive {mine.get(g)}"
                    for g in keys
                    if got.get(g) != mine.get(g)
                ]
                wrong.append(f"{key}: " + "; ".join(detail[:8]))
            else:
                wrong.append(f"{key}: selector {got!r} naive {mine!r}")
    return wrong


def check_suggestions(
    suggestions: list[Any], rows: dict[str, Any], year: int, n: int, today: dt.date
) -> tuple[list[str], float, float]:
    """Problems with the suggestions, and representativeness before and after a visit
    to each of them."""
    figures = naive(rows, year)
    active = active_companies(rows, year)
    held_on = {vid: as_date(day) for vid, day, status in rows["visits"] if status == "held"}
    last_held: dict[int, dt.date] = {}
    for vid, cid in rows["links"]:
        day = held_on.get(vid)
        if day is not None and day <= today and day > last_held.get(cid, dt.date.min):
            last_held[cid] = day
    cutoff = dt.date(today.year - 2, today.month, min(today.day, 28 if today.month == 2 else 31))
    problems = []
    if len(suggestions) != n:
        problems.append(f"{len(suggestions)} suggestions, not {n}")
    if len({s.company_id for s in suggestions}) != len(suggestions):
        problems.append("a company is suggested twice")
    groups = dict(figures["by_sni_section"])
    for s in suggestions:
        if s.company_id not in active:
            problems.append(f"company {s.company_id} is not active in {year}")
            continue
        section = active[s.company_id][0]
        if last_held.get(s.company_id, dt.date.min) > cutoff:
            problems.append(f"company {s.company_id} was visited {last_held[s.company_id]}")
        if s.section != section:
            problems.append(f"company {s.company_id}: section {s.section}, naive {section}")
        c, v = groups[section]
        groups[section] = (c, v + 1)
    before = figures["representativeness"] or 0.0
    after = representativeness(groups) or 0.0
    if after <= before:
        problems.append(f"representativeness does not rise ({before:.6f} -> {after:.6f})")
    return problems, before, after


def measure(run: Callable[[], Any], runs: int, warm_up: int = 1) -> tuple[list[float], Any]:
    for _ in range(warm_up):
        run()
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times), result


def p95(times: list[float]) -> float:
    return times[max(0, math.ceil(len(times) * 0.95) - 1)]


def captured(run: Callable[[], Any]) -> list[tuple[str, Any, float]]:
    """The queries ``run`` sends, with their parameters and milliseconds."""
    from django.db import connection

    queries: list[tuple[str, Any, float]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if not many:
                queries.append((sql, params, (time.perf_counter() - started) * 1000))

    with connection.execute_wrapper(wrapper):
        run()
    return queries


def explain(label: str, queries: list[tuple[str, Any, float]], min_ms: float) -> None:
    """Print each query's time, and the plan of those taking ``min_ms`` or more."""
    from django.db import connection

    pg = connection.vendor == "postgresql"
    total = sum(ms for *_, ms in queries)
    print(f"\n== {label}: {len(queries)} queries, {total:.1f} ms in the database")
    for sql, _params, ms in queries:
        print(f"-- {ms:8.1f} ms  {' '.join(sql.split())[:160]}")
    for sql, params, ms in queries:
        if ms < min_ms or not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        shown = sql if len(sql) <= 2000 else f"{sql[:2000]} … ({len(sql):,} characters)"
        values = repr(params)
        values = values if len(values) <= 300 else f"{values[:300]} … ({len(params)} values)"
        print(f"\n-- {ms:.1f} ms, params {values}\n{shown}")
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if pg else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cur:
            cur.execute(prefix + sql, params)
            for row in cur.fetchall():
                print(row[0] if pg else f"{'  ' * (row[1] > 0)}{row[3]}")


def busiest_year() -> int:
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from brygga.visits.models import Visit

    years = (
        Visit.objects.filter(status="held")
        .annotate(y=ExtractYear("date"))
        .values("y")
        .annotate(n=Count("id"))
        .order_by("-n", "y")
    )
    return int(years[0]["y"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=50_000 if QUICK else 1_800_000)
    parser.add_argument("--visits", type=int, default=15_000 if QUICK else 500_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--year", type=int, help="default: the year with the most held visits")
    parser.add_argument("--runs", type=int, default=10, help="timed runs of visit_coverage")
    parser.add_argument("--suggestion-runs", type=int, default=5)
    parser.add_argument("--naive-runs", type=int, default=3)
    parser.add_argument("--suggestions", type=int, default=20, help="N of visit_suggestions")
    parser.add_argument("--explain-ms", type=float, default=5.0, help="plans of queries this slow")
    parser.add_argument("--reuse", action="store_true", help="keep an earlier run's database")
    args = parser.parse_args()
    setup_database(args.db, reuse=args.reuse)
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from visits_data import fill

    from brygga.core.versions import data_changed
    from brygga.insights.selectors import visit_coverage
    from brygga.insights.suggestions import visit_suggestions
    from brygga.register.models import Company
    from brygga.visits.models import Visit
    from brygga.visits.versions import VISITS_VERSION

    if args.reuse and Company.objects.count() == args.n and Visit.objects.count() == args.visits:
        fill_times: dict[str, float] = {}
    else:
        with connection.cursor() as cur:
            for table in ("visits_visitcompany", "visits_visit", "visits_visittarget"):
                cur.execute(f"DELETE FROM {table}")
            cur.execute("DELETE FROM register_snicode")
            cur.execute("DELETE FROM register_company")
        fill_times = fill(args.n, args.visits)
    year = args.year or busiest_year()
    today = dt.date(year, 12, 31)

    # The bench times the readers; the worker's count after a change is not wanted here.
    data_changed.disconnect(dispatch_uid="insights.warm")

    def cold() -> None:
        cache.clear()  # nothing counted: the first reader after a register change or import

    def visit_logged() -> None:
        VISITS_VERSION.changed()  # the population stays counted; the visited are counted again

    def warm() -> None:
        pass  # every count cached: the readers after the worker has counted

    scenarios = (("cold", cold), ("after a visit", visit_logged), ("warm", warm))

    def timed(call: Callable[[], Any], before: Callable[[], None], runs: int) -> Any:
        def run() -> Any:
            before()
            return call()

        return measure(run, runs)

    def coverage() -> Any:
        return visit_coverage(year)

    def suggestions() -> Any:
        return visit_suggestions(year, args.suggestions, today=today)

    load_before = os.getloadavg()[0]
    cov_times: dict[str, list[float]] = {}
    sug_times: dict[str, list[float]] = {}
    for name, before_each in scenarios:
        cov_times[name], cov = timed(coverage, before_each, args.runs)
    for name, before_each in scenarios:
        sug_times[name], sug = timed(suggestions, before_each, args.suggestion_runs)
    load_ms, compute_ms, naive_ms = [], [], []
    for _ in range(args.naive_runs):
        started = time.perf_counter()
        rows = load_rows()
        loaded = time.perf_counter()
        figures = naive(rows, year)
        done = time.perf_counter()
        load_ms.append((loaded - started) * 1000)
        compute_ms.append((done - loaded) * 1000)
        naive_ms.append((done - started) * 1000)

    load_after = os.getloadavg()[0]
    wrong = differences(from_coverage(cov), figures)
    problems, before, after = check_suggestions(sug, rows, year, args.suggestions, today)
    cold()
    explain(f"visit_coverage({year}), cold", captured(coverage), args.explain_ms)
    cold()
    explain(
        f"visit_suggestions({year}, {args.suggestions}, today={today}), cold",
        captured(suggestions),
        args.explain_ms,
    )
    explain(
        f"visit_suggestions({year}, {args.suggestions}, today={today}), warm",
        captured(suggestions),
        args.explain_ms,
    )

    links = len(rows["links"])
    print(
        f"\nvisits_coverage: {args.n:,} companies, {args.visits:,} visits "
        f"({links:,} visit-company links) on {args.db}"
    )
    if fill_times:
        steps = ", ".join(f"{k} {s:.1f}" for k, s in fill_times.items())
        print(f"filled in {sum(fill_times.values()):.1f} s ({steps})")
    print(
        f"year {year}: {cov.active_companies:,} active, {cov.companies_visited:,} visited "
        f"(coverage {100 * (cov.coverage or 0):.2f} %), {cov.visits:,} held visits, "
        f"representativeness {cov.representativeness:.4f}"
    )
    print(f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}")
    print(
        f"{os.cpu_count()} CPUs; load average {load_before:.1f} before the timed runs, "
        f"{load_after:.1f} after"
    )
    print(f"{'(ms)':44}{'runs':>5}{'median':>10}{'p95':>10}{'max':>10}   target")
    pg = args.db == "postgres"
    rows_out: list[tuple[str, list[float], float | None]] = []
    for name, _before in scenarios:
        rows_out.append((f"visit_coverage({year}), {name}", cov_times[name], 500.0 if pg else None))
    for name, _before in scenarios:
        rows_out.append(
            (
                f"visit_suggestions({year}, {args.suggestions}), {name}",
                sug_times[name],
                2000.0 if pg else None,
            )
        )
    rows_out += [
        ("naive Python (load + compute)", sorted(naive_ms), None),
        ("  of which load", sorted(load_ms), None),
        ("  of which compute", sorted(compute_ms), None),
    ]
    verdicts: dict[str, bool] = {}
    for label, times, target in rows_out:
        verdict = ""
        if target is not None:
            verdicts[label] = ok = p95(times) < target
            verdict = f"p95 < {target:.0f}: {'met' if ok else 'NOT met'}"
        print(
            f"{label:44}{len(times):>5}{statistics.median(times):>10.1f}{p95(times):>10.1f}"
            f"{times[-1]:>10.1f}   {verdict}"
        )
    # What a reader waits for once the worker has counted after the last change.
    met = all(ok for label, ok in verdicts.items() if label.endswith("warm"))
    naive_median = statistics.median(naive_ms)
    for name, _before in scenarios:
        ratio = naive_median / statistics.median(cov_times[name])
        print(f"naive / visit_coverage {name} (medians): {ratio:.1f}x")
    print(
        f"suggestions: representativeness {before:.6f} -> {after:.6f} if all {len(sug)} are visited"
    )
    picked = Counter((s.section, s.locality, s.size_class) for s in sug)
    summary = ", ".join(f"{'/'.join(k)} x{c}" for k, c in picked.most_common())
    print(f"suggested (section/locality/size class): {summary}")
    if wrong:
        print("MISMATCH between visit_coverage and the naive computation:")
        for line in wrong:
            print(f"  {line}")
    else:
        print("visit_coverage equals the naive computation (every number and breakdown)")
    for line in problems:
        print(f"SUGGESTION PROBLEM: {line}")
    return 0 if met and not wrong and not problems else 1


if __name__ == "__main__":
    raise SystemExit(main())

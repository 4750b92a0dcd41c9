"""Requests per second of the public area and activity pages against a trivial view.

    python bench/public_pages.py --db sqlite
    python bench/public_pages.py --db postgres

Builds its own database (a temp SQLite file, or PostgreSQL ``brygga_bench_pages``),
loads the demo data (the seed 000 area with its twenty activities, comments,
ideas and timelines), and serves it as production does: gunicorn with 2 sync
workers, ``DEBUG=False``. The load is wrk (Debian package ``wrk``) on loopback.
In each round the three URLs are measured one after the other in the same server
process — the trivial view ``/healthz`` (no database, no template), the area page
and an activity page — and the median of the rounds is reported.
Anonymous visitors get these pages from the page cache (brygga/actionplan/page_cache.py);
the same pages with a query string, which bypasses it, are measured too: what staff
and the first visitor after a change wait for.
Target: each page at least 50 % of the trivial view's requests per second.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG_DB = "brygga_bench_pages"
TARGET = 0.5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


PATHS = """
from brygga.actionplan.models import Activity, Area
area = Area.objects.select_related("program").get(
    program__slug="topp-50-2017", slug="forbattra-dialogen"
)
activity = (
    Activity.objects.filter(area=area, published=True)
    .select_related("area__program")
    .order_by("-updates__at")
    .first()
)
print(area.get_absolute_url())
print(activity.get_absolute_url())
"""


def wrk(url: str, seconds: int, connections: int) -> tuple[float, str]:
    result = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    )
    match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    p99 = re.search(r"99%\s+(\S+)", result.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if errors:
        raise SystemExit(f"{url} answered {errors.group(1)} errors:\n{result.stdout}")
    assert match, result.stdout
    return float(match.group(1)), p99.group(1) if p99 else "?"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument(
        "--redis", action="store_true", help="cache in Redis, as production (REDIS_URL)"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk")
        return 2

    var_dir = Path(tempfile.mkdtemp(prefix="brygga-bench-pages-"))
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "BRYGGA_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "redis://127.0.0.1:6379/12" if args.redis else "",
    }
    if args.db == "postgres":
        admin = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c"]
        subprocess.run([*admin, f"DROP DATABASE IF EXISTS {PG_DB}"], check=True)
        subprocess.run([*admin, f"CREATE DATABASE {PG_DB}"], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{var_dir / 'bench.sqlite3'}"
    if args.redis:
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()  # a cache of this run's own
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo", "--force", "--companies", "100")
    area_path, activity_path = manage(env, "shell", "-c", PATHS).split()[-2:]

    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(PY).with_name("gunicorn")),
            "brygga.wsgi:application",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    urls = {"trivial view /healthz": "/healthz", "area page": area_path}
    urls["activity page"] = activity_path
    # A query string bypasses the page cache: what a logged-in member of staff, or the
    # first visitor after a change, waits for. Reported, not part of the target.
    urls["area page, rendered"] = area_path + "?uncached=1"
    urls["activity page, rendered"] = activity_path + "?uncached=1"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        for path in urls.values():
            for _ in range(20):  # warm up both workers
                with urllib.request.urlopen(base + path, timeout=10) as answer:
                    assert answer.status == 200, (path, answer.status)
        results: dict[str, list[tuple[float, str]]] = {name: [] for name in urls}
        for _ in range(args.rounds):
            for name, path in urls.items():
                results[name].append(wrk(base + path, args.seconds, args.connections))
    finally:
        server.terminate()
        server.wait(timeout=30)
        if args.db == "postgres":
            subprocess.run(
                [
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-q",
                    "-c",
                    f"DROP DATABASE IF EXISTS {PG_DB}",
                ],
                check=False,
            )
        shutil.rmtree(var_dir, ignore_errors=True)

    floor = statistics.median(r for r, _ in results["trivial view /healthz"])
    cache = "Redis" if args.redis else "file"
    print(
        f"\nPublic pages — {args.db}, {cache} cache, gunicorn 2 sync workers, DEBUG off, "
        "wrk 1 thread "
        f"{args.connections} connections, {args.rounds} rounds of {args.seconds} s "
        "(median)\n"
    )
    print("| URL | path | requests/s | p99 latency | share of trivial view | target |")
    print("|---|---|---:|---:|---:|---|")
    ok = True
    for name, path in urls.items():
        rps = statistics.median(r for r, _ in results[name])
        p99 = sorted(results[name])[len(results[name]) // 2][1]
        share = rps / floor
        verdict = ""
        if path != "/healthz" and "?" not in path:
            met = share >= TARGET
            ok &= met
            verdict = f"≥ 50 % — {'met' if met else 'NOT met'}"
        print(f"| {name} | `{path}` | {rps:,.0f} | {p99} | {share:.0%} | {verdict} |")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Name search over N companies: Brygga's selector against a plain ``icontains`` scan.

    python bench/search_register.py 300000 --db sqlite
    python bench/search_register.py 1800000 --db postgres

Builds its own database (a temp SQLite file, or PostgreSQL ``brygga_bench_search``),
migrates it, fills it with N companies with Swedish-like names by bulk SQL, then
times what the staff list does for a search (count + first page of 50) for a mix
of queries: word fragments, two words, whole names, misspellings, org numbers.
Targets: SQLite 300,000 p95 < 100 ms; PostgreSQL 1,800,000 p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST = [
    "Åkers",
    "Mariefreds",
    "Strängnäs",
    "Stallarholmens",
    "Nordiska",
    "Svenska",
    "Mälardalens",
    "Ängens",
    "Österby",
    "Björk",
    "Eken",
    "Linden",
    "Granen",
    "Sjöbo",
    "Bergs",
    "Dalens",
    "Holmens",
    "Lunds",
    "Vikens",
    "Hagens",
    "Solberga",
    "Tosterö",
    "Aspö",
    "Fogdö",
    "Länna",
    "Kärrets",
    "Öster",
    "Väster",
    "Söder",
    "Norra",
    "Södra",
    "Gripsholms",
    "Eskilstuna",
    "Torshälla",
    "Ekudden",
    "Sundby",
    "Vansö",
    "Överselö",
    "Härad",
    "Ulvhäll",
    "Finninge",
    "Malmby",
    "Läggesta",
    "Taxinge",
    "Näsby",
]
TRADE = [
    "Bygg",
    "Måleri",
    "Elservice",
    "VVS",
    "Snickeri",
    "Transport",
    "Åkeri",
    "Konsult",
    "Redovisning",
    "Frisör",
    "Café",
    "Bageri",
    "Restaurang",
    "Fastigheter",
    "Data",
    "Design",
    "Trädgård",
    "Skog",
    "Lantbruk",
    "Hälsa",
    "Tandvård",
    "Bilverkstad",
    "Städ",
    "Plåt",
    "Rör",
    "Golv",
    "Media",
    "Foto",
    "Event",
    "Handel",
    "Kök",
    "Glas",
    "Smide",
    "Tak",
    "Mark",
    "Schakt",
    "Växthus",
    "Gårdsbutik",
    "Camping",
    "Vandrarhem",
    "Pensionat",
    "Café",
    "Catering",
    "Blommor",
    "Djurklinik",
    "Zoo",
]
SUFFIX = [
    "AB",
    "AB",
    "AB",
    "Aktiebolag",
    "HB",
    "& Söner AB",
    "Handelsbolag",
    "Ekonomisk förening",
    "",
]
TOWNS = ["Strängnäs", "Mariefred", "Åkers styckebruk", "Stallarholmen", "Eskilstuna", "Västerås"]


def luhn(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return nine + str((10 - total % 10) % 10)


def company_name(rng: random.Random) -> str:
    parts = [rng.choice(FIRST), rng.choice(TRADE)]
    if rng.random() < 0.4:
        parts.append(f"{rng.choice(FIRST)[: rng.randint(3, 7)]}{rng.randint(1, 999)}")
    parts.append(rng.choice(SUFFIX))
    return " ".join(p for p in parts if p)


def setup_database(db: str, *, reuse: bool) -> None:
    if db == "sqlite":
        path = Path(tempfile.gettempdir()) / "brygga_bench_search.sqlite3"
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        import psycopg

        base = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = 'brygga_bench_search'"
            ).fetchone()
            if not (reuse and exists):
                conn.execute("DROP DATABASE IF EXISTS brygga_bench_search")
                conn.execute("CREATE DATABASE brygga_bench_search")
        os.environ["DATABASE_URL"] = f"{base}/brygga_bench_search"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brygga.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(n: int, db: str, rng: random.Random) -> float:
    from django.db import connection, transaction
    from django.utils import timezone

    from brygga.register.models import Company
    from brygga.register.search_text import company_search_text

    fields = [f for f in Company._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    now = timezone.now()

    def rows():
        for i in range(n):
            name = company_name(rng)
            values = {
                "identity": luhn(f"55{i:07d}"),
                "identity_kind": "org",
                "name": name,
                "search_text": company_search_text(name),
                "postal_town": rng.choice(TOWNS),
                "status": "active" if rng.random() < 0.9 else "deregistered",
                "legal_form": "AB",
            }
            if values["status"] == "deregistered":
                values["deregistered_on"] = "2020-01-01"
            row = []
            for f in fields:
                if f.name in values:
                    row.append(values[f.name])
                elif f.name in ("created_at", "updated_at"):
                    row.append(now)
                elif f.null:
                    row.append(None)
                elif f.has_default():
                    row.append(f.get_default())
                else:
                    row.append("")
            yield row

    started = time.perf_counter()
    if db == "sqlite":
        sql = (
            f"INSERT INTO register_company ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        batch: list[list[object]] = []
        with transaction.atomic(), connection.cursor() as cursor:
            for row in rows():
                batch.append(row)
                if len(batch) == 10_000:
                    cursor.executemany(sql, batch)
                    batch.clear()
            if batch:
                cursor.executemany(sql, batch)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        # The bench's own database: drop the search indexes, COPY, build them again.

        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX register_company_search_trgm")
            cursor.execute("DROP INDEX register_company_name_sv_idx")
            with cursor.copy(f"COPY register_company ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
            cursor.execute(
                "CREATE INDEX register_company_search_trgm "
                "ON register_company USING gin (search_text gin_trgm_ops)"
            )
            cursor.execute(
                "CREATE INDEX register_company_name_sv_idx "
                'ON register_company ((name COLLATE "sv-x-icu"), id)'
            )
            cursor.execute("VACUUM ANALYZE register_company")
    return time.perf_counter() - started


def queries(count: int, rng: random.Random, n: int) -> list[str]:
    out: list[str] = []
    for i in range(count):
        kind = i % 6
        if kind == 0:
            word = rng.choice(TRADE)
            out.append(word[: rng.randint(3, len(word))])
        elif kind == 1:
            out.append(f"{rng.choice(FIRST)} {rng.choice(TRADE)}")
        elif kind == 2:
            out.append(company_name(rng))
        elif kind == 3:
            word = rng.choice(FIRST + TRADE).lower()
            pos = rng.randrange(len(word))
            out.append(word[:pos] + "x" + word[pos + 1 :])  # a typo
        elif kind == 4:
            d = luhn(f"55{rng.randrange(n):07d}")
            out.append(f"{d[:6]}-{d[6:]}")
        else:
            out.append(rng.choice(FIRST)[:4])
    return out


def measure(label: str, run: Callable[[str], int], terms: list[str]) -> dict[str, float]:
    for term in terms[:5]:
        run(term)  # warm the cache
    times = []
    for term in terms:
        started = time.perf_counter()
        run(term)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "max": times[-1],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database of an earlier run if it holds exactly N companies",
    )
    args = parser.parse_args()
    setup_database(args.db, reuse=args.reuse)
    from brygga.register.models import Company
    from brygga.register.services.search_words import search_words_refresh

    if args.reuse and Company.objects.count() == args.n:
        fill_s = 0.0
    else:
        Company.objects.all().delete()
        fill_s = fill(args.n, args.db, random.Random(20261122))
    # What the worker does after an import: the word list for misspelt searches.
    started = time.perf_counter()
    words = search_words_refresh()
    words_s = time.perf_counter() - started

    from brygga.register.filters import CompanyFilters
    from brygga.register.selectors import company_list

    def brygga(term: str) -> int:
        qs = company_list(CompanyFilters(q=term))
        total = qs.count()
        list(qs[:50])
        return total

    def baseline(term: str) -> int:
        qs = Company.objects.filter(name__icontains=term).order_by("name")
        total = qs.count()
        list(qs[:50])
        return total

    terms = queries(args.searches, random.Random(20261123), args.n)
    ours = measure("brygga", brygga, terms)
    base = measure("icontains", baseline, terms)
    target = 100 if args.db == "sqlite" else 50
    print(f"search_register: {args.n} companies on {args.db}, filled in {fill_s:.1f} s")
    print(f"search word list rebuilt in {words_s:.1f} s ({words} words)")
    print(f"{len(terms)} searches, each count + first page of 50 (ms)")
    print(f"{'':24}{'p50':>9}{'p95':>9}{'max':>9}")
    print(f"{'brygga (selector)':24}{ours['p50']:9.1f}{ours['p95']:9.1f}{ours['max']:9.1f}")
    print(f"{'baseline (icontains)':24}{base['p50']:9.1f}{base['p95']:9.1f}{base['max']:9.1f}")
    ok = ours["p95"] < target
    print(f"target p95 < {target} ms: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

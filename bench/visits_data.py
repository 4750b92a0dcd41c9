"""The data of bench/visits_coverage.py: companies, SNI codes and visits by SQL alone.

Every value is a deterministic hash of the row number (``rnd``), computed by
INSERT … SELECT over a number series (``generate_series`` on PostgreSQL, a temp
table on SQLite), so both databases get the same rows for the same sizes and
nothing passes through Python or the ORM. Skewed choices (towns, size classes,
SNI codes, years, kinds) are equality joins on small temp tables of weighted slots.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

P = 2_147_483_647  # 2**31 - 1: hash values stay below 2**62 in both databases
EPOCH = dt.date(1970, 1, 1)
END_DAY = (dt.date(2025, 12, 31) - EPOCH).days

TOWNS = [("Strängnäs", 380), ("Mariefred", 140), ("Åkers styckebruk", 70)]
TOWNS += [("Stallarholmen", 60), ("Eskilstuna", 40), ("Stockholm", 40), ("Västerås", 20)]
TOWNS += [("Södertälje", 15), ("Enköping", 10), ("Uppsala", 10), ("Göteborg", 10)]
TOWNS += [("Malmö", 5), ("", 10)]
TAIL = (
    "Katrineholm Flen Nyköping Torshälla Kungsör Arboga Köping Sala Norrköping Linköping "
    "Örebro Gnesta Trosa Järna Nykvarn Bålsta Sigtuna Täby Solna Sundbyberg Nacka "
    "Huddinge Haninge Lidingö Vallentuna Norrtälje Knivsta Heby Fagersta Hallstahammar "
    "Surahammar Kolbäck Strömsholm Skultuna Vingåker Malmköping Stjärnhov Björnlunda "
    "Mölnbo Vagnhärad"
)
TOWNS += [(t, 190 // 40 + (1 if k < 190 % 40 else 0)) for k, t in enumerate(TAIL.split())]
SIZES = [("0 anställda", 5600), ("1-4 anställda", 2300), ("5-9 anställda", 600)]
SIZES += [("10-19 anställda", 400), ("20-49 anställda", 250), ("50-99 anställda", 100)]
SIZES += [("100-199 anställda", 50), ("200-499 anställda", 30), ("500-999 anställda", 10)]
SIZES += [("1000-1499 anställda", 3), ("10000+ anställda", 1), ("", 656)]
# Section: (share of companies with an SNI 2007 code, per 10,000; codes; visit acceptance ‰)
SNI = {
    "A": (700, "01110 01410 02100 02200 03110", 250),
    "B": (20, "08120", 800),
    "C": (450, "10710 16100 25110 25620 31011 33120", 1000),
    "D": (60, "35111", 800),
    "E": (40, "38110 37000", 600),
    "F": (1100, "41200 43210 43221 43320 43341 43390 43999", 700),
    "G": (1150, "45200 46190 47111 47191 47710 47912", 600),
    "H": (350, "49410 49320 52290", 500),
    "I": (350, "56100 55101 56210", 600),
    "J": (550, "62010 62020 63110 58110 59110", 350),
    "K": (350, "64202 64301 66190", 150),
    "L": (900, "68201 68203 68204 68100", 120),
    "M": (1600, "70220 69201 71121 74100 73111 71110", 220),
    "N": (450, "81210 77110 82190 81300", 350),
    "O": (5, "84110", 500),
    "P": (180, "85600 85420", 400),
    "Q": (450, "86211 86901 86909 88101", 300),
    "R": (350, "90010 93130 93190", 400),
    "S": (390, "96021 94990 96090 95110", 300),
    "T": (2, "97000", 100),
    "U": (1, "99000", 100),
}
NO_SECTION_ACCEPT = 80  # companies without an SNI 2007 code
YEARS = {2016: 60, 2017: 70, 2018: 80, 2019: 95, 2020: 65}
YEARS |= {2021: 90, 2022: 120, 2023: 150, 2024: 140, 2025: 130}
KINDS = [("besok", 55), ("telefon", 15), ("digitalt", 12), ("lunch", 8)]
KINDS += [("natverkstraff", 6), ("massa", 4)]
FIRST = "Åkers Mariefreds Strängnäs Nordiska Svenska Mälardalens Ängens Österby Björk Eken "
FIRST += "Linden Sjöbo Bergs Dalens Holmens Vikens Hagens Solberga Tosterö Aspö Fogdö Länna"
TRADE = "Bygg Måleri Elservice VVS Snickeri Transport Åkeri Konsult Redovisning Frisör Café "
TRADE += "Bageri Restaurang Fastigheter Data Design Trädgård Skog Lantbruk Hälsa Städ Plåt"
SUFFIX = ["AB", "AB", "AB", "Aktiebolag", "HB", "& Söner AB", "Handelsbolag", "Ek. för."]


def slots(weighted: list[tuple[Any, int]], total: int) -> list[tuple[int, Any]]:
    """``total`` slots shared by weight (largest remainder), for an equality join."""
    weight = sum(w for _, w in weighted)
    exact = [(v, w * total / weight) for v, w in weighted]
    counts = [int(x) for _, x in exact]
    order = sorted(range(len(exact)), key=lambda k: int(exact[k][1]) - exact[k][1])
    for k in order[: total - sum(counts)]:
        counts[k] += 1
    return [
        (s, v)
        for s, v in enumerate(v for (v, _), c in zip(exact, counts, strict=True) for _ in range(c))
    ]


def rnd(x: str, salt: int) -> str:
    """A deterministic pseudo-random integer in [0, P) of the integer ``x``, in SQL that
    PostgreSQL and SQLite evaluate alike (a product of two affine maps modulo P)."""
    r = random.Random(salt)
    a, b, c, d = (r.randrange(1, P) for _ in range(4))
    return f"((({x} * {a} + {b}) % {P}) * (({x} * {c} + {d}) % {P}) % {P})"


def luhn(x: str) -> str:
    """SQL for the Luhn check digit of the nine-digit integer ``x``."""
    terms = []
    for k in range(9):
        d = f"(({x} / {10 ** (8 - k)}) % 10)"
        terms.append(f"((2 * {d}) / 10 + (2 * {d}) % 10)" if k % 2 == 0 else d)
    return f"((10 - ({' + '.join(terms)}) % 10) % 10)"


class Sql:
    def __init__(self, vendor: str) -> None:
        self.pg = vendor == "postgresql"

    def series(self, n: int) -> str:
        if self.pg:
            return f"generate_series(1::bigint, {n}) AS s(i)"
        return f"(SELECT i FROM bench_series WHERE i <= {n}) AS s"

    def date(self, days: str) -> str:
        if self.pg:
            return f"(DATE '1970-01-01' + CAST({days} AS integer))"
        return f"date(({days}) * 86400, 'unixepoch')"


def literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def insert(model: Any, values: dict[str, str], source: str) -> str:
    """INSERT … SELECT into ``model``'s table: ``values`` maps field names to SQL, the
    other concrete fields get their default (timestamps CURRENT_TIMESTAMP)."""
    columns, exprs = [], []
    for f in model._meta.concrete_fields:
        if f.name in values:
            expr = values[f.name]
        elif f.primary_key:
            continue
        elif f.name in ("created_at", "updated_at"):
            expr = "CURRENT_TIMESTAMP"
        elif f.has_default():
            expr = literal(f.get_default())
        else:
            expr = "NULL" if f.null else "''"
        columns.append(f.column)
        exprs.append(expr)
    table = model._meta.db_table
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(exprs)} {source}"


def expected_acceptance() -> float:
    """The share of uniformly drawn companies that the section skew keeps as visited."""
    with_sni = sum(w for w, _, _ in SNI.values())
    accept = sum(w * a for w, _, a in SNI.values()) / with_sni / 1000
    return 0.91 * accept + 0.09 * NO_SECTION_ACCEPT / 1000  # see has_r in fill()


def lookup_tables(cursor: Any, pg: bool, series_max: int) -> None:
    """Small temp tables the fill joins on (equality joins on slot numbers)."""
    from brygga.register.sni import SECTIONS

    codes = [
        (c, round(1000 * w / len(cs.split()))) for w, cs, _ in SNI.values() for c in cs.split()
    ]
    postcode = {t: f"6{4500 + 10 * k}" if t else "" for k, (t, _) in enumerate(TOWNS)}
    tables: dict[str, tuple[str, list[tuple[Any, ...]]]] = {
        "bench_town": (
            "slot int PRIMARY KEY, town text, postcode text",
            [(s, t, postcode[t]) for s, t in slots(TOWNS, 1000)],
        ),
        "bench_size": ("slot int PRIMARY KEY, size_class text", slots(SIZES, 10000)),
        "bench_sni": ("slot int PRIMARY KEY, code text", slots(codes, 10000)),
        "bench_kind": ("slot int PRIMARY KEY, key text", slots(KINDS, 100)),
        "bench_year": (
            "slot int PRIMARY KEY, start_day int, ndays int",
            [
                (s, (dt.date(y, 1, 1) - EPOCH).days, (dt.date(y + 1, 1, 1) - dt.date(y, 1, 1)).days)
                for s, y in slots(list(YEARS.items()), 1000)
            ],
        ),
        "bench_first": ("k int PRIMARY KEY, word text", list(enumerate(FIRST.split()))),
        "bench_trade": ("k int PRIMARY KEY, word text", list(enumerate(TRADE.split()))),
        "bench_suffix": ("k int PRIMARY KEY, word text", list(enumerate(SUFFIX))),
        "bench_division": (
            "division text PRIMARY KEY, section text",
            [(d, s.letter) for s in SECTIONS.values() for d in s.divisions],
        ),
        "bench_accept": (
            "section text PRIMARY KEY, permille int",
            [*((k, a) for k, (_, _, a) in SNI.items()), ("?", NO_SECTION_ACCEPT)],
        ),
    }
    for name, (columns, rows) in tables.items():
        cursor.execute(f"CREATE TEMP TABLE {name} ({columns})")
        marks = ", ".join(["%s"] * len(rows[0]))
        cursor.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
    if not pg:
        cursor.execute("CREATE TEMP TABLE bench_series (i integer PRIMARY KEY)")
        cursor.execute(
            "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %s) "
            "INSERT INTO bench_series SELECT i FROM c",
            [series_max],
        )


def drop_indexes(cursor: Any, tables: list[str]) -> list[str]:
    """Drop the secondary indexes and unique constraints of ``tables`` (PostgreSQL);
    returns the SQL that builds them again, which a bulk fill does faster at the end."""
    cursor.execute(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
        "FROM pg_constraint c WHERE c.contype = 'u' AND c.conrelid::regclass::text = ANY(%s)",
        [tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _ in constraints:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [d for _, d in indexes] + [
        f"ALTER TABLE {t} ADD CONSTRAINT {n} {d}" for t, n, d in constraints
    ]


def fill(n: int, v: int) -> dict[str, float]:
    """Fill companies, SNI codes, visits and their companies; seconds per step."""
    from django.core.management.color import no_style
    from django.db import connection

    from brygga.register.models import Company, SniCode
    from brygga.visits.models import Visit, VisitCompany, VisitTarget

    q = Sql(connection.vendor)
    links = v + v // 10 + v // 20
    candidates = int(links / expected_acceptance() * 1.2) + 1000
    times: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(label: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[label] = now - clock
        clock = now

    cur = connection.cursor()
    lookup_tables(cur, q.pg, max(n, candidates))
    tables = ["register_company", "register_snicode", "visits_visit", "visits_visitcompany"]
    rebuild = drop_indexes(cur, tables) if q.pg else []
    g = (
        f"FROM (SELECT s.i, 552000000 + s.i AS base9, {rnd('s.i', 1)} % 1000 AS town_slot, "
        f"{rnd('s.i', 2)} % 10000 AS size_slot, {rnd('s.i', 3)} % {len(FIRST.split())} AS first_k, "
        f"{rnd('s.i', 4)} % {len(TRADE.split())} AS trade_k, "
        f"{rnd('s.i', 5)} % {len(SUFFIX)} AS suffix_k, {rnd('s.i', 6)} % 1000 AS num_r, "
        f"{rnd('s.i', 7)} % 1000 AS reg_r, "
        f"{END_DAY} - ({rnd('s.i', 8)} % 27759) * ({rnd('s.i', 9)} % 1000) / 1000 AS reg_day, "
        f"{rnd('s.i', 10)} % 1000 AS dereg_r, {rnd('s.i', 11)} AS dereg_u FROM {q.series(n)}) g "
        "JOIN bench_town t ON t.slot = g.town_slot JOIN bench_size z ON z.slot = g.size_slot "
        "JOIN bench_first f ON f.k = g.first_k JOIN bench_trade tr ON tr.k = g.trade_k "
        "JOIN bench_suffix sf ON sf.k = g.suffix_k"
    )
    name = (
        "f.word || ' ' || tr.word || CASE WHEN g.num_r < 400 THEN ' ' || "
        "CAST(g.i % 997 + 1 AS text) ELSE '' END || ' ' || sf.word"
    )
    dereg_from = "CASE WHEN g.reg_r < 15 THEN 7305 ELSE g.reg_day END"
    company = {
        "id": "g.i",
        "identity": f"CAST(g.base9 AS text) || CAST({luhn('g.base9')} AS text)",
        "identity_kind": "'org'",
        "name": name,
        "search_text": f"lower({name})",
        "legal_form": "CASE WHEN g.suffix_k IN (4, 6) THEN 'HB' ELSE 'AB' END",
        "registration_country": "'SE-LAND'",
        # 1.5 % without a registration date; 10 % deregistered, 0.5 % of them without a date
        "registered_on": f"CASE WHEN g.reg_r < 15 THEN NULL ELSE {q.date('g.reg_day')} END",
        "status": "CASE WHEN g.dereg_r < 100 THEN 'deregistered' ELSE 'active' END",
        "deregistered_on": (
            "CASE WHEN g.dereg_r < 5 OR g.dereg_r >= 100 THEN NULL ELSE "
            f"{q.date(f'{dereg_from} + g.dereg_u % ({END_DAY} - {dereg_from} + 1)')} END"
        ),
        "street_address": "'Storgatan ' || CAST(g.i % 99 + 1 AS text)",
        "postal_code": "t.postcode",
        "postal_town": "t.town",
        "size_class": "z.size_class",
    }
    cur.execute(insert(Company, company, g))
    lap("companies")

    # 6 % without SNI codes, 3 % with only an SNI 2025 code, 91 % with a primary SNI
    # 2007 code; of those a fifth with a secondary code, a quarter with an SNI 2025 code.
    g = (
        f"FROM (SELECT s.i, {rnd('s.i', 20)} % 1000 AS has_r, {rnd('s.i', 21)} % 10000 AS slot1, "
        f"{rnd('s.i', 22)} % 100 AS second_r, {rnd('s.i', 23)} % 10000 AS slot2, "
        f"{rnd('s.i', 24)} % 100 AS new_r FROM {q.series(n)}) g "
        "JOIN bench_sni b ON b.slot = g.slot1"
    )
    sni = {"company": "g.i", "system": "'sni2007'", "code": "b.code", "position": "0"}
    cur.execute(insert(SniCode, sni, f"{g} WHERE g.has_r >= 90"))
    second = g + " JOIN bench_sni b2 ON b2.slot = g.slot2"
    second += " WHERE g.has_r >= 90 AND g.second_r < 20 AND b2.code <> b.code"
    cur.execute(insert(SniCode, {**sni, "code": "b2.code", "position": "1"}, second))
    new = f"{g} WHERE g.has_r >= 60 AND (g.has_r < 90 OR g.new_r < 25)"
    cur.execute(insert(SniCode, {**sni, "system": "'sni2025'"}, new))
    lap("sni codes")

    g = (
        f"FROM (SELECT s.i, {rnd('s.i', 30)} % 1000 AS year_slot, {rnd('s.i', 31)} AS day_u, "
        f"{rnd('s.i', 32)} % 100 AS kind_slot, {rnd('s.i', 33)} % 100 AS status_r, "
        f"{rnd('s.i', 34)} % 100 AS rating_r, {rnd('s.i', 35)} % 100 AS imp_r "
        f"FROM {q.series(v)}) g JOIN bench_year y ON y.slot = g.year_slot "
        "JOIN bench_kind bk ON bk.slot = g.kind_slot JOIN visits_visitkind k ON k.key = bk.key"
    )
    visit = {
        "id": "g.i",
        "date": q.date("y.start_day + g.day_u % y.ndays"),
        "kind": "k.id",
        "status": (
            "CASE WHEN g.status_r < 88 THEN 'held' WHEN g.status_r < 94 THEN 'planned' "
            "ELSE 'cancelled' END"
        ),
        "rating": "CASE WHEN g.rating_r < 40 THEN NULL ELSE 1 + g.rating_r % 5 END",
        "imported": "CASE WHEN g.imp_r < 30 THEN TRUE ELSE FALSE END",
    }
    cur.execute(insert(Visit, visit, g))
    lap("visits")

    # Companies drawn uniformly (6 % of draws from 3,000 regulars), kept with the
    # acceptance of their section; the first V go one to each visit, then a second
    # company to every tenth visit and a third to every twentieth.
    fav = f"1 + ({rnd('s.i', 41)} % {min(3000, n)}) * {max(1, n // 3000)}"
    cand = (
        f"SELECT s.i AS c, CASE WHEN {rnd('s.i', 40)} % 100 < 6 THEN {fav} "
        f"ELSE 1 + {rnd('s.i', 42)} % {n} END AS company_id, {rnd('s.i', 43)} % 1000 AS accept_r "
        f"FROM {q.series(candidates)}"
    )
    cur.execute("CREATE TEMP TABLE bench_pick (j integer PRIMARY KEY, company_id integer NOT NULL)")
    cur.execute(
        "INSERT INTO bench_pick (j, company_id) SELECT j, company_id FROM ("
        "SELECT row_number() OVER (ORDER BY c.c) AS j, c.company_id "
        f"FROM ({cand}) c LEFT JOIN register_snicode sc ON sc.company_id = c.company_id "
        "AND sc.system = 'sni2007' AND sc.position = 0 "
        "LEFT JOIN bench_division d ON d.division = substr(sc.code, 1, 2) "
        "JOIN bench_accept a ON a.section = COALESCE(d.section, '?') "
        f"WHERE c.accept_r < a.permille) x WHERE j <= {links}"
    )
    cur.execute("SELECT count(*) FROM bench_pick")
    if cur.fetchone()[0] != links:
        raise SystemExit("too few candidate companies for the visits; raise the margin")
    cur.execute(
        f"INSERT INTO {VisitCompany._meta.db_table} (visit_id, company_id) "
        "SELECT DISTINCT visit_id, company_id FROM ("
        f"SELECT p.j AS visit_id, p.company_id FROM bench_pick p WHERE p.j <= {v} UNION ALL "
        f"SELECT s.i * 10, p.company_id FROM {q.series(v // 10)} "
        f"JOIN bench_pick p ON p.j = {v} + s.i UNION ALL "
        f"SELECT s.i * 20, p.company_id FROM {q.series(v // 20)} "
        f"JOIN bench_pick p ON p.j = {v + v // 10} + s.i) x"
    )
    lap("visit companies")

    for sql in connection.ops.sequence_reset_sql(no_style(), [Company, Visit]):
        cur.execute(sql)
    held = Visit.objects.filter(status="held")
    VisitTarget.objects.bulk_create(
        VisitTarget(year=y, visits=round(held.filter(date__year=y).count() * 1.1, -2))
        for y in YEARS
    )
    if q.pg:
        for sql in rebuild:
            cur.execute(sql)
        lap("indexes")
        for table in tables:
            cur.execute(f"VACUUM ANALYZE {table}")
    else:
        cur.execute("ANALYZE")
    lap("analyze")
    cur.close()
    return times

"""A fictional company register for demos and manual testing (``manage.py load_demo``).

Deterministic: the same seed gives the same companies, people and notes. Companies,
contacts and notes are written through the register's services, so the history on
each company page shows how it came in (``via="demodata"``); SNI codes, which have
no service of their own, are bulk-created.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import transaction
from stdnum import luhn
from stdnum.se import orgnr, personnummer

from brygga.accounts.models import Department, User
from brygga.accounts.services import user_create
from brygga.register import demo_data as d
from brygga.register.models import Company, ConsentSource, SniCode, Tag
from brygga.register.services.companies import company_create, contact_create, note_create
from brygga.register.versions import REGISTER_VERSION

VIA = "demodata"
DEFAULT_SEED = 2026


@dataclass
class DemoResult:
    users_created: list[str] = field(default_factory=list)
    companies: int = 0
    contacts: int = 0
    notes: int = 0
    by_town: Counter[str] = field(default_factory=Counter)


def ascii_slug(text: str, sep: str = "") -> str:
    folded = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    words = "".join(ch if ch.isalnum() else " " for ch in folded).split()
    return sep.join(words)


class _Identities:
    """Unique, check-digit-valid org numbers and demo personnummer."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def org_number(self, prefixes: tuple[str, ...]) -> str:
        while True:
            body = self.rng.choice(prefixes) + f"{self.rng.randrange(10**6):06d}"
            number = body + luhn.calc_check_digit(body)
            if number not in self.used and orgnr.is_valid(number):
                self.used.add(number)
                return number

    def personnummer(self) -> str:
        while True:
            month = self.rng.randint(1, 12)
            day = self.rng.randint(1, 28)
            serial = f"{self.rng.randrange(1000):03d}"
            short = f"{d.DEMO_PNR_YEAR[2:]}{month:02d}{day:02d}{serial}"
            number = f"{d.DEMO_PNR_YEAR[:2]}{short}{luhn.calc_check_digit(short)}"
            if number not in self.used and personnummer.is_valid(number):
                self.used.add(number)
                return number


T = TypeVar("T")


def _weighted(rng: random.Random, items: tuple[T, ...], weights: list[int]) -> T:
    return rng.choices(items, weights=weights, k=1)[0]


def _tags() -> dict[str, Tag]:
    wanted: list[tuple[str, str]] = [(t.tag, Tag.Kind.TRADE) for t in d.TRADES]
    wanted.append((d.VISITOR_ECONOMY, Tag.Kind.TRADE))
    wanted.extend((loc.network, Tag.Kind.NETWORK) for loc in d.LOCALITIES)
    tags: dict[str, Tag] = {}
    for name, kind in wanted:
        tag, _created = Tag.objects.get_or_create(
            name=name, defaults={"slug": ascii_slug(name, "-"), "kind": kind}
        )
        tags[name] = tag
    return tags


def _users(result: DemoResult) -> User:
    departments = {
        slug: Department.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for name, slug in d.DEPARTMENTS
    }
    developer: User | None = None
    for email, full_name, role, department in d.DEMO_USERS:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = user_create(
                email=email,
                full_name=full_name,
                role=role,
                password=d.DEMO_PASSWORD,
                department=departments[department] if department else None,
            )
            result.users_created.append(email)
        if role == User.Role.DEVELOPER:
            developer = user
    assert developer is not None
    return developer


def _address(rng: random.Random, locality: d.Locality) -> dict[str, str]:
    return {
        "street_address": f"{rng.choice(locality.streets)} {rng.randint(1, 48)}",
        "postal_code": rng.choice(locality.postal_codes),
        "postal_town": locality.town,
    }


def _details(rng: random.Random, name: str, form: str) -> dict[str, object]:
    registered = dt.date(1975, 1, 1) + dt.timedelta(days=rng.randrange(50 * 365))
    fields: dict[str, object] = {"legal_form": form, "registered_on": registered}
    if rng.random() < 0.07:
        fields["status"] = Company.Status.DEREGISTERED
        span = max(1, (dt.date(2025, 12, 31) - registered).days)
        fields["deregistered_on"] = registered + dt.timedelta(days=rng.randrange(span))
    employees, size_class = rng.choice(d.SIZE_CLASSES)
    if form != "E" or rng.random() < 0.3:
        fields["employees"] = employees + (rng.randrange(4) if employees else 0)
        fields["size_class"] = size_class
    base = name.removesuffix(d.LEGAL_SUFFIX.get(form, ""))
    domain = f"{ascii_slug(base, '-')[:50]}.invalid"
    if rng.random() < 0.7:
        fields["email"] = f"info@{domain}"
        fields["website"] = f"https://www.{domain}/"
    if rng.random() < 0.8:
        fields["phone"] = f"0152-{rng.randrange(10, 99)} {rng.randrange(100, 999)}"
    fields["advertising_block"] = rng.random() < 0.1
    return fields


def _contacts(rng: random.Random, company: Company, owner: tuple[str, str]) -> int:
    count = rng.choice((0, 1, 1, 1, 2, 2, 3))
    for number in range(count):
        first, last = owner if number == 0 else _person(rng)
        processing = rng.random() < 0.9
        source = rng.choice(
            (ConsentSource.STAFF, ConsentSource.REGISTRATION, ConsentSource.SELF_SERVICE)
        )
        contact_create(
            company=company,
            name=f"{first} {last}",
            role=rng.choice(d.CONTACT_ROLES),
            email=f"{ascii_slug(first)}.{ascii_slug(last)}{rng.randrange(100)}@example.se",
            phone=f"070-{rng.randrange(100, 999)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}",
            consents={"processing": processing, "mailing": processing and rng.random() < 0.6},
            consent_source=source,
            via=VIA,
        )
    return count


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(d.FIRST_NAMES), rng.choice(d.LAST_NAMES)


def _unique(name: str, town: str, used: set[str]) -> str:
    for candidate in (name, f"{name} i {town}"):
        if candidate not in used:
            used.add(candidate)
            return candidate
    number = 2
    while f"{name} {number}" in used:
        number += 1
    used.add(f"{name} {number}")
    return f"{name} {number}"


def load_demo(*, companies: int = 300, seed: int = DEFAULT_SEED) -> DemoResult:
    """Create the demo users, departments, tags and ``companies`` companies."""
    rng = random.Random(seed)
    result = DemoResult()
    with transaction.atomic():
        developer = _users(result)
        tags = _tags()
        ids = _Identities(rng)
        used_names: set[str] = set(Company.objects.values_list("name", flat=True))
        sni_rows: list[SniCode] = []
        localities = d.LOCALITIES
        # Every locality gets a company first; the rest follow the weights.
        towns = list(localities[: min(companies, len(localities))])
        towns += [
            _weighted(rng, localities, [loc.weight for loc in localities])
            for _ in range(companies - len(towns))
        ]
        # The first sole trader also runs a second business under the same
        # personnummer, with namnskyddslöpnummer 1 and 2.
        first_sole: tuple[str, str, str] | None = None
        second_done = False
        for locality in towns:
            trade = _weighted(rng, d.TRADES, [t.weight for t in d.TRADES])
            form, _weight, prefixes = _weighted(rng, d.LEGAL_FORMS, [f[1] for f in d.LEGAL_FORMS])
            first, last = _person(rng)
            word = rng.choice(trade.words)
            name_protection_no = 0
            if form == "E":
                if first_sole is None:
                    identity = ids.personnummer()
                    first_sole = (identity, first, last)
                    name_protection_no = 1
                elif not second_done:
                    identity, first, last = first_sole
                    name_protection_no = 2
                    second_done = True
                else:
                    identity = ids.personnummer()
                name = f"{first} {last} {word}"
            else:
                identity = ids.org_number(prefixes)
                name = f"{rng.choice(d.NAME_STEMS)}s {word}{d.LEGAL_SUFFIX[form]}"
            name = _unique(name, locality.town, used_names)
            company_tags = [tags[trade.tag]]
            if trade.visitor_economy:
                company_tags.append(tags[d.VISITOR_ECONOMY])
            if rng.random() < 0.25:
                company_tags.append(tags[locality.network])
            company = company_create(
                identity=identity,
                name=name,
                name_protection_no=name_protection_no,
                tags=company_tags,
                via=VIA,
                **_address(rng, locality),
                **_details(rng, name, form),
            )
            codes = rng.sample(trade.sni, k=min(len(trade.sni), rng.choice((1, 1, 1, 2, 3))))
            sni_rows.extend(
                SniCode(company=company, system=SniCode.System.SNI2007, code=code, position=pos)
                for pos, code in enumerate(codes)
            )
            result.companies += 1
            result.by_town[locality.town] += 1
            if company.status == Company.Status.ACTIVE:
                result.contacts += _contacts(rng, company, (first, last))
                if rng.random() < 0.35:
                    text = rng.choice(d.NOTE_TEXTS).format(
                        town=locality.town, role_lc=rng.choice(("personal", "lärlingar"))
                    )
                    note_create(company=company, text=text, author=developer)
                    result.notes += 1
        SniCode.objects.bulk_create(sni_rows)
        REGISTER_VERSION.changed()
    return result

"""Reads of the company register: the filtered, searched and sorted company list,
one company with everything its page shows, its history, and saved segments.

Name search runs over ``Company.search_text`` (normalised current and other names):
on PostgreSQL with pg_trgm (substring and fuzzy word similarity, ranked by
similarity); on SQLite as a substring match of every word, read from the narrow
``search_text`` index rather than the wide table. (An FTS5 trigram table was
measured: 15 ms instead of 40 ms per search at 300,000 companies, but its triggers
cost the import 30 µs a row, tripling its time.) Names sort in Swedish order
(å, ä, ö after z) from an index on each database (migration 0002), so the first
page of 300,000 companies needs no sort.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import OrderBy, RawSQL
from django.db.models.functions import Collate

from brygga.core.models import AuditEntry
from brygga.register.filters import NO, YES, CompanyFilters, filters_from
from brygga.register.identity import PERSON, mask_identity, search_digits
from brygga.register.models import (
    Company,
    Contact,
    Correction,
    CorrectionLink,
    Note,
    Segment,
    SniCode,
)
from brygga.register.search_index import MATCH_ROWIDS
from brygga.register.search_text import normalise
from brygga.register.sni import SECTIONS

PG_COLLATION = "sv-x-icu"
# Swedish order on SQLite without a Python collation: fold ASCII case and move
# å, ä, ö (and their Danish/Norwegian/German kin) behind z, as '{', '|', '}' are.
# Migration 0002 indexes exactly this expression; keep the two identical.
SQLITE_NAME_KEY = (
    "replace(replace(replace(replace(replace(replace(replace(replace(replace(replace("
    'lower("register_company"."name"),'
    "'å','{'),'Å','{'),'ä','|'),'Ä','|'),'ö','}'),'Ö','}'),'æ','|'),'ø','}'),'é','e'),'ü','y')"
)
LIST_FIELDS = (
    "id",
    "identity",
    "identity_kind",
    "name_protection_no",
    "name",
    "legal_form",
    "postal_town",
    "status",
    "deregistered_on",
)
HISTORY_LIMIT = 200
# Up to this many matches are sorted by relevance; more are listed in name order.
RANKED_LIMIT = 1000
FUZZY_LIMIT = 100


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def name_order() -> list[Any]:
    """ORDER BY terms for Swedish name order, matching the name index."""
    if _is_postgres():
        return [Collate("name", PG_COLLATION), "id"]
    return [OrderBy(RawSQL(SQLITE_NAME_KEY, ())), "id"]  # noqa: S611  (a constant)


def _identity_filter(digits: str) -> Q:
    if len(digits) == 10:
        # A sole trader's personnummer is stored with its century.
        return Q(identity__in=[digits, f"19{digits}", f"20{digits}"])
    if len(digits) == 12:
        return Q(identity=digits)
    return Q(identity__startswith=digits)


def _starts(text: str) -> Case:
    return Case(
        When(search_text__startswith=text, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def _contains_all(words: list[str]) -> Q:
    """Every word as a substring, read from the trigram index where there is one.

    A trigram index cannot find words of one or two letters; those are tested on
    the rows the longer words found (or, alone, by a scan that stops at the cap).
    """
    long = [w for w in words if len(w) >= 3]
    cond = reduce(operator.and_, (Q(search_text__contains=w) for w in words if len(w) < 3), Q())
    if not long:
        return cond
    if _is_postgres():
        # The GIN trigram index (migration 0002) serves LIKE '%word%'.
        return cond & reduce(operator.and_, (Q(search_text__contains=w) for w in long))
    match = " ".join('"{}"'.format(w.replace('"', '""')) for w in long)
    fts = RawSQL(MATCH_ROWIDS, (match,))  # noqa: S611  (a constant; the query a parameter)
    return cond & Q(pk__in=fts)


def _fuzzy(qs: QuerySet[Company], text: str, words: list[str]) -> QuerySet[Company]:
    """Misspelt names (pg_trgm word similarity), best first, at most FUZZY_LIMIT.

    Similarity is computed only for the rows kept: a misspelling of a common word
    can resemble tens of thousands of names.
    """
    long = [w for w in words if len(w) >= 3]
    if not long:
        return qs.none()
    similar = reduce(
        operator.and_, (Q(TrigramWordSimilar(F("search_text"), Value(w))) for w in long)
    )
    ids = list(qs.filter(similar).order_by().values_list("pk", flat=True)[:FUZZY_LIMIT])
    return (
        qs.filter(pk__in=ids)
        .annotate(rank=TrigramWordSimilarity(text, "search_text"))
        .order_by("-rank", *name_order())
    )


def company_search(qs: QuerySet[Company], q: str) -> QuerySet[Company]:
    """Companies of ``qs`` matching ``q``, best matches first.

    An org number or personnummer in any form (hyphen, ``16`` prefix, spaces) looks
    up the identity; anything else searches the names (see the module docstring).
    Runs one query to find out how many names match; the returned queryset then
    reads only those.
    """
    digits = search_digits(q)
    if digits is not None:
        return qs.filter(_identity_filter(digits)).order_by(*name_order())
    text = normalise(q)
    words = text.split()
    if not words:
        return qs.order_by(*name_order())
    matching = qs.filter(_contains_all(words))
    ids = list(matching.order_by().values_list("pk", flat=True)[: RANKED_LIMIT + 1])
    if len(ids) > RANKED_LIMIT:
        # Too many to rank: Swedish name order, which the database reads from the
        # name index and stops after one page instead of sorting every match.
        return matching.order_by(*name_order())
    if not ids and _is_postgres():
        return _fuzzy(qs, text, words)
    # Few enough to sort: names that start with the search first.
    return qs.filter(pk__in=ids).annotate(starts=_starts(text)).order_by("starts", *name_order())


def company_filter(qs: QuerySet[Company], filters: CompanyFilters) -> QuerySet[Company]:
    if filters.sni and filters.sni in SECTIONS:
        divisions = SECTIONS[filters.sni].divisions
        in_section = reduce(operator.or_, (Q(code__startswith=d) for d in divisions))
        codes = SniCode.objects.filter(
            in_section, company=OuterRef("pk"), system=SniCode.System.SNI2007
        )
        qs = qs.filter(Exists(codes))
    if filters.town:
        town = " ".join(filters.town.split())
        # Exact matches keep the postal_town index usable; the variants cover how
        # registers spell towns (MARIEFRED, Mariefred, Åkers styckebruk).
        variants = {town, town.upper(), town.lower(), town.capitalize(), town.title()}
        qs = qs.filter(postal_town__in=sorted(variants))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.tag:
        tagged = Company.tags.through.objects.filter(
            company_id=OuterRef("pk"), tag__slug=filters.tag
        )
        qs = qs.filter(Exists(tagged))
    if filters.consent:
        qs = qs.filter(Exists(Contact.objects.filter(company=OuterRef("pk"), consent_mailing=True)))
    if filters.ad_block == YES:
        qs = qs.filter(advertising_block=True)
    elif filters.ad_block == NO:
        qs = qs.filter(advertising_block=False)
    return qs


def company_list(filters: CompanyFilters) -> QuerySet[Company]:
    """The staff list: filtered, searched and sorted; only the listed columns."""
    qs = company_filter(Company.objects.only(*LIST_FIELDS), filters)
    if filters.q:
        return company_search(qs, filters.q)
    return qs.order_by(*name_order())


def company_export_rows(filters: CompanyFilters) -> QuerySet[Company]:
    """The same companies as the list, with what an export row needs."""
    qs = company_filter(Company.objects.all(), filters)
    qs = company_search(qs, filters.q) if filters.q else qs.order_by(*name_order())
    return qs.prefetch_related(
        Prefetch("sni_codes", queryset=SniCode.objects.order_by("position", "id")), "tags"
    )


def segment_companies(segment: Segment) -> QuerySet[Company]:
    """The companies a saved segment selects today (none if its filters went stale)."""
    _form, filters = filters_from(segment.filters)
    if filters is None:
        return Company.objects.none()
    qs = company_filter(Company.objects.all(), filters)
    if filters.q:
        return company_search(qs, filters.q)
    return qs.order_by(*name_order())


def segment_list() -> QuerySet[Segment]:
    return Segment.objects.select_related("created_by").order_by("name")


def companies_by_key(key: str) -> QuerySet[Company]:
    """The company a URL key (``Company.url_key``) names, as a queryset (empty if none)."""
    if key.startswith("e"):
        # A sole trader, addressed by primary key so no personnummer is in the URL.
        if not key[1:].isdigit():
            return Company.objects.none()
        return Company.objects.filter(pk=int(key[1:]), identity_kind=PERSON)
    identity, _sep, number = key.partition("-")
    if not identity.isdigit() or (number and not number.isdigit()):
        return Company.objects.none()
    return Company.objects.filter(identity=identity, name_protection_no=int(number or 0))


def company_for_page(key: str, *, with_contacts: bool) -> Company | None:
    """A company with its names, codes, tags, notes (and contacts) prefetched."""
    lookups: list[Any] = [
        Prefetch("other_names"),
        Prefetch("sni_codes", queryset=SniCode.objects.order_by("position", "id")),
        Prefetch("tags"),
        Prefetch(
            "notes", queryset=Note.objects.select_related("author").order_by("-created_at", "-id")
        ),
    ]
    if with_contacts:
        lookups.append(Prefetch("contacts", queryset=Contact.objects.order_by("name", "id")))
    return companies_by_key(key).prefetch_related(*lookups).first()


@dataclass(frozen=True)
class HistoryRow:
    entry: AuditEntry
    what: str
    changes: list[tuple[str, Any, Any]]


def _field_labels() -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    for model in (Company, Contact, Note):
        labels[model._meta.label_lower] = {
            f.name: str(getattr(f, "verbose_name", f.name)) for f in model._meta.get_fields()
        }
    labels["register.company"]["tags"] = str(Company._meta.get_field("tags").verbose_name)
    return labels


def company_history(
    company: Company, *, show_personal_number: bool, limit: int = HISTORY_LIMIT
) -> list[HistoryRow]:
    """Audit entries on the company and on its contacts and notes, newest first."""
    label = Company._meta.label_lower
    pk = str(company.pk)
    entries = (
        AuditEntry.objects.filter(
            Q(subject_type=label, subject_id=pk) | Q(parent_type=label, parent_id=pk)
        )
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    labels = _field_labels()
    kinds = {
        label: str(Company._meta.verbose_name),
        Contact._meta.label_lower: str(Contact._meta.verbose_name),
        Note._meta.label_lower: str(Note._meta.verbose_name),
        Correction._meta.label_lower: str(Correction._meta.verbose_name),
        CorrectionLink._meta.label_lower: str(CorrectionLink._meta.verbose_name),
    }
    rows = []
    for entry in entries:
        field_labels = labels.get(entry.subject_type, {})
        changes = []
        for field, values in sorted(entry.changes.items()):
            old, new = [*values, None, None][:2] if isinstance(values, list) else (None, values)
            if field == "identity" and not show_personal_number:
                old, new = (_mask(v) for v in (old, new))
            # Empty and missing both read as a dash on the page.
            old, new = (None if v == "" else v for v in (old, new))
            changes.append((field_labels.get(field, field), old, new))
        what = kinds.get(entry.subject_type, entry.subject_type)
        rows.append(HistoryRow(entry=entry, what=what, changes=changes))
    return rows


def _mask(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 12 and value.isdigit():
        return mask_identity(PERSON, value)
    return value

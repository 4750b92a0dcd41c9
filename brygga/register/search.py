"""The company name search behind the staff list, segments and the API.

Name search runs over ``Company.search_text`` (normalised current and other names,
see :mod:`brygga.register.search_text`): every word of the search must occur as a
substring. PostgreSQL reads the matches from a GIN trigram index (pg_trgm), SQLite
from an FTS5 trigram table (:mod:`brygga.register.search_index`).

A list shows at most :data:`SEARCH_LIMIT` matches, names that start with the search
first, then Swedish name order. One query finds and orders them; each page then
reads only its own rows. A search with more matches says so and asks for a narrower
search: counting and sorting 100,000 matches of "bygg" in the national register
would cost a staff member a second on every page and tell them nothing. Exports and
segments (:func:`company_matches`) take every match.

When nothing matches, each searched word that no name holds is replaced by the most
alike word of the word list (:class:`SearchWord`: pg_trgm similarity over its
trigram index on PostgreSQL; difflib over the words with the same first letter on
SQLite) and the corrected search runs instead; the list says so ("Menade du").
Looking words up in a list of a few hundred thousand words takes milliseconds,
where word similarity over 1.8 million names took a quarter of a second.
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Iterator
from functools import reduce
from typing import overload

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from brygga.register.identity import search_digits
from brygga.register.models import Company, SearchWord
from brygga.register.ordering import name_order
from brygga.register.search_index import MATCH_ROWIDS
from brygga.register.search_text import normalise

# A list shows at most this many matches; more ask for a narrower search.
SEARCH_LIMIT = 1000
# How alike a name word must be to correct a misspelt one (pg_trgm similarity on
# PostgreSQL, difflib's ratio on SQLite).
PG_MIN_SIMILARITY = 0.4
SQLITE_MIN_RATIO = 0.75


class SearchResult:
    """The ordered matches of a search, read a page at a time.

    Behaves as a sequence for Django's ``Paginator`` and DRF's pagination:
    ``count()`` is known without a query, and a slice reads just its companies
    (with ``rows``' ``only()`` and prefetches) in one query.
    """

    def __init__(
        self, rows: QuerySet[Company], ids: list[int], *, capped: bool = False, corrected: str = ""
    ) -> None:
        self.rows = rows
        self.ids = ids
        self.capped = capped
        self.limit = SEARCH_LIMIT
        # The search actually run when the one asked for matched nothing ("Menade du").
        self.corrected = corrected

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Company: ...

    @overload
    def __getitem__(self, index: slice) -> list[Company]: ...

    def __getitem__(self, index: int | slice) -> Company | list[Company]:
        if isinstance(index, slice):
            wanted = self.ids[index]
            if not wanted:
                return []
            found = {c.pk: c for c in self.rows.filter(pk__in=wanted).order_by()}
            return [found[pk] for pk in wanted if pk in found]
        return self[index : index + 1 if index != -1 else None][0]

    def __iter__(self) -> Iterator[Company]:
        return iter(self[:])


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


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
    the rows the longer words found (or, alone, by a scan that stops at the limit).
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


def _ordered_ids(qs: QuerySet[Company], cond: Q, text: str) -> list[int]:
    """Up to SEARCH_LIMIT + 1 matching ids, starts-with first, then name order.

    One query: the inner select stops at the limit (a bitmap or FTS scan, no sort);
    the outer one sorts only what it found.
    """
    probe = qs.filter(cond).order_by().values("pk")[: SEARCH_LIMIT + 1]
    ordered = (
        Company.objects.filter(pk__in=probe)
        .annotate(starts=_starts(text))
        .order_by("starts", *name_order())
        .values_list("pk", flat=True)
    )
    return list(ordered)


def _closest_word(word: str) -> str | None:
    """The listed name word most like ``word``, or None if none is alike enough."""
    if _is_postgres():
        # The trigram index on the word list serves %; similarity ranks the few found.
        return (
            SearchWord.objects.filter(TrigramSimilar(F("word"), Value(word)))
            .annotate(similarity=TrigramSimilarity("word", word))
            .filter(similarity__gte=PG_MIN_SIMILARITY)
            .order_by("-similarity", "word")
            .values_list("word", flat=True)
            .first()
        )
    # SQLite: the words with the same first letter and about the same length,
    # read from the primary key's order, weighed by difflib.
    candidates = SearchWord.objects.filter(
        word__gte=word[0], word__lt=word[0] + "\U0010ffff"
    ).values_list("word", flat=True)
    near = [w for w in candidates if abs(len(w) - len(word)) <= 2]
    found = difflib.get_close_matches(word, near, n=1, cutoff=SQLITE_MIN_RATIO)
    return found[0] if found else None


def _corrected(qs: QuerySet[Company], words: list[str]) -> list[str] | None:
    """The search with each word that no name holds replaced by the closest name word.

    None when some word has no close match or nothing needed correcting.
    """
    corrected = []
    for word in words:
        if len(word) < 3 or qs.filter(_contains_all([word])).exists():
            corrected.append(word)
            continue
        closest = _closest_word(word)
        if closest is None:
            return None
        corrected.append(closest)
    return corrected if corrected != words else None


def company_search(qs: QuerySet[Company], q: str) -> SearchResult:
    """The companies of ``qs`` matching ``q``, for a list: best first, at most the limit.

    An org number or personnummer in any form (hyphen, ``16`` prefix, spaces) looks
    up the identity; anything else searches the names.
    """
    digits = search_digits(q)
    text = normalise(q)
    words = text.split()
    if digits is not None:
        cond, text = _identity_filter(digits), ""
    elif words:
        cond = _contains_all(words)
    else:
        cond = Q()
    ids = _ordered_ids(qs, cond, text)
    if ids or digits is not None or not words:
        return SearchResult(qs, ids[:SEARCH_LIMIT], capped=len(ids) > SEARCH_LIMIT)
    corrected = _corrected(qs, words)
    if corrected is None:
        return SearchResult(qs, [])
    text = " ".join(corrected)
    ids = _ordered_ids(qs, _contains_all(corrected), text)
    return SearchResult(
        qs, ids[:SEARCH_LIMIT], capped=len(ids) > SEARCH_LIMIT, corrected=text if ids else ""
    )


def company_matches(qs: QuerySet[Company], q: str) -> QuerySet[Company]:
    """Every company of ``qs`` matching ``q`` exactly, in name order (exports, segments)."""
    digits = search_digits(q)
    if digits is not None:
        return qs.filter(_identity_filter(digits)).order_by(*name_order())
    words = normalise(q).split()
    if not words:
        return qs.order_by(*name_order())
    return qs.filter(_contains_all(words)).order_by(*name_order())

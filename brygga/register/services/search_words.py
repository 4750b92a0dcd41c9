"""Keeping the word list of company names (``SearchWord``) up to date.

The list lets a misspelt search be corrected to a word some name holds
(:mod:`brygga.register.search`). It is derived data: a full rebuild after an
import runs in the background worker (:func:`search_words_refresh_later`), and a
company saved through the staff pages adds its words at once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from django.db import connection, transaction

from brygga.register.models import Company, SearchWord

log = logging.getLogger(__name__)

WORD_SPLIT = re.compile(r"[\s\x1f]+")
MIN_LENGTH = 3
MAX_LENGTH = 100
BATCH = 5000
# The same split as WORD_SPLIT, set-based over the whole table.
PG_REBUILD = (
    "INSERT INTO register_searchword (word) "
    "SELECT DISTINCT w FROM register_company, "
    "regexp_split_to_table(register_company.search_text, E'[[:space:]\\x1f]+') AS w "
    "WHERE char_length(w) BETWEEN 3 AND 100 ON CONFLICT DO NOTHING"
)


def search_words_of(texts: Iterable[str]) -> set[str]:
    """The distinct words of some ``search_text`` values that the list keeps."""
    words: set[str] = set()
    for text in texts:
        words.update(w for w in WORD_SPLIT.split(text) if MIN_LENGTH <= len(w) <= MAX_LENGTH)
    return words


def search_words_add(texts: Iterable[str]) -> None:
    """Add the words of new or renamed companies (those already listed are skipped)."""
    words = search_words_of(texts)
    if words:
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in sorted(words)], ignore_conflicts=True
        )


@transaction.atomic
def search_words_refresh() -> int:
    """Rebuild the list from every company's names; returns how many words it holds.

    One transaction: searches read the old list until the new one is complete.
    """
    SearchWord.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(PG_REBUILD)
    else:
        texts = Company.objects.values_list("search_text", flat=True).iterator(chunk_size=BATCH)
        words = sorted(search_words_of(texts))
        SearchWord.objects.bulk_create([SearchWord(word=w) for w in words], batch_size=BATCH)
    return SearchWord.objects.count()


def search_words_refresh_later() -> None:
    """Queue a rebuild for the worker once the caller's transaction has committed.

    A broker that cannot be reached is logged, not raised: the import it follows
    has landed, and the list is only a search aid (``manage.py
    refresh_search_words`` rebuilds it by hand).
    """
    from brygga.register.tasks import search_words_refresh_task

    def enqueue() -> None:
        try:
            search_words_refresh_task.delay()
        except Exception:
            log.exception("could not queue the search word refresh")

    transaction.on_commit(enqueue)

"""``manage.py refresh_search_words``: rebuild the word list that corrects misspelt searches."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from brygga.register.services.search_words import search_words_refresh


class Command(BaseCommand):
    help = (
        "Rebuild the list of words in company names that misspelt searches are "
        "corrected to. The worker does this after every import."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        words = search_words_refresh()
        self.stdout.write(f"words={words}")

"""The words of all company names, for correcting misspelt searches."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchWord(models.Model):
    """One distinct word (three letters or more) of the companies' ``search_text``.

    A derived list, rebuilt by :func:`brygga.register.services.search_words.
    search_words_refresh` after imports and added to when a company is saved; a
    word that no name holds any more only costs a search that finds nothing.
    """

    word = models.CharField(_("ord"), max_length=100, primary_key=True)

    class Meta:
        verbose_name = _("sökord")
        verbose_name_plural = _("sökord")

    def __str__(self) -> str:
        return self.word

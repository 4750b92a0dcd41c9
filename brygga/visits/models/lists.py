"""The office's managed lists: kinds of visit and feedback topics.

Data, not code: the office may add, rename and retire entries. ``key`` is stable
(the import, the API and the defaults use it); ``label`` is what staff read. A
retired entry (``active`` off) is kept for the history but not offered any more.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitKind(models.Model):
    """besök, lunch, telefon, digitalt, mässa, nätverksträff, …"""

    key = models.SlugField(_("nyckel"), max_length=30, unique=True)
    label = models.CharField(_("benämning"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    active = models.BooleanField(_("används"), default=True)

    class Meta:
        verbose_name = _("typ av kontakt")
        verbose_name_plural = _("typer av kontakt")
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class Topic(models.Model):
    """A feedback topic (upphandling, bemötande, …), optionally owned by a department.

    A case officer sees the feedback on the topics of their own department.
    """

    key = models.SlugField(_("nyckel"), max_length=40, unique=True)
    label = models.CharField(_("benämning"), max_length=80, unique=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("ansvarig förvaltning"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit_topics",
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    active = models.BooleanField(_("används"), default=True)

    class Meta:
        verbose_name = _("ämne")
        verbose_name_plural = _("ämnen")
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label

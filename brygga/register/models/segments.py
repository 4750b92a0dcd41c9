from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Segment(models.Model):
    """A named, saved company filter; later used as an invitation list."""

    name = models.CharField(_("namn"), max_length=150, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    # The list filters as query parameters: {"q": "...", "town": ["Mariefred"], …}
    filters = models.JSONField(_("filter"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skapad av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("urval")
        verbose_name_plural = _("urval")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

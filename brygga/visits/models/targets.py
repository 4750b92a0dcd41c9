"""The office's yearly visit target."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitTarget(models.Model):
    """How many visits the office means to make in a year, and optionally which share
    of the active companies it means to reach (the seeds aim at about 10 %)."""

    year = models.PositiveSmallIntegerField(
        _("år"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    visits = models.PositiveIntegerField(_("antal besök"))
    coverage_percent = models.DecimalField(
        _("andel av de aktiva företagen, procent"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("besöksmål")
        verbose_name_plural = _("besöksmål")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.visits}"

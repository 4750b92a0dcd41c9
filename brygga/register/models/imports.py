from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One import of an official bulk file or a mapped extract, with its outcome."""

    class Format(models.TextChoices):
        BOLAGSVERKET = "bolagsverket", _("Bolagsverkets bulkfil")
        SCB = "scb", _("SCB:s företagsregister")
        CSV = "csv", _("CSV/XLSX med kolumnmappning")

    class State(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")

    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    file = models.FileField(_("fil"), upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("filnamn"), max_length=255)
    # For mapped CSV/XLSX: {"org_number": "Orgnr", "name": "Företagsnamn", …}
    mapping = models.JSONField(_("kolumnmappning"), default=dict, blank=True)
    # Keep only the municipality's companies: lists of postal codes and towns.
    filter_postal_codes = models.JSONField(_("postnummerfilter"), default=list, blank=True)
    filter_towns = models.JSONField(_("ortfilter"), default=list, blank=True)

    state = models.CharField(_("läge"), max_length=10, choices=State.choices, default=State.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("startad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    started_at = models.DateTimeField(_("startad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    bytes_total = models.BigIntegerField(default=0)
    bytes_done = models.BigIntegerField(default=0)

    rows_read = models.PositiveIntegerField(_("lästa rader"), default=0)
    created = models.PositiveIntegerField(_("nya"), default=0)
    updated = models.PositiveIntegerField(_("ändrade"), default=0)
    unchanged = models.PositiveIntegerField(_("oförändrade"), default=0)
    deregistered = models.PositiveIntegerField(_("avregistrerade"), default=0)
    rejected = models.PositiveIntegerField(_("avvisade"), default=0)
    filtered_out = models.PositiveIntegerField(_("utanför kommunen"), default=0)
    error = models.TextField(_("fel"), blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("importer")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_format_display()} {self.original_name}"

    @property
    def progress_percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.bytes_total:
            return 0
        return min(99, int(100 * self.bytes_done / self.bytes_total))

    @property
    def summary_line(self) -> str:
        return (
            f"created={self.created} updated={self.updated} unchanged={self.unchanged} "
            f"deregistered={self.deregistered} rejected={self.rejected}"
        )


class ImportRejection(models.Model):
    """A row the import refused, with its line number and the reason."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="rejections")
    line_no = models.PositiveIntegerField(_("rad"))
    reason = models.CharField(_("orsak"), max_length=300)
    raw = models.TextField(_("rådata"), blank=True)

    class Meta:
        verbose_name = _("avvisad rad")
        verbose_name_plural = _("avvisade rader")
        ordering = ["run", "line_no"]

    def __str__(self) -> str:
        return f"{self.line_no}: {self.reason}"

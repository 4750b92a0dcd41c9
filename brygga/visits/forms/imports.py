"""The upload form of the visit-log import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

ALLOWED_SUFFIXES = {".csv", ".txt", ".xlsx"}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class VisitImportForm(forms.Form):
    file = forms.FileField(
        label=_("Besökslogg"),
        help_text=_(
            "En CSV-fil (komma eller semikolon) eller en XLSX-fil, högst 10 MB och 20 000 rader."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(
                _("Filtypen stöds inte. Ladda upp en CSV-fil (.csv) eller en Excel-fil (.xlsx).")
            )
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _(
                    "Filen är för stor (%(size)s). Den får vara högst %(limit)s; dela upp "
                    "loggen i flera filer eller kör importen med manage.py import_visits."
                )
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
            )
        return upload

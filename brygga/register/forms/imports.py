"""The import upload form: format, file, column mapping for extracts, and filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from brygga.register.importers.mapped import MAPPABLE, REQUIRED_MAPPING
from brygga.register.models import ImportRun, SniCode

ALLOWED_SUFFIXES = {".zip", ".txt", ".csv", ".tsv", ".xlsx"}
MAPPING_LABELS = {
    "org_number": _("Kolumn för organisationsnummer"),
    "name_protection_no": _("Kolumn för namnskyddslöpnummer"),
    "name": _("Kolumn för namn"),
    "legal_form": _("Kolumn för juridisk form"),
    "street_address": _("Kolumn för gatuadress"),
    "co_address": _("Kolumn för c/o-adress"),
    "postal_code": _("Kolumn för postnummer"),
    "postal_town": _("Kolumn för postort"),
    "registered_on": _("Kolumn för registreringsdatum"),
    "sni": _("Kolumner för SNI-koder"),
    "advertising_block": _("Kolumn för reklamspärr"),
    "size_class": _("Kolumn för storleksklass"),
    "employees": _("Kolumn för antal anställda"),
    "phone": _("Kolumn för telefon"),
    "email": _("Kolumn för e-post"),
    "website": _("Kolumn för webbplats"),
}


class ImportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=ImportRun.Format.choices)
    file = forms.FileField(
        label=_("Fil"),
        help_text=_(
            "En zip-fil med en textfil, textfilen själv, eller CSV/XLSX för mappad import."
        ),
    )
    sni_system = forms.ChoiceField(
        label=_("SNI-kodverk"), choices=SniCode.System.choices, initial=SniCode.System.SNI2007
    )
    postal_codes = forms.CharField(
        label=_("Behåll bara postnummer"),
        required=False,
        help_text=_("Kommaseparerade, t.ex. 645 30, 647 30. Tomt: alla."),
    )
    towns = forms.CharField(
        label=_("Behåll bara postorter"),
        required=False,
        help_text=_("Kommaseparerade, t.ex. Strängnäs, Mariefred. Tomt: alla."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in MAPPABLE:
            self.fields[f"map_{field}"] = forms.CharField(
                label=MAPPING_LABELS[field],
                required=False,
                max_length=200,
                help_text=(
                    _("Flera kolumner skrivs med + emellan, t.ex. SNI1+SNI2.")
                    if field == "sni"
                    else ""
                ),
            )

    def mapping_fields(self) -> list[forms.BoundField]:
        return [self[f"map_{field}"] for field in MAPPABLE]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("format", "file", "sni_system", "postal_codes", "towns")]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(
                _("Filtypen stöds inte. Ladda upp .zip, .txt, .csv eller .xlsx.")
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mapping = {
            field: data.get(f"map_{field}", "").strip()
            for field in MAPPABLE
            if data.get(f"map_{field}", "").strip()
        }
        if data.get("format") == ImportRun.Format.CSV:
            for field in REQUIRED_MAPPING:
                if field not in mapping:
                    self.add_error(f"map_{field}", _("Ange kolumnen för en mappad import."))
            upload = data.get("file")
            if upload is not None and Path(upload.name).suffix.lower() == ".zip":
                self.add_error("file", _("En mappad import tar CSV eller XLSX, inte zip."))
        elif mapping:
            self.add_error(None, _("Kolumnmappning används bara för formatet CSV/XLSX."))
        data["mapping"] = mapping
        data["postal_code_list"] = _split(data.get("postal_codes", ""))
        data["town_list"] = _split(data.get("towns", ""))
        return data


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]

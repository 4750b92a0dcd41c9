"""Saving and deleting segments: named company filters used later for invitations."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from brygga.register.filters import CompanyFilters
from brygga.register.models import Segment


@transaction.atomic
def segment_create(
    *, name: str, filters: CompanyFilters, description: str = "", actor: Any = None
) -> Segment:
    if filters.is_empty:
        raise ValidationError({"filters": "Ett urval behöver minst en sökning eller ett filter."})
    segment = Segment(
        name=" ".join(name.split()),
        description=description.strip(),
        filters=filters.to_params(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    segment.full_clean()
    segment.save()
    return segment


@transaction.atomic
def segment_delete(*, segment: Segment) -> None:
    segment.delete()

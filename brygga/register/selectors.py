"""Reads of the company register: the filtered, searched and sorted company list,
one company with everything its page shows, its history, and saved segments.

The name search itself is :mod:`brygga.register.search`; Swedish name order is
:mod:`brygga.register.ordering`. The unfiltered list reads its first page straight
from the Swedish name index (migration 0002), so 300,000 companies need no sort.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from brygga.core.models import AuditEntry
from brygga.register.filters import NO, YES, CompanyFilters, filters_from
from brygga.register.identity import PERSON, mask_identity
from brygga.register.models import (
    Company,
    Contact,
    Correction,
    CorrectionLink,
    Note,
    Segment,
    SniCode,
)
from brygga.register.ordering import name_order
from brygga.register.search import SearchResult, company_matches, company_search
from brygga.register.sni import SECTIONS

LIST_FIELDS = (
    "id",
    "identity",
    "identity_kind",
    "name_protection_no",
    "name",
    "legal_form",
    "postal_town",
    "status",
    "deregistered_on",
)
HISTORY_LIMIT = 200


def company_filter(qs: QuerySet[Company], filters: CompanyFilters) -> QuerySet[Company]:
    if filters.sni and filters.sni in SECTIONS:
        divisions = SECTIONS[filters.sni].divisions
        in_section = reduce(operator.or_, (Q(code__startswith=d) for d in divisions))
        codes = SniCode.objects.filter(
            in_section, company=OuterRef("pk"), system=SniCode.System.SNI2007
        )
        qs = qs.filter(Exists(codes))
    if filters.town:
        town = " ".join(filters.town.split())
        # Exact matches keep the postal_town index usable; the variants cover how
        # registers spell towns (MARIEFRED, Mariefred, Åkers styckebruk).
        variants = {town, town.upper(), town.lower(), town.capitalize(), town.title()}
        qs = qs.filter(postal_town__in=sorted(variants))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.tag:
        tagged = Company.tags.through.objects.filter(
            company_id=OuterRef("pk"), tag__slug=filters.tag
        )
        qs = qs.filter(Exists(tagged))
    if filters.consent:
        qs = qs.filter(Exists(Contact.objects.filter(company=OuterRef("pk"), consent_mailing=True)))
    if filters.ad_block == YES:
        qs = qs.filter(advertising_block=True)
    elif filters.ad_block == NO:
        qs = qs.filter(advertising_block=False)
    return qs


def company_list(filters: CompanyFilters) -> QuerySet[Company] | SearchResult:
    """The staff list: filtered, searched and sorted; only the listed columns.

    With a search, the result is a :class:`SearchResult` (at most the search limit,
    best matches first); without one, every company of the filters in name order.
    """
    qs = company_filter(Company.objects.only(*LIST_FIELDS), filters)
    if filters.q.strip():
        return company_search(qs, filters.q)
    return qs.order_by(*name_order())


def company_export_rows(filters: CompanyFilters) -> QuerySet[Company]:
    """Every company of the list's filters and search, with what an export row needs."""
    qs = company_matches(company_filter(Company.objects.all(), filters), filters.q)
    return qs.prefetch_related(
        Prefetch("sni_codes", queryset=SniCode.objects.order_by("position", "id")), "tags"
    )


def segment_companies(segment: Segment) -> QuerySet[Company]:
    """The companies a saved segment selects today (none if its filters went stale)."""
    _form, filters = filters_from(segment.filters)
    if filters is None:
        return Company.objects.none()
    return company_matches(company_filter(Company.objects.all(), filters), filters.q)


def segment_list() -> QuerySet[Segment]:
    return Segment.objects.select_related("created_by").order_by("name")


def companies_by_key(key: str) -> QuerySet[Company]:
    """The company a URL key (``Company.url_key``) names, as a queryset (empty if none)."""
    if key.startswith("e"):
        # A sole trader, addressed by primary key so no personnummer is in the URL.
        if not key[1:].isdigit():
            return Company.objects.none()
        return Company.objects.filter(pk=int(key[1:]), identity_kind=PERSON)
    identity, _sep, number = key.partition("-")
    if not identity.isdigit() or (number and not number.isdigit()):
        return Company.objects.none()
    return Company.objects.filter(identity=identity, name_protection_no=int(number or 0))


def company_for_page(key: str, *, with_contacts: bool) -> Company | None:
    """A company with its names, codes, tags, notes (and contacts) prefetched."""
    lookups: list[Any] = [
        Prefetch("other_names"),
        Prefetch("sni_codes", queryset=SniCode.objects.order_by("position", "id")),
        Prefetch("tags"),
        Prefetch(
            "notes", queryset=Note.objects.select_related("author").order_by("-created_at", "-id")
        ),
    ]
    if with_contacts:
        lookups.append(Prefetch("contacts", queryset=Contact.objects.order_by("name", "id")))
    return companies_by_key(key).prefetch_related(*lookups).first()


@dataclass(frozen=True)
class HistoryRow:
    entry: AuditEntry
    what: str
    changes: list[tuple[str, Any, Any]]


def _field_labels() -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    for model in (Company, Contact, Note):
        labels[model._meta.label_lower] = {
            f.name: str(getattr(f, "verbose_name", f.name)) for f in model._meta.get_fields()
        }
    labels["register.company"]["tags"] = str(Company._meta.get_field("tags").verbose_name)
    return labels


def company_history(
    company: Company, *, show_personal_number: bool, limit: int = HISTORY_LIMIT
) -> list[HistoryRow]:
    """Audit entries on the company and on its contacts and notes, newest first."""
    label = Company._meta.label_lower
    pk = str(company.pk)
    entries = (
        AuditEntry.objects.filter(
            Q(subject_type=label, subject_id=pk) | Q(parent_type=label, parent_id=pk)
        )
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    labels = _field_labels()
    kinds = {
        label: str(Company._meta.verbose_name),
        Contact._meta.label_lower: str(Contact._meta.verbose_name),
        Note._meta.label_lower: str(Note._meta.verbose_name),
        Correction._meta.label_lower: str(Correction._meta.verbose_name),
        CorrectionLink._meta.label_lower: str(CorrectionLink._meta.verbose_name),
    }
    rows = []
    for entry in entries:
        field_labels = labels.get(entry.subject_type, {})
        changes = []
        for field, values in sorted(entry.changes.items()):
            old, new = [*values, None, None][:2] if isinstance(values, list) else (None, values)
            if field == "identity" and not show_personal_number:
                old, new = (_mask(v) for v in (old, new))
            # Empty and missing both read as a dash on the page.
            old, new = (None if v == "" else v for v in (old, new))
            changes.append((field_labels.get(field, field), old, new))
        what = kinds.get(entry.subject_type, entry.subject_type)
        rows.append(HistoryRow(entry=entry, what=what, changes=changes))
    return rows


def _mask(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 12 and value.isdigit():
        return mask_identity(PERSON, value)
    return value

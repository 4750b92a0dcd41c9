"""Reads for the evaluation results: per meeting (answers, averages, how the 1-5 answers
spread, the comments) and per kind over time (per year or half-year). Fixed query
counts: grouped aggregates, never a query per meeting or per kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Case, Count, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from brygga.events.models import Evaluation, Event, EventKind

SCALE = (1, 2, 3, 4, 5)


def evaluated_events() -> QuerySet[Event]:
    """Meetings with at least one answer, latest first, with count and averages."""
    return (
        Event.objects.filter(evaluations__isnull=False)
        .select_related("kind")
        .annotate(
            answers=Count("evaluations"),
            avg_overall=Avg("evaluations__overall"),
            avg_dialogue=Avg("evaluations__dialogue_time"),
        )
        .order_by("-starts_at", "-id")
    )


@dataclass(frozen=True)
class ScaleRow:
    value: int
    overall: int
    dialogue_time: int


@dataclass(frozen=True)
class EventResults:
    event: Event
    answers: int
    avg_overall: float | None
    avg_dialogue: float | None
    distribution: list[ScaleRow]
    comments: list[Evaluation] = field(default_factory=list)


def event_results(event: Event) -> EventResults:
    """Two queries: the counts in one aggregate, then the comments."""
    aggregates: dict[str, Any] = {
        "answers": Count("id"),
        "avg_overall": Avg("overall"),
        "avg_dialogue": Avg("dialogue_time"),
    }
    for value in SCALE:
        aggregates[f"o{value}"] = Count("id", filter=Q(overall=value))
        aggregates[f"d{value}"] = Count("id", filter=Q(dialogue_time=value))
    row = Evaluation.objects.filter(event=event).aggregate(**aggregates)
    comments = list(
        Evaluation.objects.filter(event=event).exclude(comment="").order_by("submitted_at", "id")
    )
    return EventResults(
        event=event,
        answers=row["answers"],
        avg_overall=row["avg_overall"],
        avg_dialogue=row["avg_dialogue"],
        distribution=[ScaleRow(v, row[f"o{v}"], row[f"d{v}"]) for v in SCALE],
        comments=comments,
    )


@dataclass
class KindPeriod:
    kind: EventKind
    year: int
    half: int | None  # 1 (January to June), 2 (July to December), None per year
    events: int = 0
    answers: int = 0
    avg_overall: float | None = None
    avg_dialogue: float | None = None

    @property
    def period(self) -> str:
        return str(self.year) if self.half is None else f"{self.year}:{self.half}"


def _half(prefix: str = "") -> Case:
    return Case(When(**{f"{prefix}starts_at__month__lte": 6}, then=Value(1)), default=Value(2))


def results_by_kind(*, per: str = "year", now: Any = None) -> list[KindPeriod]:
    """Per kind and year (or half-year): meetings held (not cancelled, already begun),
    answers and average scores. Three queries: the kinds, the meetings grouped, the
    answers grouped."""
    now = now or timezone.now()
    halves = per == "half"
    kinds = {kind.pk: kind for kind in EventKind.objects.all()}
    held = Event.objects.filter(starts_at__lte=now).exclude(status=Event.Status.CANCELLED)
    held = held.annotate(year=ExtractYear("starts_at"))
    keys = ["kind", "year"]
    if halves:
        held = held.annotate(half=_half())
        keys.append("half")
    rows: dict[tuple[Any, ...], KindPeriod] = {}
    for row in held.order_by().values(*keys).annotate(n=Count("id")):
        key = tuple(row[k] for k in keys)
        rows[key] = KindPeriod(
            kind=kinds[row["kind"]], year=row["year"], half=row.get("half"), events=row["n"]
        )
    answers = Evaluation.objects.annotate(year=ExtractYear("event__starts_at"))
    akeys = ["event__kind", "year"]
    if halves:
        answers = answers.annotate(half=_half("event__"))
        akeys.append("half")
    grouped = (
        answers.order_by()
        .values(*akeys)
        .annotate(n=Count("id"), overall=Avg("overall"), dialogue=Avg("dialogue_time"))
    )
    for row in grouped:
        key = (row["event__kind"], row["year"], *((row["half"],) if halves else ()))
        entry = rows.get(key)
        if entry is None:
            entry = rows[key] = KindPeriod(
                kind=kinds[row["event__kind"]], year=row["year"], half=row.get("half")
            )
        entry.answers = row["n"]
        entry.avg_overall = row["overall"]
        entry.avg_dialogue = row["dialogue"]
    return sorted(
        rows.values(),
        key=lambda r: (r.kind.position, r.kind.label, -r.year, -(r.half or 0)),
    )

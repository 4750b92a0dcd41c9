"""Writing imported visits in bulk: the rows, links and audit entries that
:func:`brygga.visits.services.visits.visit_create` writes for each visit, inserted with
``executemany`` (about twenty times faster than one ``visit_create`` per row, see
``bench/visits_import.py``). Called inside the import's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.db import connection
from django.utils import timezone

from brygga.accounts.models import User
from brygga.core.models import AuditEntry
from brygga.visits.import_rows import Lists, ParsedRow
from brygga.visits.models import Feedback, Visit, VisitCompany
from brygga.visits.versions import VISITS_VERSION

WRITE_BATCH = 1000

T = TypeVar("T")


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _insert(model: Any, fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert plain values: no model instances, no per-value field preparation (the
    callers adapt dates and JSON themselves). ``COPY`` on PostgreSQL (its
    ``executemany`` costs a round of the protocol per row), ``executemany`` on SQLite
    (one prepared statement, in process)."""
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608  (model names only)
    with connection.cursor() as cursor:
        for batch in chunks(rows, WRITE_BATCH):
            cursor.executemany(sql, batch)


VISIT_FIELDS = (
    "date",
    "kind",
    "status",
    "politicians",
    "other_participants",
    "notes",
    "rating",
    "created_by",
    "imported",
    "created_at",
    "updated_at",
)


def _insert_visits(params: list[tuple[Any, ...]]) -> list[int]:
    """Insert the visits; their ids, in the order given."""
    if not params:
        return []
    table = Visit._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(params)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        _insert(Visit, ("id", *VISIT_FIELDS), ((pk, *p) for pk, p in zip(ids, params, strict=True)))
        return ids
    # SQLite: the first insert takes the database's one write lock until the end of the
    # transaction, and AUTOINCREMENT ids only grow, so the newest ids are ours, in order.
    _insert(Visit, VISIT_FIELDS, params)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {connection.ops.quote_name(table)} ORDER BY id DESC LIMIT %s",  # noqa: S608
            [len(params)],
        )
        return [row[0] for row in reversed(cursor.fetchall())]


def audit_changes(row: ParsedRow) -> dict[str, list[Any]]:
    """What ``visit_create`` logs for a new visit (``diff({}, snapshot(visit,
    VISIT_EDITABLE))`` plus its companies), built from the row without a model
    instance. ``test_import`` checks that the two agree."""
    values: dict[str, Any] = {
        "date": row.date.isoformat(),
        "kind": str(row.kind),
        "status": Visit.Status.HELD.value,
        "politicians": "",
        "other_participants": row.others,
        "notes": row.notes,
        "rating": None,
    }
    changes = {key: [None, values[key]] for key in sorted(values) if values[key] is not None}
    changes["companies"] = [None, [row.company_id]]
    return changes


AUDIT_FIELDS = (
    "at",
    "actor",
    "via",
    "action",
    "subject_type",
    "subject_id",
    "subject_repr",
    "parent_type",
    "parent_id",
    "changes",
)
FEEDBACK_FIELDS = (
    "visit",
    "company",
    "topic",
    "sentiment",
    "text",
    "area",
    "activity",
    "created_at",
)


def visits_write(rows: list[ParsedRow], lists: Lists, *, actor: User | None, via: str) -> None:
    """Write ``rows`` as held, imported visits: the rows, links and audit entries that
    ``visit_create`` writes, inserted in bulk."""
    if not rows:
        return
    VISITS_VERSION.changed()
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    actor_id = actor.pk if actor is not None else None
    held = Visit.Status.HELD.value
    # In the order of VISIT_FIELDS: no politicians or rating in a log; imported.
    tail = (None, actor_id, True, now, now)
    ids = _insert_visits(
        [
            (
                ops.adapt_datefield_value(row.date),
                row.kind.pk,
                held,
                "",
                row.others,
                row.notes,
                *tail,
            )
            for row in rows
        ]
    )
    pairs = list(zip(ids, rows, strict=True))
    _insert(VisitCompany, ("visit", "company"), ((pk, row.company_id) for pk, row in pairs))
    _insert(
        Visit.staff.through,
        ("visit", "user"),
        ((pk, user.pk) for pk, row in pairs for user in row.staff),
    )
    fallback_id = 0
    if any(topic is None for row in rows for topic, _word in row.topics):
        fallback_id = lists.fallback_topic().pk
    neutral = Feedback.Sentiment.NEUTRAL.value
    _insert(
        Feedback,
        FEEDBACK_FIELDS,
        (
            (pk, row.company_id, topic.pk if topic else fallback_id, neutral, word, None, None, now)
            for pk, row in pairs
            for topic, word in row.topics
        ),
    )
    encoder = AuditEntry._meta.get_field("changes").encoder
    create, subject_type = AuditEntry.Action.CREATE.value, Visit._meta.label_lower
    _insert(
        AuditEntry,
        AUDIT_FIELDS,
        (
            (
                *(now, actor_id, via[:100], create, subject_type, str(pk)),
                f"{row.kind} {row.date:%Y-%m-%d}"[:200],  # str(visit)
                *("", ""),  # no parent, as visit_create
                ops.adapt_json_value(audit_changes(row), encoder),
            )
            for pk, row in pairs
        ),
    )

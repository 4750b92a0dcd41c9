"""One row of a visit log, checked and matched against the office's lists.

Turns a :class:`~brygga.visits.import_reading.RawRow` into a :class:`ParsedRow` (org
number, date and kind valid; staff, notes and topics matched) or a
:class:`RowProblem` with the line and a Swedish reason. Nothing here writes; the
company itself is looked up later, in batches, by :mod:`brygga.visits.services.imports`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from stdnum.se import personnummer

from brygga.accounts.models import User
from brygga.core.text import clean_public_text
from brygga.register import identity as ident
from brygga.register.importers.records import fast_identity
from brygga.visits import defaults
from brygga.visits.import_reading import RawRow
from brygga.visits.models import Topic, Visit, VisitKind
from brygga.visits.services.lists import topic_save

OTHERS_MAX = Visit._meta.get_field("other_participants").max_length or 300
EARLIEST_YEAR = 1900
PERSONNUMMER_LIKE = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+ ]?\d{4}(?!\d)")
DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


@dataclass(frozen=True)
class RowProblem:
    line_no: int
    reason: str


@dataclass
class ParsedRow:
    line_no: int
    identities: tuple[str, ...]  # the digits Company.identity may hold
    shown: str  # the number as messages may show it (a personnummer masked)
    date: dt.date
    kind: VisitKind
    staff: list[User]
    others: str
    notes: str
    topics: list[tuple[Topic | None, str]]  # None: the fallback topic, with the word
    company_id: int = 0


class Lists:
    """The kinds, topics and users, read once per import (retired entries and
    inactive users too: historic logs name them)."""

    def __init__(self) -> None:
        self.kinds: dict[str, VisitKind] = {}
        for kind in VisitKind.objects.all():
            self.kinds.setdefault(kind.key.casefold(), kind)
            self.kinds.setdefault(kind.label.casefold(), kind)
        self.topics: dict[str, Topic] = {}
        for topic in Topic.objects.all():
            self.topics.setdefault(topic.key.casefold(), topic)
            self.topics.setdefault(topic.label.casefold(), topic)
        self.by_email: dict[str, User] = {}
        self.by_name: dict[str, list[User]] = {}
        for user in User.objects.only("id", "email", "full_name"):
            self.by_email[user.email.casefold()] = user
            self.by_name.setdefault(_name_key(user.full_name), []).append(user)
        self.kind_names = ", ".join(k.label.lower() for k in VisitKind.objects.filter(active=True))

    def fallback_topic(self) -> Topic:
        topic = Topic.objects.filter(key=defaults.FALLBACK_TOPIC).first()
        if topic is None:
            label_text = dict(defaults.TOPICS)[defaults.FALLBACK_TOPIC]
            topic = self.topics.get(label_text.casefold()) or topic_save(
                topic=None,
                data={"key": defaults.FALLBACK_TOPIC, "label": label_text, "position": 99},
                via="import",
            )
        return topic


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _clean(value: Any, *, multiline: bool = True) -> str:
    """:func:`clean_public_text`, with a fast path for the common text that has
    nothing to clean but spaces (no control, format or unnormalised characters)."""
    text = _text(value)
    if text.isprintable() and unicodedata.is_normalized("NFC", text):
        return " ".join(text.split())
    return clean_public_text(text, multiline=multiline)


def _short(value: str, limit: int = 40) -> str:
    """A cell's text as a message may quote it: short, and with anything shaped like a
    personnummer masked (a file's columns may be mixed up)."""
    value = PERSONNUMMER_LIKE.sub(r"\1-****", " ".join(value.split()))
    return value if len(value) <= limit else value[: limit - 1] + "\N{HORIZONTAL ELLIPSIS}"


def _identity(raw: Any) -> tuple[tuple[str, ...], str]:
    """The identities to look for and how to show the number; raises ValueError
    with the reason."""
    text = _text(raw).strip()
    if not text:
        raise ValueError("organisationsnummer saknas")
    if len(text) == 11 and text[6] == "-":
        text = text[:6] + text[7:]
    try:
        identity = fast_identity(text)
    except ident.IdentityError as exc:
        raise ValueError(f"ogiltigt organisationsnummer: {exc}") from None
    digits = identity.digits
    if identity.kind == ident.PERSON:
        return (digits,), ident.mask_identity(identity.kind, digits)
    if digits[2] in "01" and "01" <= digits[2:4] <= "12" and _day_like(digits[4:6]):
        # A legal person's number has 20 or more in the middle pair; with a date in
        # front, this is a sole trader's personnummer written with ten digits (the
        # register keeps twelve). Try both centuries, and show it masked.
        persons = tuple(
            f"{century}{digits}"
            for century in ("19", "20")
            if personnummer.is_valid(f"{century}{digits}")
        )
        if persons:
            return (digits, *persons), f"{digits[:6]}-****"
    return (digits,), ident.format_identity(identity.kind, digits)


def _day_like(dd: str) -> bool:
    """A personnummer's day (01-31), or a samordningsnummer's (61-91)."""
    return "01" <= dd <= "31" or "61" <= dd <= "91"


def _date(raw: Any, today: dt.date) -> dt.date:
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    else:
        text = _text(raw).strip()
        if not text:
            raise ValueError("datum saknas")
        match = DATE_RE.fullmatch(text)
        if match is None:
            raise ValueError(
                f"ogiltigt datum \N{LEFT-POINTING DOUBLE ANGLE QUOTATION MARK}"
                f"{_short(text)}\N{RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK}"
                ", skriv ÅÅÅÅ-MM-DD"
            )
        try:
            value = dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            raise ValueError(f"datumet {text[:10]} finns inte") from None
    if value.year < EARLIEST_YEAR:
        raise ValueError(f"datumet {value:%Y-%m-%d} är orimligt tidigt")
    if value > today:
        raise ValueError(
            f"datumet {value:%Y-%m-%d} ligger i framtiden; bara genomförda besök importeras"
        )
    return value


def _kind(raw: Any, lists: Lists) -> VisitKind:
    text = " ".join(_text(raw).split())
    if not text:
        raise ValueError("typ saknas")
    kind = lists.kinds.get(text.casefold())
    if kind is None:
        raise ValueError(
            f"okänd typ \N{LEFT-POINTING DOUBLE ANGLE QUOTATION MARK}{_short(text)}"
            f"\N{RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK} (finns: {lists.kind_names})"
        )
    return kind


def _words(value: Any) -> list[str]:
    seen: dict[str, str] = {}
    for part in _text(value).split(";"):
        word = _clean(part, multiline=False)
        if word and word.casefold() not in seen:
            seen[word.casefold()] = word
    return list(seen.values())


def _staff(raw: Any, lists: Lists) -> tuple[list[User], list[str]]:
    users: dict[int, User] = {}
    others: list[str] = []
    for word in _words(raw):
        if "@" in word:
            user = lists.by_email.get(word.casefold())
            matches = [user] if user else []
        else:
            matches = lists.by_name.get(_name_key(word), [])
        if len(matches) == 1:
            users[matches[0].pk] = matches[0]
        else:
            others.append(word)
    return list(users.values()), others


def _topics(raw: Any, lists: Lists) -> list[tuple[Topic | None, str]]:
    found: dict[object, tuple[Topic | None, str]] = {}
    for word in _words(raw):
        topic = lists.topics.get(word.casefold())
        if topic is not None:
            found.setdefault(topic.pk, (topic, ""))
        else:
            found.setdefault(word.casefold(), (None, word))
    return list(found.values())


def parse_row(raw: RawRow, lists: Lists, today: dt.date) -> ParsedRow | RowProblem:
    if raw.error:
        return RowProblem(raw.line_no, raw.error)
    reasons: list[str] = []
    identities: tuple[str, ...] = ()
    shown = ""
    when = today
    kind: VisitKind | None = None
    try:
        identities, shown = _identity(raw.cell("org_number"))
    except ValueError as exc:
        reasons.append(str(exc))
    try:
        when = _date(raw.cell("date"), today)
    except ValueError as exc:
        reasons.append(str(exc))
    try:
        kind = _kind(raw.cell("kind"), lists)
    except ValueError as exc:
        reasons.append(str(exc))
    if reasons or kind is None:
        return RowProblem(raw.line_no, "; ".join(reasons))
    staff, others = _staff(raw.cell("staff"), lists)
    notes = _clean(raw.cell("notes"))
    others_text = ", ".join(others)
    if len(others_text) > OTHERS_MAX:
        # Too long for the field: keep every name, in the notes.
        notes = f"{notes}\n\nÖvriga deltagare: {others_text}".strip()
        others_text = ""
    return ParsedRow(
        line_no=raw.line_no,
        identities=identities,
        shown=shown,
        date=when,
        kind=kind,
        staff=staff,
        others=others_text,
        notes=notes,
        topics=_topics(raw.cell("topics"), lists),
    )

"""Repeating meetings: a series' recurrence rule and the occurrences made from it.

The rule (RFC 5545 RRULE, parsed and expanded by dateutil) is read in
Europe/Stockholm wall-clock time from the series' first start, so the politician
lunch stays at 12:00 in summer and winter. Occurrences are made ahead
(``BRYGGA_EVENT_SERIES_MONTHS``) as Events of their own, each with its own
registrations; the worker extends every series regularly. Each keeps the start the
rule gave it (``recurrence_id``) when moved; a cancelled one stays as a cancelled
Event, so it is never made again and the calendar shows it as an exception.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import vRecur

from brygga.core.audit import audit_record, diff, snapshot
from brygga.core.models import AuditEntry
from brygga.events.links import uid_domain
from brygga.events.models import Event, Question, Series
from brygga.events.models.events import SHARED_FIELDS
from brygga.events.services.events import event_slug

SERIES_EDITABLE = (*SHARED_FIELDS, "first_start", "duration", "rule")
ALLOWED_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
# A rule that yields more than this in the horizon is a mistake, not a meeting series.
MAX_PER_EXTEND = 400


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


UNTIL = re.compile(r"UNTIL=(\d{8})(?:T(\d{6}))?(Z?)", re.IGNORECASE)


def _until(text: str, *, to_utc: bool) -> str:
    """``text`` with its UNTIL in UTC (``to_utc``: RFC 5545 asks for UTC when DTSTART
    has a time zone) or in Stockholm wall time (how the rule is expanded here).

    An UNTIL without Z is Stockholm time; a date alone means the end of that day.
    """
    match = UNTIL.search(text)
    if match is None:
        return text
    day, time, zulu = match.groups()
    try:
        moment = dt.datetime.strptime(day + (time or "235959"), "%Y%m%d%H%M%S")
    except ValueError:
        raise ValidationError({"rule": _("UNTIL är inget giltigt datum.")}) from None
    moment = moment.replace(tzinfo=dt.UTC if zulu else _tz())
    if to_utc:
        value = moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    else:
        value = moment.astimezone(_tz()).strftime("%Y%m%dT%H%M%S")
    return text[: match.start()] + "UNTIL=" + value + text[match.end() :]


def rule_parse(rule: str, first_start: dt.datetime) -> rrule:
    """The dateutil rule for ``rule`` from ``first_start``, in Stockholm wall time (so
    12:00 stays 12:00 across daylight saving time).

    Raises ValidationError (on ``rule``) for text that is not an RRULE value, or one
    that repeats more often than daily.
    """
    text = rule_normalise(rule)
    if not text or "\n" in text or "DTSTART" in text.upper() or " " in text:
        raise ValidationError({"rule": _("Skriv en regel som FREQ=MONTHLY;BYDAY=2FR.")})
    start = first_start.astimezone(_tz()).replace(tzinfo=None)
    try:
        parsed = rrulestr(_until(text, to_utc=False), dtstart=start)
    except (ValueError, TypeError, IndexError, KeyError):
        raise ValidationError(
            {
                "rule": _(
                    "Regeln går inte att läsa. Skriv den som i RFC 5545, till exempel "
                    "FREQ=MONTHLY;BYDAY=2FR (andra fredagen varje månad)."
                )
            }
        ) from None
    if not isinstance(parsed, rrule) or _parts(text).get("FREQ") not in ALLOWED_FREQUENCIES:
        raise ValidationError(
            {"rule": _("Mötet kan upprepas dagligen, veckovis, månadsvis eller årligen.")}
        )
    return parsed


def rule_normalise(rule: str) -> str:
    """The RRULE value without its ``RRULE:`` prefix, its UNTIL in UTC."""
    text = rule.strip()
    text = text[6:] if text.upper().startswith("RRULE:") else text
    return _until(text, to_utc=True)


def occurrences_between(
    series_rule: str, first_start: dt.datetime, after: dt.datetime, until: dt.datetime
) -> list[dt.datetime]:
    """The rule's starts in [after, until], as aware datetimes."""
    parsed = rule_parse(series_rule, first_start)
    tz = _tz()
    lo = after.astimezone(tz).replace(tzinfo=None)
    hi = until.astimezone(tz).replace(tzinfo=None)
    starts = parsed.between(lo, hi, inc=True)
    return [start.replace(tzinfo=tz) for start in starts]


def horizon(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) + relativedelta(months=settings.BRYGGA_EVENT_SERIES_MONTHS)


@transaction.atomic
def series_create(*, data: Mapping[str, Any], actor: Any = None, via: str = "") -> Series:
    """A new series and its occurrences up to the horizon.

    ``data``: the shared fields, ``first_start`` (aware), ``duration`` (timedelta),
    ``rule`` (RRULE value), and optionally ``registration_open`` for the occurrences.
    The first start moves to the rule's first occurrence at or after it.
    """
    data = dict(data)
    registration_open = bool(data.pop("registration_open", True))
    unknown = set(data) - set(SERIES_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    series = Series(uid=f"{uuid.uuid4().hex}@{uid_domain()}")
    if getattr(actor, "pk", None):
        series.created_by = actor
    for field, value in data.items():
        setattr(series, field, value)
    series.rule = rule_normalise(series.rule or "")
    if series.first_start is None:
        raise ValidationError({"first_start": _("Ange när mötet äger rum första gången.")})
    if series.duration is None or series.duration <= dt.timedelta(0):
        raise ValidationError({"duration": _("Ett möte måste vara längre än noll minuter.")})
    parsed = rule_parse(series.rule, series.first_start)
    first = parsed.after(series.first_start.astimezone(_tz()).replace(tzinfo=None), inc=True)
    if first is None:
        raise ValidationError({"rule": _("Regeln ger inga tillfällen efter första starten.")})
    series.first_start = first.replace(tzinfo=_tz())
    series.full_clean()
    series.save()
    audit_record(
        action=AuditEntry.Action.CREATE,
        subject=series,
        changes=diff({}, snapshot(series, SERIES_EDITABLE)),
        actor=actor,
        via=via,
    )
    series_extend(series=series, registration_open=registration_open)
    return series


def _occurrence(series: Series, start: dt.datetime, registration_open: bool) -> Event:
    event = Event(
        series=series,
        recurrence_id=start,
        starts_at=start,
        ends_at=start + series.duration,
        uid=f"{uuid.uuid4().hex}@{uid_domain()}",
        slug=event_slug(series.title),
        registration_open=registration_open,
        created_by=series.created_by,
    )
    for field in SHARED_FIELDS:
        setattr(event, field, getattr(series, field))
    return event


@transaction.atomic
def series_extend(
    *, series: Series, until: dt.datetime | None = None, registration_open: bool = True
) -> int:
    """Make the series' missing occurrences up to ``until`` (default: the horizon,
    ``BRYGGA_EVENT_SERIES_MONTHS`` ahead).

    Safe to repeat: an occurrence is made once per rule start (cancelled ones are
    kept, so they are not made again). New occurrences get the questions of the
    latest one before them. Returns how many were made.
    """
    series = Series.objects.select_for_update().get(pk=series.pk)
    if series.ended:
        return 0
    # From now (a series entered late gets no past occurrences) to the horizon, counted
    # from its first start when that is further ahead.
    after = max(series.first_start, timezone.now())
    until = until or horizon(after)
    existing = set(series.occurrences.values_list("recurrence_id", flat=True))
    starts = [
        start
        for start in occurrences_between(series.rule, series.first_start, after, until)
        if start not in existing
    ][:MAX_PER_EXTEND]
    if not starts:
        return 0
    template = series.occurrences.order_by("-recurrence_id").prefetch_related("questions").first()
    questions = list(template.questions.all()) if template is not None else []
    made = [_occurrence(series, start, registration_open) for start in starts]
    for event in made:
        event.full_clean(exclude=["series"])
    Event.objects.bulk_create(made)
    if questions:
        saved = Event.objects.filter(series=series, recurrence_id__in=starts)
        Question.objects.bulk_create(
            Question(
                event=event,
                label=q.label,
                help_text=q.help_text,
                kind=q.kind,
                choices=q.choices,
                required=q.required,
                position=q.position,
            )
            for event in saved
            for q in questions
        )
    return len(made)


def series_extend_all() -> int:
    """Extend every running series to the horizon (the worker, periodically)."""
    return sum(
        series_extend(series=series) for series in Series.objects.filter(ended=False).order_by("id")
    )


ORDINALS = {"1": "första", "2": "andra", "3": "tredje", "4": "fjärde", "5": "femte", "-1": "sista"}
WEEKDAYS = {
    "MO": "måndag",
    "TU": "tisdag",
    "WE": "onsdag",
    "TH": "torsdag",
    "FR": "fredag",
    "SA": "lördag",
    "SU": "söndag",
}
NTH_WEEKDAY = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")


def _parts(rule: str) -> dict[str, Any]:
    """The rule's parts by name (``{"FREQ": "MONTHLY", "BYDAY": ["2FR"], …}``), as
    icalendar reads them; single values unwrapped except BYDAY."""
    try:
        recur = vRecur.from_ical(rule_normalise(rule))
    except (ValueError, ValidationError):
        return {}
    parts: dict[str, Any] = {}
    for key, values in recur.items():
        parts[key] = [str(v) for v in values] if key == "BYDAY" else values[0]
    return parts


def rule_describe(rule: str) -> str:
    """The rule in Swedish words, for the common cases ("varje månad, andra fredagen")."""
    parts = _parts(rule)
    freq = parts.get("FREQ")
    interval = int(parts.get("INTERVAL", 1))
    days = [NTH_WEEKDAY.match(day) for day in parts.get("BYDAY", [])]
    plain = set(parts) <= {"FREQ", "INTERVAL", "BYDAY", "UNTIL", "COUNT", "WKST"}
    if plain and freq == "MONTHLY" and len(days) == 1 and days[0] and days[0].group(1):
        nth = days[0].group(1).lstrip("+")
        if nth in ORDINALS:
            every = _("varje månad") if interval == 1 else _("var %(n)s:e månad") % {"n": interval}
            return f"{every}, {ORDINALS[nth]} {WEEKDAYS[days[0].group(2)]}en"
    if plain and freq == "WEEKLY" and days and all(d and not d.group(1) for d in days):
        every = _("varje vecka") if interval == 1 else _("var %(n)s:e vecka") % {"n": interval}
        names = " och ".join(WEEKDAYS[d.group(2)] for d in days if d)
        return f"{every} på {names}"
    if plain and freq == "DAILY" and interval == 1 and not days:
        return _("varje dag")
    return _("enligt regeln %(rule)s") % {"rule": rule_normalise(rule)}

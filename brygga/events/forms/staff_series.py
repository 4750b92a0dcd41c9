"""The staff form for a repeating meeting (a series): the meeting's fields, the first
start, the length, and the repetition, chosen in words or written as an RFC 5545 rule.

The simple choices build the rule ("Varje månad, andra fredagen" is
``FREQ=MONTHLY;BYDAY=2FR``); an advanced rule is checked with dateutil's parser, the
same library that expands it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brygga.events.forms.staff import add_common_fields, datetime_field
from brygga.events.services.series import rule_parse

WEEKDAYS = [
    ("MO", _("måndag")),
    ("TU", _("tisdag")),
    ("WE", _("onsdag")),
    ("TH", _("torsdag")),
    ("FR", _("fredag")),
    ("SA", _("lördag")),
    ("SU", _("söndag")),
]
ORDINALS = [
    ("1", _("första")),
    ("2", _("andra")),
    ("3", _("tredje")),
    ("4", _("fjärde")),
    ("-1", _("sista")),
]
MONTHLY, WEEKLY, ADVANCED = "manad", "vecka", "regel"
REPEATS = [
    (MONTHLY, _("Varje månad, på en viss veckodag (välj vilken nedan)")),
    (WEEKLY, _("Varje vecka, på veckodagen nedan")),
    (ADVANCED, _("Egen regel (RRULE enligt RFC 5545)")),
]
RULE_MAX = 300
UNREADABLE = _(
    "Regeln går inte att läsa. Den skrivs som FREQ=… följt av delar åtskilda med "
    "semikolon, utan mellanslag, till exempel FREQ=MONTHLY;BYDAY=2FR."
)


def parse_rule(text: str, first_start: dt.datetime | None = None) -> str:
    """The rule as stored (no ``RRULE:`` prefix, upper case), or ValidationError with
    a message in Swedish."""
    rule = " ".join(text.split()).upper()
    if rule.startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    if not rule:
        raise forms.ValidationError(_("Skriv en regel, till exempel FREQ=MONTHLY;BYDAY=2FR."))
    if len(rule) > RULE_MAX:
        raise forms.ValidationError(_("Regeln är för lång."))
    if "DTSTART" in rule:
        raise forms.ValidationError(
            _("Skriv bara själva regeln, utan DTSTART, till exempel FREQ=WEEKLY;BYDAY=TU.")
        )
    if " " in rule:
        raise forms.ValidationError(UNREADABLE)
    # Read as the series reads it: Stockholm wall-clock time from the first start.
    start = first_start or timezone.now()
    try:
        parsed = rule_parse(rule, start)
    except ValidationError as exc:
        messages: list[Any] = list(
            exc.message_dict.get("rule", exc.messages)
            if hasattr(exc, "error_dict")
            else exc.messages
        )
        if "UNTIL" in rule:
            messages.append(
                _("Ange UNTIL som ett datum, till exempel UNTIL=20261231 (till och med den dagen).")
            )
        raise forms.ValidationError(messages) from exc
    naive = timezone.localtime(start).replace(tzinfo=None)
    if parsed.after(naive, inc=True) is None:
        raise forms.ValidationError(_("Regeln ger inget tillfälle efter första starten."))
    return rule


class SeriesForm(forms.Form):
    """A series: what every occurrence gets, when it starts, how long, how often."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_common_fields(self)
        self.fields["first_start"] = datetime_field(
            _("Första tillfället"),
            help_text=_("Datum och klockslag för det första mötet. Klockslaget gäller alla."),
        )
        self.fields["duration_minutes"] = forms.IntegerField(
            label=_("Längd i minuter"),
            min_value=5,
            max_value=24 * 60,
            initial=60,
            error_messages={
                "required": _("Ange hur länge mötet pågår, i minuter."),
                "invalid": _("Ange längden som ett heltal minuter, till exempel 90."),
                "min_value": _("Ett möte är minst 5 minuter."),
                "max_value": _("Ett möte i en serie är högst ett dygn (1440 minuter)."),
            },
        )
        self.fields["repeat"] = forms.ChoiceField(
            label=_("Upprepning"),
            choices=REPEATS,
            initial=MONTHLY,
            widget=forms.RadioSelect,
            error_messages={"required": _("Välj hur mötet upprepas.")},
        )
        self.fields["ordinal"] = forms.ChoiceField(
            label=_("Vilken i månaden"), choices=ORDINALS, initial="2", required=False
        )
        self.fields["weekday"] = forms.ChoiceField(
            label=_("Veckodag"), choices=WEEKDAYS, initial="FR", required=False
        )
        self.fields["rule"] = forms.CharField(
            label=_("Egen regel"),
            required=False,
            max_length=RULE_MAX,
            help_text=_(
                "Bara för ”Egen regel”. Till exempel FREQ=MONTHLY;INTERVAL=3;BYDAY=1TU "
                "(första tisdagen var tredje månad) eller FREQ=WEEKLY;BYDAY=MO;COUNT=10."
            ),
        )
        self.fields["registration_open"] = forms.BooleanField(
            label=_("Anmälan är öppen"), required=False, initial=True
        )
        order = ["kind", "title", "description", "first_start", "duration_minutes"]
        order += ["repeat", "ordinal", "weekday", "rule"]
        order += [n for n in self.fields if n not in order]
        self.order_fields(order)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        repeat = data.get("repeat")
        weekday = data.get("weekday") or "FR"
        if repeat == MONTHLY:
            data["rule_text"] = f"FREQ=MONTHLY;BYDAY={data.get('ordinal') or '1'}{weekday}"
        elif repeat == WEEKLY:
            data["rule_text"] = f"FREQ=WEEKLY;BYDAY={weekday}"
        elif repeat == ADVANCED and "rule" not in self.errors:
            try:
                data["rule_text"] = parse_rule(data.get("rule") or "", data.get("first_start"))
            except forms.ValidationError as exc:
                self.add_error("rule", exc)
        return data

    def series_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        out = {name: data[name] for name in self.fields if name in data}
        for name in ("duration_minutes", "repeat", "ordinal", "weekday"):
            out.pop(name, None)
        out["duration"] = dt.timedelta(minutes=data["duration_minutes"])
        out["rule"] = data["rule_text"]
        return out

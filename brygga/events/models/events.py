"""Events (meetings) and the repeating series some of them belong to.

An :class:`Event` is one meeting at one time: a breakfast meeting in Mariefred, a
dialogue meeting with the restaurants, one month's politician lunch. A
:class:`Series` holds an RFC 5545 recurrence rule (the politician lunch: monthly on
the second Friday); its occurrences are Events of their own, made ahead by
:func:`brygga.events.services.series.series_extend`, so that each has its own
registrations, and one can be moved or cancelled on its own. An occurrence keeps
the start the rule gave it (``recurrence_id``), which the calendar feed writes as
RECURRENCE-ID when the occurrence was moved.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def default_reminder_hours() -> int:
    return int(settings.BRYGGA_EVENT_REMINDER_HOURS)


class EventKind(models.Model):
    """frukostmöte, dialogmöte, politikerlunch, …: a managed list (data, not code)."""

    key = models.SlugField(_("nyckel"), max_length=30, unique=True)
    label = models.CharField(_("benämning"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    active = models.BooleanField(_("används"), default=True)

    class Meta:
        verbose_name = _("typ av möte")
        verbose_name_plural = _("typer av möten")
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class EventFields(models.Model):
    """What an event and a series have in common (the series' values are its occurrences')."""

    kind = models.ForeignKey(
        EventKind, verbose_name=_("typ"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    locality = models.CharField(
        _("ort"), max_length=100, blank=True, help_text=_("Till exempel Mariefred.")
    )
    place = models.CharField(
        _("plats"), max_length=200, blank=True, help_text=_("Lokalens namn, till exempel Rådhuset.")
    )
    address = models.CharField(_("adress"), max_length=200, blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kontaktperson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Den på kommunen som deltagarna kan vända sig till."),
    )
    capacity = models.PositiveIntegerField(
        _("antal platser"), null=True, blank=True, help_text=_("Lämna tomt om antalet är fritt.")
    )
    public = models.BooleanField(
        _("offentligt"),
        default=True,
        help_text=_("Visas på webben. Annars kan bara inbjudna anmäla sig."),
    )
    regulatory = models.BooleanField(
        _("myndighetsinformation"),
        default=False,
        help_text=_(
            "Mötet gäller regler som företagen berörs av. Inbjudan går då även till "
            "företag med reklamspärr."
        ),
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("påminnelse (timmar före)"),
        default=default_reminder_hours,
        help_text=_("0 betyder ingen påminnelse."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skapad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def where(self) -> str:
        """Place, address and locality as one line (the calendar's LOCATION)."""
        return ", ".join(part for part in (self.place, self.address, self.locality) if part)


# The fields an event and a series share (EventFields' own), in the forms' order:
# what a series gives each occurrence.
SHARED_FIELDS = (
    "kind",
    "title",
    "description",
    "locality",
    "place",
    "address",
    "organiser",
    "capacity",
    "public",
    "regulatory",
    "reminder_hours",
)


class Series(EventFields):
    """A repeating event: a recurrence rule and what each occurrence gets.

    ``rule`` is an RFC 5545 RRULE value without the ``RRULE:`` prefix, read in
    Europe/Stockholm wall-clock time from ``first_start`` (so the lunch stays at
    12:00 across daylight saving time).
    """

    first_start = models.DateTimeField(_("första tillfället"))
    duration = models.DurationField(_("längd"))
    rule = models.CharField(
        _("upprepning"), max_length=300, help_text=_("En regel enligt RFC 5545 (RRULE).")
    )
    uid = models.CharField(max_length=120, unique=True)
    # The calendar's SEQUENCE: raised whenever the series' time or place changes.
    sequence = models.PositiveIntegerField(default=0)
    ended = models.BooleanField(_("avslutad"), default=False)

    class Meta:
        verbose_name = _("mötesserie")
        verbose_name_plural = _("mötesserier")
        ordering = ["title", "id"]


class Event(EventFields):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Planerat")
        CANCELLED = "cancelled", _("Inställt")

    slug = models.SlugField(_("kortnamn"), max_length=120)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    registration_open = models.BooleanField(_("anmälan öppen"), default=True)
    registration_deadline = models.DateTimeField(_("sista anmälningsdag"), null=True, blank=True)

    series = models.ForeignKey(
        Series,
        verbose_name=_("serie"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="occurrences",
    )
    # The start the series' rule gave this occurrence (RECURRENCE-ID), kept when it is moved.
    recurrence_id = models.DateTimeField(null=True, blank=True)

    uid = models.CharField(max_length=120, unique=True)
    sequence = models.PositiveIntegerField(default=0)

    reminders_sent_at = models.DateTimeField(null=True, blank=True)
    evaluations_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="events_event_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["series", "recurrence_id"],
                condition=Q(series__isnull=False),
                name="events_event_one_per_recurrence",
            ),
        ]
        indexes = [
            models.Index(fields=["public", "starts_at"], name="events_event_public_idx"),
            models.Index(fields=["starts_at"], name="events_event_starts_idx"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("events:event", kwargs={"pk": self.pk, "slug": self.slug})

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Mötet måste sluta efter att det har börjat.")
        if (
            self.starts_at
            and self.registration_deadline
            and self.registration_deadline > self.starts_at
        ):
            errors["registration_deadline"] = _(
                "Sista anmälningsdag kan inte vara efter att mötet har börjat."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def moved(self) -> bool:
        return self.recurrence_id is not None and self.recurrence_id != self.starts_at


class Question(models.Model):
    """A question of the event's own on its registration form (dietary needs, a one-minute slot)."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Fritext")
        YES_NO = "yes_no", _("Ja eller nej")
        CHOICE = "choice", _("Ett av flera svar")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("fråga"), max_length=200)
    help_text = models.CharField(_("förklaring"), max_length=300, blank=True)
    kind = models.CharField(_("svarstyp"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(
        _("svarsalternativ"), blank=True, help_text=_("Ett alternativ per rad.")
    )
    required = models.BooleanField(_("obligatorisk"), default=False)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("fråga")
        verbose_name_plural = _("frågor")
        ordering = ["event", "position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

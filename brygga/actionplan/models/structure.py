"""The action plan itself: programs with goals, improvement areas, activities with a
status, and each activity's public timeline."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Path segments the public URLs use for pages of their own (/handlingsplan/sok/, …),
# so a program or area may not take them as its slug.
RESERVED_SLUGS = frozenset({"sok", "flode", "ny-ide", "ideer", "prenumerera", "kommentera"})


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("”%(slug)s” används redan av en sida på webbplatsen; välj ett annat kortnamn."),
            params={"slug": value},
            code="reserved",
        )


class ActivityStatus(models.Model):
    """A status an activity can have. Data, not code: the office may add its own.

    ``key`` is stable (the API and the default set use it); ``label`` is what the
    public reads; ``progress`` (0 to 100) says how far an activity in it has come.
    """

    key = models.SlugField(_("nyckel"), max_length=30, unique=True)
    label = models.CharField(_("benämning"), max_length=60)
    progress = models.PositiveSmallIntegerField(
        _("hur långt kommen, i procent"), validators=[MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    description = models.CharField(_("förklaring"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("status")
        verbose_name_plural = _("statusar")
        ordering = ["position", "label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="actionplan_status_progress_max_100"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Program(models.Model):
    """An improvement program ("Topp 50-2017") or a business strategy with goals."""

    class Source(models.TextChoices):
        SURVEY = "survey", _("Undersökning bland företagen")
        DECISION = "decision", _("Politiskt beslut")
        DIALOGUE = "dialogue", _("Dialog med näringslivet")
        OTHER = "other", _("Annat")

    title = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(
        _("kortnamn i adressen"),
        max_length=80,
        unique=True,
        validators=[validate_slug_not_reserved],
    )
    summary = models.CharField(_("ingress"), max_length=400, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    period_start = models.DateField(_("gäller från"), null=True, blank=True)
    period_end = models.DateField(_("gäller till"), null=True, blank=True)
    source = models.CharField(
        _("var programmet kommer ifrån"), max_length=10, choices=Source.choices, blank=True
    )
    source_detail = models.CharField(
        _("underlag eller beslut"),
        max_length=300,
        blank=True,
        help_text=_("Till exempel ”Företagarundersökning 2013” eller ”KF 2014-03-24 § 45”."),
    )
    # Comments and ideas wait for a moderator before they are shown.
    premoderate = models.BooleanField(
        _("granska kommentarer och idéer före publicering"), default=False
    )
    published = models.BooleanField(_("publicerat"), default=False)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")
        ordering = ["position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="actionplan_program_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actionplan:program", kwargs={"program": self.slug})

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("Slutdatum kan inte vara före startdatum.")})


class Goal(models.Model):
    """A goal under a program (Lerum's Inflytande, Kreativitet, Hållbarhet)."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(_("mål"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    target = models.CharField(
        _("mätbart mål"),
        max_length=300,
        blank=True,
        help_text=_("Till exempel ”Topp 5 i Svenskt Näringslivs ranking under mandatperioden”."),
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["program", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Area(models.Model):
    """An improvement area (förbättringsområde) of a program."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="areas"
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("mål"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="areas",
    )
    title = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(
        _("kortnamn i adressen"), max_length=80, validators=[validate_slug_not_reserved]
    )
    summary = models.CharField(_("ingress"), max_length=400, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    published = models.BooleanField(_("publicerat"), default=False)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)

    class Meta:
        verbose_name = _("förbättringsområde")
        verbose_name_plural = _("förbättringsområden")
        ordering = ["program", "position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["program", "slug"], name="actionplan_area_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Reads ``program``: select it with the area."""
        return reverse("actionplan:area", kwargs={"program": self.program.slug, "area": self.slug})

    def clean(self) -> None:
        if self.goal_id is not None and self.program_id is not None:
            goal = self.goal
            if goal is not None and goal.program_id != self.program_id:
                raise ValidationError({"goal": _("Målet hör till ett annat program.")})


class Activity(models.Model):
    """An activity (aktivitet) in an improvement area, with its current status."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("förbättringsområde"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    title = models.CharField(_("namn"), max_length=250)
    slug = models.SlugField(
        _("kortnamn i adressen"), max_length=100, validators=[validate_slug_not_reserved]
    )
    status = models.ForeignKey(
        ActivityStatus, verbose_name=_("status"), on_delete=models.PROTECT, related_name="+"
    )
    status_text = models.TextField(_("statustext"), blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    further_info = models.TextField(_("ytterligare information"), blank=True)
    # The public contact: a staff member's name, title, e-mail and phone.
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kontaktperson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actionplan_activities",
    )
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    published = models.BooleanField(_("publicerad"), default=False)
    # When it was first published: the date of its "added" timeline entry.
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["area", "position", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "slug"], name="actionplan_activity_slug_unique"
            ),
            # Its public timeline starts at publication.
            models.CheckConstraint(
                condition=Q(published=False) | Q(published_at__isnull=False),
                name="actionplan_activity_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="actionplan_activity_dates_order",
            ),
        ]
        indexes = [models.Index(fields=["area", "status"], name="actionplan_activity_status_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Reads ``area`` and its ``program``: select them with the activity."""
        return reverse(
            "actionplan:activity",
            kwargs={
                "program": self.area.program.slug,
                "area": self.area.slug,
                "activity": self.slug,
            },
        )

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Slutdatum kan inte vara före startdatum.")})


class ActivityUpdate(models.Model):
    """A dated entry on an activity's public timeline.

    Written by the services whenever an activity is published (``added``), changes
    status (``status``) or gets a public update (``update``). Subscribers are told
    about entries with ``notify``; ``notified_at`` records that the notifications
    were written to the outbox, so the fan-out is done exactly once even if the
    task that does it runs twice or is lost.
    """

    class Kind(models.TextChoices):
        ADDED = "added", _("Ny aktivitet")
        STATUS = "status", _("Ny status")
        UPDATE = "update", _("Uppdatering")

    activity = models.ForeignKey(
        Activity, verbose_name=_("aktivitet"), on_delete=models.CASCADE, related_name="updates"
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("datum"), default=timezone.now, db_index=True)
    status = models.ForeignKey(
        ActivityStatus,
        verbose_name=_("status"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    previous_status = models.ForeignKey(
        ActivityStatus,
        verbose_name=_("tidigare status"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("text"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skriven av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notify = models.BooleanField(_("meddela prenumeranter"), default=True)
    notified_at = models.DateTimeField(_("prenumeranter meddelade"), null=True, blank=True)

    class Meta:
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=Q(notify=True, notified_at__isnull=True),
                name="actionplan_update_fanout_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.activity}"

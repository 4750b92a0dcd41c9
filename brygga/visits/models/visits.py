"""Visits (and other contacts) with companies, what was heard, and what follows."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Visit(models.Model):
    """A visit or other contact with one or more companies on one day.

    A *planned* visit is on the calendar; a *held* one happened and counts towards
    the year's target and coverage.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerat")
        HELD = "held", _("Genomfört")
        CANCELLED = "cancelled", _("Inställt")

    date = models.DateField(_("datum"))
    kind = models.ForeignKey(
        "visits.VisitKind", verbose_name=_("typ"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.HELD
    )
    companies = models.ManyToManyField(
        "register.Company",
        verbose_name=_("företag"),
        through="visits.VisitCompany",
        related_name="visits",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deltagare från kommunen"),
        blank=True,
        related_name="visits",
    )
    # Free text: politicians are not users of the system, and historic logs name
    # staff who have left.
    politicians = models.CharField(_("politiker som deltog"), max_length=300, blank=True)
    other_participants = models.CharField(_("övriga deltagare"), max_length=300, blank=True)
    notes = models.TextField(_("interna anteckningar"), blank=True)
    rating = models.PositiveSmallIntegerField(
        _("hur gick mötet (1\N{EN DASH}5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported = models.BooleanField(_("importerat"), default=False)
    created_at = models.DateTimeField(_("registrerat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)

    class Meta:
        verbose_name = _("besök")
        verbose_name_plural = _("besök")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="visits_visit_rating_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["date", "status"], name="visits_visit_date_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.date:%Y-%m-%d}"


class VisitCompany(models.Model):
    """A company taking part in a visit."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="visit_companies")
    company = models.ForeignKey(
        "register.Company", on_delete=models.CASCADE, related_name="visit_links"
    )

    class Meta:
        verbose_name = _("besökt företag")
        verbose_name_plural = _("besökta företag")
        constraints = [
            models.UniqueConstraint(fields=["visit", "company"], name="visits_company_once"),
        ]
        indexes = [
            models.Index(fields=["company", "visit"], name="visits_vc_company_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} i {self.visit_id}"


class Feedback(models.Model):
    """Something a company said in a visit (a *synpunkt*), on a topic, with its tone."""

    class Sentiment(models.TextChoices):
        POSITIVE = "positive", _("Positiv")
        NEGATIVE = "negative", _("Negativ")
        NEUTRAL = "neutral", _("Neutral")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="feedback")
    # Which of the visit's companies said it; empty when the visit had several and
    # it was said by all of them.
    company = models.ForeignKey(
        "register.Company",
        verbose_name=_("företag"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit_feedback",
    )
    topic = models.ForeignKey(
        "visits.Topic", verbose_name=_("ämne"), on_delete=models.PROTECT, related_name="feedback"
    )
    sentiment = models.CharField(
        _("ton"), max_length=10, choices=Sentiment.choices, default=Sentiment.NEUTRAL
    )
    text = models.TextField(_("synpunkt"), blank=True)
    area = models.ForeignKey(
        "actionplan.Area",
        verbose_name=_("förbättringsområde"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit_feedback",
    )
    activity = models.ForeignKey(
        "actionplan.Activity",
        verbose_name=_("aktivitet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit_feedback",
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("synpunkt")
        verbose_name_plural = _("synpunkter")
        ordering = ["-visit__date", "-id"]

    def __str__(self) -> str:
        return f"{self.topic}: {self.text[:60]}"


class FollowUp(models.Model):
    """A task that came out of a visit, with an owner and a due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Öppen")
        DONE = "done", _("Klar")
        CANCELLED = "cancelled", _("Struken")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="follow_ups")
    title = models.CharField(_("vad ska göras"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig"),
        on_delete=models.PROTECT,
        related_name="visit_follow_ups",
    )
    due_on = models.DateField(_("klart senast"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.TextField(_("resultat"), blank=True)
    done_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    # Set when the reminder is queued, so each follow-up is reminded once per due date.
    reminded_for = models.DateField(_("påmind inför"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="visits_followup_due_idx"),
            models.Index(fields=["owner", "status"], name="visits_followup_owner_idx"),
        ]

    def __str__(self) -> str:
        return self.title

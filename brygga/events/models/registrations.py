"""Who comes: invitations, registrations (with the waitlist) and evaluations.

A :class:`Registration` holds a seat (``confirmed``), waits for one
(``waitlisted``, first come first served by ``id``) or was withdrawn
(``cancelled``). Its ``token`` is the personal link to cancel and, after the
event, to evaluate it, without logging in.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brygga.events.models.events import Event


class InvitationBatch(models.Model):
    """One sending of invitations by staff: to a saved segment, a tag or a locality."""

    class Target(models.TextChoices):
        SEGMENT = "segment", _("Sparat urval")
        TAG = "tag", _("Etikett")
        LOCALITY = "locality", _("Ort")

    class State(models.TextChoices):
        QUEUED = "queued", _("Köad")
        DONE = "done", _("Klar")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitation_batches")
    target = models.CharField(_("mottagare"), max_length=10, choices=Target.choices)
    segment = models.ForeignKey(
        "register.Segment",
        verbose_name=_("urval"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tag = models.ForeignKey(
        "register.Tag",
        verbose_name=_("etikett"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    locality = models.CharField(_("ort"), max_length=100, blank=True)
    # What was chosen, in words, kept when the segment or tag is later renamed or deleted.
    description = models.CharField(_("beskrivning"), max_length=300)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    invited = models.PositiveIntegerField(_("inbjudna"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skickad av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    done_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("utskick av inbjudningar")
        verbose_name_plural = _("utskick av inbjudningar")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.description


class Invitation(models.Model):
    """One contact invited to one event; an address is invited to an event once."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    batch = models.ForeignKey(InvitationBatch, on_delete=models.CASCADE, related_name="invitations")
    contact = models.ForeignKey(
        "register.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    company = models.ForeignKey(
        "register.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=150)
    email = models.EmailField(_("e-post"))
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("inbjuden"), auto_now_add=True)

    class Meta:
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="events_invitation_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Anmäld")
        WAITLISTED = "waitlisted", _("På väntelistan")
        CANCELLED = "cancelled", _("Avanmäld")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    name = models.CharField(_("namn"), max_length=150)
    email = models.EmailField(_("e-post"))
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    company = models.ForeignKey(
        "register.Company",
        verbose_name=_("företag i registret"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    # The company as the visitor wrote it (a name or an org number).
    company_text = models.CharField(_("företag"), max_length=300, blank=True)
    # {"<question id>": {"label": "...", "answer": "..."}}: the label is kept with the answer.
    answers = models.JSONField(_("svar"), default=dict, blank=True)
    consent_contact = models.BooleanField(_("vill bli kontaktad"), default=False)
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True)

    created_at = models.DateTimeField(_("anmäld"), auto_now_add=True)
    seat_granted_at = models.DateTimeField(_("fick plats"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("avanmäld"), null=True, blank=True)
    attended_at = models.DateTimeField(_("närvarande"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    evaluation_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("anmälan")
        verbose_name_plural = _("anmälningar")
        ordering = ["event", "id"]
        constraints = [
            # One live registration per address and event (the address is stored lower-cased).
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="events_registration_once",
            )
        ]
        indexes = [models.Index(fields=["event", "status", "id"], name="events_reg_status_idx")]

    def __str__(self) -> str:
        return f"{self.name} \N{EN DASH} {self.event}"

    @property
    def attended(self) -> bool:
        return self.attended_at is not None


class Evaluation(models.Model):
    """An attendee's answer to the short evaluation after the event (no login)."""

    SCALE = (MinValueValidator(1), MaxValueValidator(5))

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="evaluation"
    )
    # Kept with the answer so results per event and kind read one table.
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="evaluations")
    overall = models.PositiveSmallIntegerField(_("helhetsbetyg"), validators=SCALE)
    dialogue_time = models.PositiveSmallIntegerField(
        _("fanns det tillräckligt med tid för dialog?"), validators=SCALE
    )
    comment = models.TextField(_("kommentar"), blank=True)
    submitted_at = models.DateTimeField(_("inskickad"), auto_now_add=True)

    class Meta:
        verbose_name = _("utvärdering")
        verbose_name_plural = _("utvärderingar")
        ordering = ["event", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    overall__gte=1, overall__lte=5, dialogue_time__gte=1, dialogue_time__lte=5
                ),
                name="events_evaluation_scale",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.overall}/5"

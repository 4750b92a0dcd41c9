from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who changed what and when, with old and new values.

    ``subject`` is the changed object; ``parent`` is the object whose history page
    should show the change too (a contact's company, for instance). Both are plain
    ``"app.model"`` labels and string primary keys so that every app can log here
    without core depending on it.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Skapad")
        UPDATE = "update", _("Ändrad")
        DELETE = "delete", _("Borttagen")
        ERASE = "erase", _("Anonymiserad")

    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utförd av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # How the change came in when no staff member made it: "import #12", "självservice".
    via = models.CharField(_("via"), max_length=100, blank=True)
    action = models.CharField(_("händelse"), max_length=10, choices=Action.choices)
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=40)
    subject_repr = models.CharField(_("objekt"), max_length=200)
    parent_type = models.CharField(max_length=60, blank=True)
    parent_id = models.CharField(max_length=40, blank=True)
    changes = models.JSONField(_("ändringar"), default=dict, blank=True)

    class Meta:
        verbose_name = _("logghändelse")
        verbose_name_plural = _("logghändelser")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="audit_subject_idx"),
            models.Index(fields=["parent_type", "parent_id"], name="audit_parent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.subject_repr}"


class OutboxMessage(models.Model):
    """One e-mail to one recipient, written in the transaction of the change that causes it.

    The worker delivers it (``brygga.core.outbox_delivery``): it claims a batch with a
    lease, sends each message and marks it sent on its own, so a worker that dies
    leaves at most the message in flight undecided. ``message_id`` is fixed when the
    message is written, so every attempt carries the same Message-ID header.
    ``dedupe_key`` lets a fan-out that runs twice write each message once.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Väntar")
        SENDING = "sending", _("Skickas")
        SENT = "sent", _("Skickat")
        FAILED = "failed", _("Misslyckades")

    class Priority(models.IntegerChoices):
        # Someone is waiting at the screen for it (a confirmation link, a password reset):
        # it goes before a fan-out of 10,000 notifications queued a moment earlier.
        NOW = 0, _("Direkt")
        BULK = 5, _("Massutskick")

    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    # What caused it, for staff: "actionplan.notification", "register.correction_link", …
    kind = models.CharField(_("typ"), max_length=60)
    to = models.CharField(_("mottagare"), max_length=254)
    subject = models.CharField(_("ämne"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("extra huvuden"), default=dict, blank=True)
    # Text attachments: [{"filename": "mote.ics", "content_type": "text/calendar; …",
    # "content": "BEGIN:VCALENDAR…"}] (a meeting's calendar entry).
    attachments = models.JSONField(_("bilagor"), default=list, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    # Bodies holding access links (password reset, correction links) are emptied once sent.
    sensitive = models.BooleanField(_("känsligt innehåll"), default=False)

    priority = models.PositiveSmallIntegerField(
        _("prioritet"), choices=Priority.choices, default=Priority.NOW
    )
    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"), default=timezone.now)
    claim = models.UUIDField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("senaste försök"), null=True, blank=True)
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)
    last_error = models.TextField(_("senaste fel"), blank=True)

    class Meta:
        verbose_name = _("utgående e-post")
        verbose_name_plural = _("utgående e-post")
        ordering = ["-id"]
        indexes = [
            # The worker's two questions: what is due, and whose lease ran out.
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["state", "lease_until"], name="outbox_lease_idx"),
            models.Index(fields=["kind", "state"], name="outbox_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

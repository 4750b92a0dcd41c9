from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from brygga.register.models.company import Company


class CorrectionLink(models.Model):
    """A signed, expiring link through which a company corrects its own details.

    Only a hash of the token is stored; the token itself exists only in the e-mail.
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="correction_links")
    email = models.EmailField(_("skickad till"))
    token_hash = models.CharField(max_length=64, unique=True)
    requested_by_company = models.BooleanField(_("begärd av företaget"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skickad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    expires_at = models.DateTimeField(_("giltig till"))
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)

    class Meta:
        verbose_name = _("rättelselänk")
        verbose_name_plural = _("rättelselänkar")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.company} → {self.email}"


class Correction(models.Model):
    """Changes a company proposed through a correction link, waiting for staff review.

    ``changes`` holds ``{"company": {field: [old, new]}, "contacts": [{"id": …,
    "action": "update"|"create"|"delete", "changes": {field: [old, new]}}]}``.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Väntar på granskning")
        APPROVED = "approved", _("Godkänd")
        REJECTED = "rejected", _("Avslagen")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="corrections")
    link = models.ForeignKey(
        CorrectionLink, null=True, on_delete=models.SET_NULL, related_name="corrections"
    )
    submitted_at = models.DateTimeField(_("inskickad"), auto_now_add=True)
    submitted_by_email = models.EmailField(_("inskickad av"))
    changes = models.JSONField(_("ändringar"), default=dict)
    state = models.CharField(_("läge"), max_length=10, choices=State.choices, default=State.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granskad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("granskad"), null=True, blank=True)
    review_comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("rättelse")
        verbose_name_plural = _("rättelser")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["state"], name="register_correction_state_idx")]

    def __str__(self) -> str:
        return f"{self.company} ({self.get_state_display()})"

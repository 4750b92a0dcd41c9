from __future__ import annotations

from django.conf import settings
from django.db import models
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

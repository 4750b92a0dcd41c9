from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from brygga.register.models.company import Company


class ConsentSource(models.TextChoices):
    STAFF = "staff", _("Registrerat av personal")
    SELF_SERVICE = "self_service", _("Företagets egen ändring")
    IMPORT = "import", _("Import")
    REGISTRATION = "registration", _("Anmälan till möte")
    OTHER = "other", _("Annat")


class Contact(models.Model):
    """A contact person at a company, with two separate consents.

    Processing consent covers keeping the person in the register; mailing consent
    covers invitations and newsletters. Each records where it came from and when.
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("namn"), max_length=150)
    role = models.CharField(_("roll"), max_length=150, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)

    consent_processing = models.BooleanField(_("samtycke till behandling"), default=False)
    consent_processing_source = models.CharField(
        _("källa för samtycke till behandling"),
        max_length=20,
        choices=ConsentSource.choices,
        blank=True,
    )
    consent_processing_at = models.DateTimeField(
        _("tidpunkt för samtycke till behandling"), null=True, blank=True
    )
    consent_mailing = models.BooleanField(_("samtycke till utskick"), default=False)
    consent_mailing_source = models.CharField(
        _("källa för samtycke till utskick"),
        max_length=20,
        choices=ConsentSource.choices,
        blank=True,
    )
    consent_mailing_at = models.DateTimeField(
        _("tidpunkt för samtycke till utskick"), null=True, blank=True
    )

    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")
        ordering = ["company", "name", "id"]
        indexes = [models.Index(fields=["email"], name="register_contact_email_idx")]

    def __str__(self) -> str:
        return self.name

"""E-mail subscriptions to areas and programs."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from brygga.actionplan.models.structure import Area, Program


class Subscriber(models.Model):
    """An e-mail address that follows one or more areas or programs.

    ``token`` opens the page where the subscriber manages everything; it is in every
    e-mail we send them, so it is stored as is (we need it to write those e-mails).
    The address is removed with its last subscription.
    """

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Direkt när något händer")
        WEEKLY = "weekly", _("En sammanfattning i veckan")

    email = models.EmailField(_("e-postadress"), unique=True)
    token = models.CharField(max_length=64, unique=True)
    frequency = models.CharField(
        _("hur ofta"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    # The weekly digest covers what happened after this.
    last_digest_at = models.DateTimeField(_("senaste sammanfattning"), null=True, blank=True)

    class Meta:
        verbose_name = _("prenumerant")
        verbose_name_plural = _("prenumeranter")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="actionplan_subscriber_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return _("Prenumerant %(id)s") % {"id": self.pk}


class Subscription(models.Model):
    """One subscriber following one area or one whole program.

    Not in force until ``confirmed_at`` is set by the link mailed to the address
    (double opt-in). ``token`` is the subscription's one-click unsubscribe key.
    """

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("prenumerant"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("förbättringsområde"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)

    class Meta:
        verbose_name = _("prenumeration")
        verbose_name_plural = _("prenumerationer")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(program__isnull=True, area__isnull=False)
                | Q(program__isnull=False, area__isnull=True),
                name="actionplan_subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "area"],
                condition=Q(area__isnull=False),
                name="actionplan_subscription_area_unique",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "program"],
                condition=Q(program__isnull=False),
                name="actionplan_subscription_program_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["area"],
                condition=Q(confirmed_at__isnull=False),
                name="actionplan_sub_area_idx",
            ),
            models.Index(
                fields=["program"],
                condition=Q(confirmed_at__isnull=False),
                name="actionplan_sub_program_idx",
            ),
        ]

    def __str__(self) -> str:
        target = self.area if self.area_id else self.program
        return _("Prenumeration på %(target)s") % {"target": target}

    @property
    def target(self) -> Area | Program | None:
        return self.area if self.area_id else self.program

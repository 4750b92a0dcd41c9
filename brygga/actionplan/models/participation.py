"""What the public writes: comments on activities and ideas within areas."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brygga.actionplan.models.structure import Activity, Area

NAME_MAX = 100
TEXT_MAX = 4000
TITLE_MAX = 200
REASON_MAX = 500


class Contribution(models.Model):
    """What comments and ideas share: a named author with a verified e-mail address,
    plain text, moderation and a public answer from staff.

    Nothing is shown before the author has clicked the link mailed to them
    (``unverified``); after that it is ``published`` at once, or ``pending`` a
    moderator when the program is pre-moderated. A moderator may ``hide`` it with a
    reason, which the public sees in its place.
    """

    class State(models.TextChoices):
        UNVERIFIED = "unverified", _("Väntar på bekräftelse av e-postadressen")
        PENDING = "pending", _("Väntar på granskning")
        PUBLISHED = "published", _("Publicerad")
        HIDDEN = "hidden", _("Dold")

    name = models.CharField(_("namn"), max_length=NAME_MAX)
    # Required of visitors (the form); emptied when the person is erased (person_erase).
    email = models.EmailField(_("e-postadress"), blank=True)
    text = models.TextField(_("text"), validators=[MaxLengthValidator(TEXT_MAX)])
    state = models.CharField(
        _("status"), max_length=12, choices=State.choices, default=State.UNVERIFIED
    )
    created_at = models.DateTimeField(_("skriven"), auto_now_add=True)
    verified_at = models.DateTimeField(_("e-postadress bekräftad"), null=True, blank=True)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    # SHA-256 of the verification link's token; the token itself is only in the e-mail.
    token_hash = models.CharField(max_length=64, unique=True)
    hidden_reason = models.CharField(
        _("skäl till att den är dold"), max_length=REASON_MAX, blank=True
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granskad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("granskad"), null=True, blank=True)
    reply_text = models.TextField(
        _("svar från kommunen"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    reply_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("svar av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply_at = models.DateTimeField(_("svarade"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.state in (self.State.PUBLISHED, self.State.HIDDEN)


class Comment(Contribution):
    activity = models.ForeignKey(
        Activity, verbose_name=_("aktivitet"), on_delete=models.CASCADE, related_name="comments"
    )

    class Meta:
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["activity", "state"], name="actionplan_comment_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="hidden") | ~Q(hidden_reason=""),
                name="actionplan_comment_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        # No author name: this is what the audit log keeps about the comment.
        return _("Kommentar %(id)s") % {"id": self.pk}


class Idea(Contribution):
    """An idea proposed within an area, with the public answer to it ("you said, we did")."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Mottagen")
        CONSIDERING = "considering", _("Under behandling")
        ACTIVITY = "activity", _("Blev en aktivitet")
        DECLINED = "declined", _("Genomförs inte")

    area = models.ForeignKey(
        Area, verbose_name=_("förbättringsområde"), on_delete=models.CASCADE, related_name="ideas"
    )
    title = models.CharField(_("rubrik"), max_length=TITLE_MAX)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    status_reason = models.TextField(
        _("motivering"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("aktiviteten den blev"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    status_changed_at = models.DateTimeField(_("status ändrad"), null=True, blank=True)

    class Meta:
        verbose_name = _("idé")
        verbose_name_plural = _("idéer")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["area", "state"], name="actionplan_idea_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="hidden") | ~Q(hidden_reason=""),
                name="actionplan_idea_hidden_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="activity") | Q(activity__isnull=False),
                name="actionplan_idea_activity_is_linked",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(status_reason=""),
                name="actionplan_idea_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

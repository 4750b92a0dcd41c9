"""The moderation queue and the page where staff publish, hide, answer and (for an
idea) set the public status. Administrators and business developers only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from brygga.actionplan import selectors_participation as selectors
from brygga.actionplan.forms.moderation import HideForm, IdeaStatusForm, ReplyForm
from brygga.actionplan.models import Comment, Contribution, Idea
from brygga.actionplan.permissions import ActionPlanPerm
from brygga.actionplan.services import participation as svc
from brygga.core.permissions import require

State = Contribution.State
PUBLISH, HIDE, REPLY, STATUS = "publicera", "dolj", "svara", "status"


@require(ActionPlanPerm.MODERATE)
@require_GET
def moderation(request: HttpRequest) -> HttpResponse:
    return render(
        request, "actionplan/staff/moderation.html", {"queue": selectors.moderation_queue()}
    )


@dataclass
class _Page:
    """The forms of the moderation page: fresh, or the one just sent with its errors."""

    contribution: Comment | Idea
    hide: HideForm = field(init=False)
    reply: ReplyForm = field(init=False)
    status: IdeaStatusForm | None = field(init=False)

    def __post_init__(self) -> None:
        c = self.contribution
        self.hide = HideForm(initial={"reason": c.hidden_reason})
        self.reply = ReplyForm(initial={"text": c.reply_text})
        self.status = None
        if isinstance(c, Idea):
            self.status = IdeaStatusForm(
                initial=IdeaStatusForm.initial_for(c),
                activities=selectors.program_activities(c),
            )

    def context(self) -> dict[str, Any]:
        c = self.contribution
        return {
            "contribution": c,
            "verified": c.state != State.UNVERIFIED,
            "can_publish": c.state in (State.PENDING, State.HIDDEN),
            "hide_form": self.hide,
            "reply_form": self.reply,
            "status_form": self.status,
            "public_url": _public_url(c),
        }


def _public_url(contribution: Comment | Idea) -> str | None:
    if not contribution.is_public:
        return None
    if isinstance(contribution, Comment):
        return f"{contribution.activity.get_absolute_url()}#kommentar-{contribution.pk}"
    return svc.idea_path(contribution)


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    """The service's errors on the form's fields where it has them, else above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _noun(contribution: Comment | Idea) -> str:
    return _("Kommentaren") if isinstance(contribution, Comment) else _("Idén")


def _act(request: HttpRequest, page: _Page) -> bool:
    """Carry out the action the POST asks for; True when done (and a message is queued)."""
    c = page.contribution
    action = request.POST.get("action")
    user = request.user
    form: forms.Form | None = None
    try:
        if action == PUBLISH:
            svc.contribution_publish(contribution=c, actor=user)
            messages.success(request, _("%(what)s är publicerad.") % {"what": _noun(c)})
            return True
        if action == HIDE:
            form = page.hide = HideForm(request.POST)
            if form.is_valid():
                svc.contribution_hide(
                    contribution=c, reason=form.cleaned_data["reason"], actor=user
                )
                messages.success(
                    request,
                    _("%(what)s är dold. Skälet visas öppet i dess ställe.") % {"what": _noun(c)},
                )
                return True
            return False
        if action == REPLY:
            form = page.reply = ReplyForm(request.POST)
            if form.is_valid():
                had_reply = bool(c.reply_text)
                svc.contribution_reply(contribution=c, text=form.cleaned_data["text"], actor=user)
                if c.reply_text:
                    messages.success(request, _("Svaret är publicerat."))
                elif had_reply:
                    messages.success(request, _("Svaret är borttaget."))
                else:
                    messages.info(request, _("Det fanns inget svar att ta bort."))
                return True
            return False
        if action == STATUS and isinstance(c, Idea):
            return _set_status(request, page, c)
    except ValidationError as exc:
        c.refresh_from_db()
        if form is None:
            messages.error(request, " ".join(exc.messages))
        else:
            _add_errors(form, exc)
        return False
    messages.error(request, _("Välj något att göra med inlägget."))
    return False


def _set_status(request: HttpRequest, page: _Page, idea: Idea) -> bool:
    form = page.status = IdeaStatusForm(request.POST, activities=selectors.program_activities(idea))
    if not form.is_valid():
        return False
    before = (idea.status, idea.status_reason, idea.activity_id)
    try:
        svc.idea_set_status(
            idea=idea,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            activity=form.cleaned_data["activity"],
            actor=request.user,
        )
    except ValidationError as exc:
        idea.refresh_from_db()
        _add_errors(form, exc)
        return False
    if before == (idea.status, idea.status_reason, idea.activity_id):
        messages.info(request, _("Inget ändrades."))
    elif before[0] != idea.status or before[2] != idea.activity_id:
        messages.success(
            request,
            _("Idén har nu statusen ”%(status)s”. Förslagsställaren får besked med e-post.")
            % {"status": idea.get_status_display()},
        )
    else:
        messages.success(request, _("Motiveringen är ändrad."))
    return True


def _moderate(request: HttpRequest, contribution: Comment | Idea, template: str) -> HttpResponse:
    page = _Page(contribution)
    if request.method == "POST" and _act(request, page):
        return redirect(request.path)
    return render(request, template, page.context())


@require(ActionPlanPerm.MODERATE)
@require_http_methods(["GET", "POST"])
def comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(selectors.comments_for_moderation(), pk=pk)
    return _moderate(request, comment, "actionplan/staff/comment_moderate.html")


@require(ActionPlanPerm.MODERATE)
@require_http_methods(["GET", "POST"])
def idea_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(selectors.ideas_for_moderation(), pk=pk)
    return _moderate(request, idea, "actionplan/staff/idea_moderate.html")


urlpatterns = [
    path("hantera/handlingsplan/granskning/", moderation, name="staff_moderation"),
    path("hantera/handlingsplan/kommentarer/<int:pk>/", comment_moderate, name="staff_comment"),
    path("hantera/handlingsplan/ideer/<int:pk>/", idea_moderate, name="staff_idea"),
]

"""The public's comments and ideas: the forms, the "check your e-mail" pages, and the
links in the e-mail that publish what was written.

Thin: the public selectors find what may be commented on, the services write. A
comment or idea is stored only after the form is valid, the honeypot is empty and
neither the visitor's address nor the e-mail address has hit its rate limit.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from brygga.actionplan.forms.public import CommentForm, IdeaForm
from brygga.actionplan.models import Activity, Area, Comment, Contribution, Idea
from brygga.actionplan.selectors import public_activities, public_areas
from brygga.actionplan.selectors_participation import comment_for_token, idea_for_token
from brygga.actionplan.services import participation as svc
from brygga.core import ratelimit
from brygga.core.public_form import public_form_post

State = Contribution.State
# Both forms share the limits: per client IP (the decorator) and per e-mail address,
# so neither rotating addresses nor rotating IPs floods anyone's inbox.
RATE_ACTION = "actionplan_participation"
RATE_ACTION_EMAIL = "actionplan_participation_email"


def _activity_or_404(program: str, area: str, activity: str) -> Activity:
    return get_object_or_404(
        public_activities().select_related("area__program"),
        area__program__slug=program,
        area__slug=area,
        slug=activity,
    )


def _area_or_404(program: str, area: str) -> Area:
    return get_object_or_404(
        public_areas().select_related("program"), program__slug=program, slug=area
    )


# ---------------------------------------------------------------- submitting


@require_http_methods(["GET", "POST"])
@ratelimit.rate_limit(RATE_ACTION)
def comment_create(request: HttpRequest, program: str, area: str, activity: str) -> HttpResponse:
    target = _activity_or_404(program, area, activity)
    sent = reverse(
        "actionplan:comment_sent", kwargs={"program": program, "area": area, "activity": activity}
    )
    form = CommentForm(request.POST if request.method == "POST" else None)
    answered = public_form_post(
        request,
        form,
        lambda data: svc.comment_submit(
            activity=target, name=data["name"], email=data["email"], text=data["text"]
        ),
        done_url=sent,
        email_rate_action=RATE_ACTION_EMAIL,
    )
    if answered is not None:
        return answered
    return render(
        request,
        "actionplan/public/comment_create.html",
        {"activity": target, "area": target.area, "program": target.area.program, "form": form},
    )


@require_GET
def comment_sent(request: HttpRequest, program: str, area: str, activity: str) -> HttpResponse:
    target = _activity_or_404(program, area, activity)
    return render(
        request,
        "actionplan/public/comment_sent.html",
        {
            "activity": target,
            "premoderate": target.area.program.premoderate,
            "days": settings.BRYGGA_VERIFY_LINK_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
@ratelimit.rate_limit(RATE_ACTION)
def idea_create(request: HttpRequest, program: str, area: str) -> HttpResponse:
    target = _area_or_404(program, area)
    sent = reverse("actionplan:idea_sent", kwargs={"program": program, "area": area})
    form = IdeaForm(request.POST if request.method == "POST" else None)
    answered = public_form_post(
        request,
        form,
        lambda data: svc.idea_submit(
            area=target,
            name=data["name"],
            email=data["email"],
            title=data["title"],
            text=data["text"],
        ),
        done_url=sent,
        email_rate_action=RATE_ACTION_EMAIL,
    )
    if answered is not None:
        return answered
    return render(
        request,
        "actionplan/public/idea_create.html",
        {"area": target, "program": target.program, "form": form},
    )


@require_GET
def idea_sent(request: HttpRequest, program: str, area: str) -> HttpResponse:
    target = _area_or_404(program, area)
    return render(
        request,
        "actionplan/public/idea_sent.html",
        {
            "area": target,
            "premoderate": target.program.premoderate,
            "days": settings.BRYGGA_VERIFY_LINK_DAYS,
        },
    )


# ---------------------------------------------------------------- verifying


def _public_url(contribution: Comment | Idea) -> str | None:
    """Where the public reads it, if its page is public."""
    if isinstance(contribution, Comment):
        activity = contribution.activity
        if not public_activities().filter(pk=activity.pk).exists():
            return None
        return f"{activity.get_absolute_url()}#kommentar-{contribution.pk}"
    if not public_areas().filter(pk=contribution.area_id).exists():
        return None
    return svc.idea_path(contribution)


def _verify(request: HttpRequest, kind: str, contribution: Comment | Idea | None) -> HttpResponse:
    if contribution is None:
        return render(
            request,
            "actionplan/public/verify_invalid.html",
            {"kind": kind, "days": settings.BRYGGA_VERIFY_LINK_DAYS},
            status=404,
        )
    expired = contribution.state == State.UNVERIFIED and svc.verification_expired(contribution)
    if request.method == "POST" and not expired:
        if contribution.state != State.UNVERIFIED:
            messages.info(request, _("Du har redan bekräftat det här. Inget mer behöver göras."))
            return redirect(request.path)
        try:
            svc.contribution_verify(contribution=contribution)
        except ValidationError:
            expired = True  # it ran out between the page and the click
        else:
            messages.success(request, _("Tack! Din e-postadress är bekräftad."))
            return redirect(request.path)
    if expired:
        return render(
            request,
            "actionplan/public/verify_expired.html",
            {"kind": kind, "contribution": contribution, "days": settings.BRYGGA_VERIFY_LINK_DAYS},
            status=410,
        )
    program = svc.contribution_program(contribution)
    return render(
        request,
        "actionplan/public/verify_confirm.html",
        {
            "kind": kind,
            "contribution": contribution,
            "program": program,
            "public_url": (
                _public_url(contribution) if contribution.state == State.PUBLISHED else None
            ),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def comment_verify(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what will be published and a button; only the POST publishes (mail
    scanners open links)."""
    return _verify(request, "comment", comment_for_token(token))


@never_cache
@require_http_methods(["GET", "POST"])
def idea_verify(request: HttpRequest, token: str) -> HttpResponse:
    return _verify(request, "idea", idea_for_token(token))


urlpatterns = [
    path(
        "handlingsplan/<slug:program>/<slug:area>/<slug:activity>/kommentera/",
        comment_create,
        name="comment_create",
    ),
    path(
        "handlingsplan/<slug:program>/<slug:area>/<slug:activity>/kommentera/skickad/",
        comment_sent,
        name="comment_sent",
    ),
    path("handlingsplan/<slug:program>/<slug:area>/ny-ide/", idea_create, name="idea_create"),
    path("handlingsplan/<slug:program>/<slug:area>/ny-ide/skickad/", idea_sent, name="idea_sent"),
    path("bekrafta/kommentar/<str:token>/", comment_verify, name="comment_verify"),
    path("bekrafta/ide/<str:token>/", idea_verify, name="idea_verify"),
]

"""Subscriptions from the public: subscribe (double opt-in), confirm, manage, unsubscribe.

No login anywhere: the e-mailed links carry tokens. The subscriber's token opens the
confirmation and the management page (and ends every subscription); each
subscription's own token ends just that one (the ``List-Unsubscribe`` link).

* A GET never changes anything, because mail scanners open links: every change is a
  POST from a button on the page the link opens.
* :func:`unsubscribe` and :func:`unsubscribe_all` are RFC 8058 one-click endpoints: a
  bare POST (``List-Unsubscribe=One-Click``, no cookies, no CSRF token) from a mailbox
  provider must work, so they are CSRF-exempt, use no session and answer 200 without
  a redirect. An unknown or already used token answers with a friendly page: 404 for
  a GET, 200 for a POST (the subscription is gone, which is what the POST asked for,
  and a provider must not retry).
* The subscribe form gives the same answer whatever the address's state, so it
  never tells anyone whether an address subscribes.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from brygga.actionplan.forms.public import SubscribeForm
from brygga.actionplan.models import Area, Program, Subscriber, Subscription
from brygga.actionplan.selectors import public_areas, public_programs
from brygga.actionplan.services import subscriptions as svc
from brygga.core import ratelimit
from brygga.core.public_form import public_form_post

RATE_ACTION = "actionplan_subscribe"
RATE_ACTION_EMAIL = "actionplan_subscribe_email"
T = "actionplan/public/"


# ---------------------------------------------------------------- forms of the manage page


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label=gettext_lazy("Hur ofta vill du få e-post?"),
        choices=Subscriber.Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Välj hur ofta du vill få e-post.")},
    )


class AddForm(forms.Form):
    """Another published area or program, as ``area:<id>`` or ``program:<id>``."""

    target = forms.ChoiceField(
        label=gettext_lazy("Område eller program"),
        error_messages={"required": gettext_lazy("Välj vad du vill prenumerera på.")},
    )

    def __init__(self, *args: Any, programs: list[Program], areas: list[Area], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.targets: dict[str, Area | Program] = {}
        choices: list[Any] = [("", _("Välj …"))]
        for program in programs:
            self.targets[f"program:{program.pk}"] = program
            group = [(f"program:{program.pk}", _("Hela programmet ”%s”") % program.title)]
            for area in (a for a in areas if a.program_id == program.pk):
                self.targets[f"area:{area.pk}"] = area
                group.append((f"area:{area.pk}", area.title))
            choices.append((program.title, group))
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class RemoveForm(forms.Form):
    subscription = forms.IntegerField(widget=forms.HiddenInput)


# ---------------------------------------------------------------- subscribe


def _target_or_404(program: str, area: str | None) -> tuple[Program, Area | None]:
    if area is None:
        return get_object_or_404(public_programs(), slug=program), None
    found = get_object_or_404(
        public_areas().select_related("program"), program__slug=program, slug=area
    )
    return found.program, found


def _sent_url(program: str, area: str | None) -> str:
    if area is None:
        return reverse("actionplan:program_subscribe_sent", kwargs={"program": program})
    return reverse("actionplan:area_subscribe_sent", kwargs={"program": program, "area": area})


@require_http_methods(["GET", "POST"])
@ratelimit.rate_limit(RATE_ACTION)
def subscribe(request: HttpRequest, program: str, area: str | None = None) -> HttpResponse:
    """The form's own page (the area and program pages post their form here)."""
    the_program, the_area = _target_or_404(program, area)
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    answered = public_form_post(
        request,
        form,
        lambda data: svc.subscription_request(
            email=data["email"],
            areas=[the_area] if the_area else [],
            programs=[] if the_area else [the_program],
        ),
        done_url=_sent_url(program, area),
        email_rate_action=RATE_ACTION_EMAIL,
        error_field="email",
    )
    if answered is not None:
        return answered
    return render(
        request,
        T + "subscription_request.html",
        {"form": form, "program": the_program, "area": the_area},
    )


@require_GET
def subscribe_sent(request: HttpRequest, program: str, area: str | None = None) -> HttpResponse:
    the_program, the_area = _target_or_404(program, area)
    return render(
        request,
        T + "subscription_sent.html",
        {"program": the_program, "area": the_area, "days": settings.BRYGGA_VERIFY_LINK_DAYS},
    )


# ---------------------------------------------------------------- confirm and manage


def _subscriptions() -> Prefetch[str, QuerySet[Subscription], str]:
    return Prefetch(
        "subscriptions",
        queryset=Subscription.objects.select_related("area__program", "program").order_by(
            "program__position", "program__title", "area__position", "area__title", "id"
        ),
    )


def _subscriber_or_none(token: str) -> Subscriber | None:
    return Subscriber.objects.filter(token=token).prefetch_related(_subscriptions()).first()


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, T + "subscription_invalid.html", status=404)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscription_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what would be confirmed and a button; only the POST confirms."""
    subscriber = _subscriber_or_none(token)
    if subscriber is None:
        return _invalid(request)
    if request.method == "POST":
        confirmed = svc.subscription_confirm(subscriber=subscriber)
        subscriber = _subscriber_or_none(token)
        return render(
            request,
            T + "subscription_confirmed.html",
            {"subscriber": subscriber, "confirmed": [s.pk for s in confirmed]},
        )
    cutoff = svc.confirm_cutoff()
    pending = [
        s
        for s in subscriber.subscriptions.all()
        if s.confirmed_at is None and s.created_at > cutoff
    ]
    return render(
        request, T + "subscription_confirm.html", {"subscriber": subscriber, "pending": pending}
    )


def _manage_page(
    request: HttpRequest,
    subscriber: Subscriber,
    *,
    frequency_form: FrequencyForm | None = None,
    add_form: AddForm | None = None,
) -> HttpResponse:
    subscriptions = list(subscriber.subscriptions.all())
    followed = {("area", s.area_id) for s in subscriptions if s.area_id} | {
        ("program", s.program_id) for s in subscriptions if s.program_id
    }
    # Areas of a program followed as a whole are in it already.
    programs = [p for p in public_programs() if ("program", p.pk) not in followed]
    areas = [
        a
        for a in public_areas().order_by("position", "title")
        if ("area", a.pk) not in followed and ("program", a.program_id) not in followed
    ]
    if add_form is None:
        add_form = AddForm(programs=programs, areas=areas)
    return render(
        request,
        T + "subscription_manage.html",
        {
            "subscriber": subscriber,
            "subscriptions": subscriptions,
            "frequency_form": frequency_form
            or FrequencyForm(initial={"frequency": subscriber.frequency}),
            "add_form": add_form,
            "can_add": bool(programs),
            "has_pending": any(s.confirmed_at is None for s in subscriptions),
            "days": settings.BRYGGA_VERIFY_LINK_DAYS,
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscription_manage(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = _subscriber_or_none(token)
    if subscriber is None:
        return _invalid(request)
    if request.method != "POST":
        return _manage_page(request, subscriber)
    action = request.POST.get("action")
    if action == "frequency":
        form = FrequencyForm(request.POST)
        if not form.is_valid():
            return _manage_page(request, subscriber, frequency_form=form)
        svc.subscriber_set_frequency(
            subscriber=subscriber, frequency=form.cleaned_data["frequency"]
        )
        messages.success(request, _("Sparat. Du får e-post: %(how)s.") % {"how": _how(subscriber)})
    elif action == "add":
        add_form = AddForm(
            request.POST,
            programs=list(public_programs()),
            areas=list(public_areas().order_by("position", "title")),
        )
        if not add_form.is_valid():
            return _manage_page(request, subscriber, add_form=add_form)
        target = add_form.targets[add_form.cleaned_data["target"]]
        try:
            svc.subscription_add(
                subscriber=subscriber,
                area=target if isinstance(target, Area) else None,
                program=target if isinstance(target, Program) else None,
            )
        except ValidationError as exc:
            add_form.add_error("target", exc.messages)
            return _manage_page(request, subscriber, add_form=add_form)
        messages.success(request, _("Du prenumererar nu på %(title)s.") % {"title": target.title})
    elif action == "remove":
        remove = RemoveForm(request.POST)
        subscription = (
            subscriber.subscriptions.filter(pk=remove.cleaned_data["subscription"]).first()
            if remove.is_valid()
            else None
        )
        if subscription is not None:
            title = str(subscription.target)
            svc.subscription_cancel(subscription=subscription)
            if not Subscriber.objects.filter(pk=subscriber.pk).exists():
                return _done(request, subscriber=None, all_gone=True)
            messages.success(
                request, _("Du prenumererar inte längre på %(title)s.") % {"title": title}
            )
    elif action == "cancel_all":
        svc.subscriber_cancel_all(subscriber=subscriber)
        return _done(request, subscriber=None, all_gone=True)
    return redirect(request.path)


def _how(subscriber: Subscriber) -> str:
    return str(Subscriber.Frequency(subscriber.frequency).label).lower()


# ---------------------------------------------------------------- one-click unsubscribe


def _done(
    request: HttpRequest,
    *,
    subscriber: Subscriber | None,
    all_gone: bool,
    target: Area | Program | None = None,
    also: list[Area | Program | None] | None = None,
) -> HttpResponse:
    return render(
        request,
        T + "unsubscribe_done.html",
        {"subscriber": subscriber, "all_gone": all_gone, "target": target, "also": also or []},
    )


def _inactive(request: HttpRequest) -> HttpResponse:
    # 200 for a POST: what was asked for is true, and a mailbox provider must not retry.
    status = 200 if request.method == "POST" else 404
    return render(request, T + "unsubscribe_inactive.html", status=status)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """End one subscription: a POST does it (RFC 8058 one-click), a GET asks first."""
    subscription = (
        Subscription.objects.select_related("subscriber", "area__program", "program")
        .filter(token=token)
        .first()
    )
    if subscription is None:
        return _inactive(request)
    if request.method != "POST":
        return render(
            request,
            T + "unsubscribe.html",
            {
                "subscription": subscription,
                "also": svc.subscriptions_covering(subscription)[1:],
                "all": False,
            },
        )
    subscriber, target = subscription.subscriber, subscription.target
    ended = svc.subscription_unsubscribe(subscription=subscription)
    remaining = Subscriber.objects.filter(pk=subscriber.pk).first()
    return _done(
        request,
        subscriber=remaining,
        all_gone=remaining is None,
        target=target,
        also=[s.target for s in ended[1:]],
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_all(request: HttpRequest, token: str) -> HttpResponse:
    """End every subscription of an address (the digest's one-click link)."""
    subscriber = _subscriber_or_none(token)
    if subscriber is None:
        return _inactive(request)
    if request.method != "POST":
        return render(request, T + "unsubscribe.html", {"subscriber": subscriber, "all": True})
    svc.subscriber_cancel_all(subscriber=subscriber)
    return _done(request, subscriber=None, all_gone=True)


urlpatterns = [
    path("handlingsplan/<slug:program>/prenumerera/", subscribe, name="program_subscribe"),
    path(
        "handlingsplan/<slug:program>/prenumerera/skickad/",
        subscribe_sent,
        name="program_subscribe_sent",
    ),
    path("handlingsplan/<slug:program>/<slug:area>/prenumerera/", subscribe, name="area_subscribe"),
    path(
        "handlingsplan/<slug:program>/<slug:area>/prenumerera/skickad/",
        subscribe_sent,
        name="area_subscribe_sent",
    ),
    path("prenumeration/bekrafta/<str:token>/", subscription_confirm, name="subscription_confirm"),
    path("prenumeration/avsluta/<str:token>/", unsubscribe, name="unsubscribe"),
    path("prenumeration/avsluta-allt/<str:token>/", unsubscribe_all, name="unsubscribe_all"),
    path("prenumeration/<str:token>/", subscription_manage, name="subscription_manage"),
]

"""Staff pages for visits: the list, the quick log form, a visit's page, edit and delete;
feedback items and follow-ups added on a visit; planning a visit in one click.
Thin: forms clean, selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from brygga.core.forms import add_errors
from brygga.core.permissions import allowed, require
from brygga.register.models import Company
from brygga.register.permissions import RegisterPerm
from brygga.register.selectors import companies_by_key
from brygga.visits import selectors
from brygga.visits.forms.companies import preset_picker
from brygga.visits.forms.visit_filters import VisitFilterForm, filter_params
from brygga.visits.forms.visit_items import FeedbackItemForm, FollowUpForm
from brygga.visits.forms.visits import DEFAULT_KIND, VisitEditForm, VisitQuickForm
from brygga.visits.models import Feedback, Visit, VisitKind
from brygga.visits.permissions import VisitPerm
from brygga.visits.services import followups as follow_up_svc
from brygga.visits.services import visits as svc
from brygga.visits.views.common import crumbs, form_page, safe_next, visit_title

PAGE_SIZE = 50

# ---------------------------------------------------------------- list and page


@require(VisitPerm.VIEW)
def visit_list(request: HttpRequest) -> HttpResponse:
    form = VisitFilterForm(request.GET)
    page = None
    params: dict[str, str] = {}
    if form.is_valid():
        params = filter_params(request.GET)
        page = Paginator(selectors.visit_list(form.filters()), PAGE_SIZE).get_page(
            request.GET.get("sida")
        )
    return render(
        request,
        "visits/visit_list.html",
        {
            "form": form,
            "page_obj": page,
            "query": urlencode(params),
            "filtered": bool(params),
            "can_log": allowed(request.user, VisitPerm.LOG),
            "can_manage_lists": allowed(request.user, VisitPerm.MANAGE_LISTS),
            "crumbs": [(_("Besök"), None)],
        },
    )


@require(VisitPerm.VIEW)
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_page(pk)
    if visit is None:
        raise Http404
    user = request.user
    return render(
        request,
        "visits/visit_detail.html",
        {
            "visit": visit,
            "show_pnr": allowed(user, RegisterPerm.VIEW_PERSONAL_NUMBER),
            "can_log": allowed(user, VisitPerm.LOG),
            "today": timezone.localdate(),
            "crumbs": crumbs((visit_title(visit), None)),
        },
    )


# ---------------------------------------------------------------- log, edit, delete

QUICK_RENAME = {
    "companies": "company",
    "topic": "feedback_topic",
    "sentiment": "feedback_sentiment",
    "text": "feedback_text",
    "title": "follow_up_title",
    "owner": "follow_up_owner",
    "due_on": "follow_up_due",
}


def _log(form: VisitQuickForm, user: Any) -> Visit:
    """Write the visit, its first feedback item and its first follow-up, all or nothing."""
    data = form.cleaned_data
    companies = form.companies()
    feedback = []
    if data.get("feedback_topic") is not None:
        feedback.append(
            svc.FeedbackData(
                topic=data["feedback_topic"],
                sentiment=data.get("feedback_sentiment") or Feedback.Sentiment.NEUTRAL,
                text=(data.get("feedback_text") or "").strip(),
                company=companies[0] if len(companies) == 1 else None,
            )
        )
    with transaction.atomic():
        visit = svc.visit_create(
            data=svc.VisitData(
                companies=companies,
                date=data["date"],
                kind=data["kind"],
                staff=list(data.get("staff") or []),
                politicians=data.get("politicians") or "",
                notes=data.get("notes") or "",
                rating=data.get("rating"),
                feedback=feedback,
            ),
            actor=user,
        )
        title = (data.get("follow_up_title") or "").strip()
        if title:
            follow_up_svc.follow_up_create(
                visit=visit,
                title=title,
                owner=data["follow_up_owner"],
                due_on=data["follow_up_due"],
                actor=user,
            )
    return visit


@require(VisitPerm.LOG)
@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest) -> HttpResponse:
    form = VisitQuickForm(request.POST or None, user=request.user)
    key = request.GET.get("company", "")
    if request.method == "GET" and key:
        company = companies_by_key(key).first()
        if company is not None:
            preset_picker(form, "company", company)
    if request.method == "POST" and form.is_valid():
        try:
            visit = _log(form, request.user)
        except ValidationError as exc:
            add_errors(form, exc, QUICK_RENAME)
        else:
            messages.success(request, _("Besöket är sparat."))
            return redirect("visits:visit_detail", pk=visit.pk)
    heading = _("Logga besök")
    return form_page(
        request,
        "visits/visit_quick_form.html",
        form,
        heading=heading,
        trail=crumbs((heading, None)),
        cancel_url=reverse("visits:visit_list"),
        show_pnr=allowed(request.user, RegisterPerm.VIEW_PERSONAL_NUMBER),
    )


@require(VisitPerm.LOG)
@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit.objects.select_related("kind"), pk=pk)
    form = VisitEditForm(request.POST or None, visit=visit)
    if request.method == "POST" and form.is_valid():
        try:
            svc.visit_update(
                visit=visit,
                data=form.visit_data(),
                companies=form.cleaned_data["all_companies"],
                staff=form.cleaned_data["staff"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("visits:visit_detail", pk=visit.pk)
    return form_page(
        request,
        "visits/visit_edit_form.html",
        form,
        heading=_("Ändra %(visit)s") % {"visit": visit_title(visit)},
        trail=crumbs((_("Ändra"), None), visit=visit),
        cancel_url=reverse("visits:visit_detail", kwargs={"pk": visit.pk}),
        show_pnr=allowed(request.user, RegisterPerm.VIEW_PERSONAL_NUMBER),
    )


@require(VisitPerm.LOG)
@require_http_methods(["GET", "POST"])
def visit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit.objects.select_related("kind"), pk=pk)
    if request.method == "POST":
        svc.visit_delete(visit=visit, actor=request.user)
        messages.success(request, _("Besöket är borttaget."))
        return redirect("visits:visit_list")
    title = visit_title(visit)
    return render(
        request,
        "visits/confirm_delete.html",
        {
            "heading": _("Ta bort %(visit)s?") % {"visit": title},
            "what": _(
                "Besöket tas bort med sina %(feedback)s synpunkter och %(follow_ups)s "
                "uppföljningar. Det går inte att ångra."
            )
            % {"feedback": visit.feedback.count(), "follow_ups": visit.follow_ups.count()},
            "crumbs": crumbs((_("Ta bort"), None), visit=visit),
            "cancel_url": reverse("visits:visit_detail", kwargs={"pk": visit.pk}),
        },
    )


# ---------------------------------------------------------------- feedback and follow-ups


@require(VisitPerm.LOG)
@require_http_methods(["GET", "POST"])
def feedback_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit.objects.select_related("kind"), pk=pk)
    form = FeedbackItemForm(request.POST or None, visit=visit)
    if request.method == "POST" and form.is_valid():
        try:
            svc.feedback_add(
                visit=visit, item=svc.FeedbackData(**form.item_data()), actor=request.user
            )
        except ValidationError as exc:
            add_errors(form, exc, {"area": "link", "activity": "link"})
        else:
            messages.success(request, _("Synpunkten är sparad."))
            return redirect(reverse("visits:visit_detail", kwargs={"pk": visit.pk}) + "#synpunkter")
    heading = _("Ny synpunkt")
    return form_page(
        request,
        "visits/item_form.html",
        form,
        heading=heading,
        trail=crumbs((heading, None), visit=visit),
        cancel_url=reverse("visits:visit_detail", kwargs={"pk": visit.pk}),
        visit=visit,
    )


@require(VisitPerm.LOG)
@require_http_methods(["GET", "POST"])
def feedback_edit(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_object_or_404(Feedback.objects.select_related("visit__kind", "topic"), pk=pk)
    visit = feedback.visit
    form = FeedbackItemForm(request.POST or None, visit=visit, feedback=feedback)
    if request.method == "POST" and form.is_valid():
        try:
            svc.feedback_update(feedback=feedback, data=form.item_data(), actor=request.user)
        except ValidationError as exc:
            add_errors(form, exc, {"area": "link", "activity": "link"})
        else:
            messages.success(request, _("Synpunkten är sparad."))
            return redirect(reverse("visits:visit_detail", kwargs={"pk": visit.pk}) + "#synpunkter")
    heading = _("Ändra synpunkt")
    return form_page(
        request,
        "visits/item_form.html",
        form,
        heading=heading,
        trail=crumbs((heading, None), visit=visit),
        cancel_url=reverse("visits:visit_detail", kwargs={"pk": visit.pk}),
        visit=visit,
        delete_url=reverse("visits:feedback_delete", kwargs={"pk": feedback.pk}),
    )


@require(VisitPerm.LOG)
@require_http_methods(["GET", "POST"])
def feedback_delete(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_object_or_404(Feedback.objects.select_related("visit__kind", "topic"), pk=pk)
    visit = feedback.visit
    detail = reverse("visits:visit_detail", kwargs={"pk": visit.pk})
    if request.method == "POST":
        svc.feedback_delete(feedback=feedback, actor=request.user)
        messages.success(request, _("Synpunkten är borttagen."))
        return redirect(detail + "#synpunkter")
    return render(
        request,
        "visits/confirm_delete.html",
        {
            "heading": _("Ta bort synpunkten om %(topic)s?") % {"topic": feedback.topic.label},
            "what": feedback.text or _("Synpunkten har ingen text."),
            "crumbs": crumbs((_("Ta bort synpunkt"), None), visit=visit),
            "cancel_url": detail,
        },
    )


@require(VisitPerm.LOG)
@require_http_methods(["GET", "POST"])
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit.objects.select_related("kind"), pk=pk)
    form = FollowUpForm(request.POST or None, default_owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_svc.follow_up_create(visit=visit, actor=request.user, **form.follow_up_data())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Uppföljningen är sparad."))
            return redirect(
                reverse("visits:visit_detail", kwargs={"pk": visit.pk}) + "#uppfoljningar"
            )
    heading = _("Ny uppföljning")
    return form_page(
        request,
        "visits/item_form.html",
        form,
        heading=heading,
        trail=crumbs((heading, None), visit=visit),
        cancel_url=reverse("visits:visit_detail", kwargs={"pk": visit.pk}),
        visit=visit,
    )


# ---------------------------------------------------------------- plan in one click


def _plan_kind() -> VisitKind | None:
    return (
        VisitKind.objects.filter(key=DEFAULT_KIND, active=True).first()
        or VisitKind.objects.filter(active=True).order_by("position", "label").first()
    )


@require(VisitPerm.LOG)
@require_POST
def visit_plan(request: HttpRequest) -> HttpResponse:
    """Plan a visit to the posted company (``company=<pk>``) and open it."""
    fallback = safe_next(request, reverse("visits:visit_list"))
    raw = request.POST.get("company", "")
    company = Company.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    kind = _plan_kind()
    if company is None:
        messages.error(request, _("Företaget finns inte i registret. Inget besök planerades."))
        return redirect(fallback)
    if kind is None:
        messages.error(
            request, _("Det finns ingen typ av besök att planera. Lägg till en under Listor.")
        )
        return redirect(fallback)
    try:
        visit = svc.visit_plan(company=company, kind=kind, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(fallback)
    messages.success(
        request,
        _(
            "Ett besök hos %(company)s är planerat till %(date)s. Ändra datum och deltagare "
            "om det behövs, och logga besöket när det är gjort."
        )
        % {"company": company.name, "date": date_format(visit.date, "j F Y")},
    )
    return redirect("visits:visit_detail", pk=visit.pk)


urlpatterns: list[URLPattern] = [
    path("hantera/besok/", visit_list, name="visit_list"),
    path("hantera/besok/nytt/", visit_create, name="visit_create"),
    path("hantera/besok/planera/", visit_plan, name="visit_plan"),
    path("hantera/besok/<int:pk>/", visit_detail, name="visit_detail"),
    path("hantera/besok/<int:pk>/andra/", visit_edit, name="visit_edit"),
    path("hantera/besok/<int:pk>/ta-bort/", visit_delete, name="visit_delete"),
    path("hantera/besok/<int:pk>/synpunkt/", feedback_add, name="feedback_add"),
    path("hantera/besok/<int:pk>/uppfoljning/", follow_up_add, name="follow_up_add"),
    path("hantera/synpunkter/<int:pk>/andra/", feedback_edit, name="feedback_edit"),
    path("hantera/synpunkter/<int:pk>/ta-bort/", feedback_delete, name="feedback_delete"),
]

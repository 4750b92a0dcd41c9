"""Staff pages for a meeting's own questions on its registration form (dietary needs,
"I want a one-minute slot"): the list with a form to add one, edit, remove."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from brygga.core.forms import add_errors
from brygga.core.permissions import require
from brygga.events import selectors_staff as selectors
from brygga.events.forms.staff import QuestionForm
from brygga.events.models import Question
from brygga.events.permissions import EventPerm
from brygga.events.services import events as svc
from brygga.events.views.staff_common import crumbs, form_page, get_event


@require(EventPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_questions(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.question_save(
                event=event, question=None, data=form.question_data(), actor=request.user
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Frågan är tillagd."))
            return redirect("events:staff_questions", pk=event.pk)
    heading = _("Frågor vid anmälan")
    return render(
        request,
        "events/staff/questions.html",
        {
            "event": event,
            "questions": selectors.questions_of(event),
            "form": form,
            "heading": heading,
            "crumbs": crumbs((heading, None), event=event),
        },
    )


@require(EventPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_question_edit(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    event = get_event(pk)
    question = get_object_or_404(Question, pk=question_pk, event=event)
    form = QuestionForm(request.POST or None, question=question)
    back = reverse("events:staff_questions", kwargs={"pk": event.pk})
    if request.method == "POST" and form.is_valid():
        try:
            svc.question_save(
                event=event, question=question, data=form.question_data(), actor=request.user
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Frågan är sparad."))
            return redirect(back)
    return form_page(
        request,
        form,
        heading=_("Ändra frågan ”%(label)s”") % {"label": question.label},
        trail=crumbs((_("Frågor vid anmälan"), back), (_("Ändra fråga"), None), event=event),
        cancel_url=back,
    )


@require(EventPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    event = get_event(pk)
    question = get_object_or_404(Question, pk=question_pk, event=event)
    back = reverse("events:staff_questions", kwargs={"pk": event.pk})
    if request.method == "POST":
        svc.question_delete(question=question, actor=request.user)
        messages.success(request, _("Frågan är borttagen."))
        return redirect(back)
    return render(
        request,
        "events/staff/confirm.html",
        {
            "heading": _("Ta bort frågan ”%(label)s”?") % {"label": question.label},
            "what": _(
                "Frågan försvinner från anmälningsformuläret. Svar som redan har kommit "
                "in finns kvar hos anmälningarna."
            ),
            "confirm_label": _("Ja, ta bort frågan"),
            "cancel_url": back,
            "crumbs": crumbs(
                (_("Frågor vid anmälan"), back), (_("Ta bort fråga"), None), event=event
            ),
        },
    )


urlpatterns: list[URLPattern] = [
    path("hantera/moten/<int:pk>/fragor/", staff_questions, name="staff_questions"),
    path(
        "hantera/moten/<int:pk>/fragor/<int:question_pk>/",
        staff_question_edit,
        name="staff_question_edit",
    ),
    path(
        "hantera/moten/<int:pk>/fragor/<int:question_pk>/ta-bort/",
        staff_question_delete,
        name="staff_question_delete",
    ),
]

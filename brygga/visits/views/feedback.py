"""Staff pages on the feedback heard in visits, for the organisation: the overview
(by topic over time, by locality, by trade, and the filtered items), the negative
items not yet linked to the action plan, and the export to XLSX.

A case officer sees only the feedback on their own department's topics; the rule
lives in :func:`brygga.visits.selectors_feedback.feedback_visible_to`. Thin: the
form parses the filters, the selectors read.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from brygga.core.permissions import allowed, require
from brygga.register.permissions import RegisterPerm
from brygga.visits import exports
from brygga.visits import selectors_feedback as sel
from brygga.visits.forms.feedback_filters import feedback_filters_from
from brygga.visits.permissions import VisitPerm

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope_note(request: HttpRequest) -> str:
    """Says whose feedback a case officer sees ("" for everyone else)."""
    user = request.user
    if not sel.is_department_scoped(user):
        return ""
    department = getattr(user, "department", None)
    return _("Du ser synpunkterna inom de ämnen som hör till %(department)s.") % {
        "department": department.name if department is not None else "\N{EN DASH}"
    }


@require(VisitPerm.VIEW_FEEDBACK)
def feedback_overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    form, filters = feedback_filters_from(request.GET, topics=sel.topic_choices(user))
    context: dict[str, object] = {
        "form": form,
        "filters_valid": filters is not None,
        "scope_note": _scope_note(request),
        "can_export": allowed(user, VisitPerm.EXPORT_FEEDBACK),
        "unlinked_count": sel.feedback_unlinked(user).count(),
    }
    if filters is not None:
        params = filters.to_params()
        matching = sel.feedback_filter(sel.feedback_visible_to(user), filters)
        page = Paginator(sel.feedback_for(user, filters), PAGE_SIZE).get_page(
            request.GET.get("sida")
        )
        context.update(
            {
                "params": params,
                "query": urlencode(params),
                "filtered": bool(params),
                "by_topic": sel.feedback_by_topic(matching),
                "by_company": sel.feedback_by_company(matching, filters),
                "page_obj": page,
                "items": [(item, sel.concerned(item)) for item in page],
            }
        )
    return render(request, "visits/feedback_overview.html", context)


@require(VisitPerm.VIEW_FEEDBACK)
def feedback_unlinked(request: HttpRequest) -> HttpResponse:
    user = request.user
    page = Paginator(sel.feedback_unlinked(user), PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(
        request,
        "visits/feedback_unlinked.html",
        {
            "page_obj": page,
            "items": [(item, sel.concerned(item)) for item in page],
            "scope_note": _scope_note(request),
            "can_link": allowed(user, VisitPerm.LOG),
            "crumbs": [
                (_("Synpunkter"), reverse("visits:feedback_overview")),
                (_("Olänkade negativa synpunkter"), None),
            ],
        },
    )


@require(VisitPerm.EXPORT_FEEDBACK)
def feedback_export(request: HttpRequest) -> HttpResponseBase:
    """The overview's filtered items as a workbook. Not written to the audit log: the
    register's exports are not either (the log records changes, not reads)."""
    user = request.user
    _form, filters = feedback_filters_from(request.GET, topics=sel.topic_choices(user))
    if filters is None:
        messages.error(request, _("Filtret är ogiltigt; rätta det och försök igen."))
        return redirect(f"{reverse('visits:feedback_overview')}?{request.GET.urlencode()}")
    handle = exports.write_feedback_xlsx(
        sel.feedback_for(user, filters),
        show_personal_number=allowed(user, RegisterPerm.VIEW_PERSONAL_NUMBER),
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle, as_attachment=True, filename=f"synpunkter-{stamp}.xlsx", content_type=XLSX
    )


urlpatterns: list[URLPattern] = [
    path("hantera/synpunkter/", feedback_overview, name="feedback_overview"),
    path("hantera/synpunkter/olankade/", feedback_unlinked, name="feedback_unlinked"),
    path("hantera/synpunkter/export.xlsx", feedback_export, name="feedback_export"),
]

"""Staff pages: the company list with search, filters and export; the company page;
forms for companies, contacts and notes. Thin: selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from brygga.core.permissions import allowed, require
from brygga.register import exports, selectors
from brygga.register.filters import filters_from
from brygga.register.forms.companies import (
    CompanyCreateForm,
    CompanyEditForm,
    ContactForm,
    NoteForm,
    add_service_errors,
)
from brygga.register.forms.segments import SegmentForm
from brygga.register.models import Company, Contact
from brygga.register.permissions import RegisterPerm
from brygga.register.search import SearchResult
from brygga.register.services import companies as svc
from brygga.visits.permissions import VisitPerm
from brygga.visits.selectors import company_visits

PAGE_SIZE = 50


def _company_or_404(key: str) -> Company:
    return get_object_or_404(selectors.companies_by_key(key))


@require(RegisterPerm.VIEW)
def company_list(request: HttpRequest) -> HttpResponse:
    form, filters = filters_from(request.GET)
    page = None
    result = None
    params: dict[str, str] = {}
    if filters is not None:
        params = filters.to_params()
        result = selectors.company_list(filters)
        page = Paginator(result, PAGE_SIZE).get_page(request.GET.get("sida"))
    can_segment = allowed(request.user, RegisterPerm.MANAGE_SEGMENTS)
    return render(
        request,
        "register/company_list.html",
        {
            "form": form,
            "page_obj": page,
            "search": result if isinstance(result, SearchResult) else None,
            "query": urlencode(params),
            "params": params,
            "filtered": bool(params),
            "show_pnr": allowed(request.user, RegisterPerm.VIEW_PERSONAL_NUMBER),
            "can_export": allowed(request.user, RegisterPerm.EXPORT),
            "can_edit": allowed(request.user, RegisterPerm.EDIT),
            "segment_form": SegmentForm() if can_segment and params else None,
        },
    )


@require(RegisterPerm.EXPORT)
def company_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    _form, filters = filters_from(request.GET)
    if filters is None:
        messages.error(request, _("Filtret är ogiltigt; rätta det och försök igen."))
        return redirect("register:company_list")
    qs = selectors.company_export_rows(filters)
    show_pnr = allowed(request.user, RegisterPerm.VIEW_PERSONAL_NUMBER)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_chunks(qs, show_personal_number=show_pnr),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="foretag-{stamp}.csv"'
        return response
    handle = exports.write_xlsx(qs, show_personal_number=show_pnr)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"foretag-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require(RegisterPerm.VIEW)
def company_detail(request: HttpRequest, key: str) -> HttpResponse:
    user = request.user
    show_contacts = allowed(user, RegisterPerm.VIEW_CONTACTS)
    company = selectors.company_for_page(key, with_contacts=show_contacts)
    if company is None:
        raise Http404
    show_pnr = allowed(user, RegisterPerm.VIEW_PERSONAL_NUMBER)
    history = None
    if allowed(user, RegisterPerm.VIEW_HISTORY):
        history = selectors.company_history(company, show_personal_number=show_pnr)
    return render(
        request,
        "register/company_detail.html",
        {
            "company": company,
            "identity": company.identity_display if show_pnr else company.identity_masked,
            "show_contacts": show_contacts,
            "history": history,
            "history_limit": selectors.HISTORY_LIMIT,
            "can_edit": allowed(user, RegisterPerm.EDIT),
            "can_send_link": allowed(user, RegisterPerm.SEND_CORRECTION_LINK),
            "note_form": NoteForm() if allowed(user, RegisterPerm.ADD_NOTE) else None,
            # The company's latest visits (one query), for those who see visits.
            "visits": company_visits(company) if allowed(user, VisitPerm.VIEW) else None,
            "can_log_visit": allowed(user, VisitPerm.LOG),
        },
    )


@require(RegisterPerm.EDIT)
@require_http_methods(["GET", "POST"])
def company_create(request: HttpRequest) -> HttpResponse:
    form = CompanyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = svc.company_create(
                identity=form.cleaned_data["identity"],
                name_protection_no=form.cleaned_data["name_protection_no"],
                tags=form.cleaned_data["tags"],
                actor=request.user,
                **form.company_data(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Företaget är tillagt."))
            return redirect("register:company_detail", key=company.url_key)
    return render(request, "register/company_form.html", {"form": form, "company": None})


@require(RegisterPerm.EDIT)
@require_http_methods(["GET", "POST"])
def company_edit(request: HttpRequest, key: str) -> HttpResponse:
    company = _company_or_404(key)
    if request.method == "POST":
        form = CompanyEditForm(request.POST)
        if form.is_valid():
            try:
                svc.company_update(
                    company=company,
                    data=form.company_data(),
                    tags=form.cleaned_data["tags"],
                    actor=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Ändringarna är sparade."))
                return redirect("register:company_detail", key=company.url_key)
    else:
        initial = {name: getattr(company, name) for name in svc.COMPANY_EDITABLE}
        initial["tags"] = list(company.tags.all())
        form = CompanyEditForm(initial=initial)
    return render(request, "register/company_form.html", {"form": form, "company": company})


def _contact_or_404(company: Company, contact_id: int) -> Contact:
    return get_object_or_404(Contact, pk=contact_id, company=company)


@require(RegisterPerm.EDIT)
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, key: str) -> HttpResponse:
    company = _company_or_404(key)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.contact_create(
                company=company, consents=form.consents(), actor=request.user, **form.contact_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Kontaktpersonen är tillagd."))
            return redirect("register:company_detail", key=company.url_key)
    return render(
        request, "register/contact_form.html", {"form": form, "company": company, "contact": None}
    )


@require(RegisterPerm.EDIT)
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, key: str, contact_id: int) -> HttpResponse:
    company = _company_or_404(key)
    contact = _contact_or_404(company, contact_id)
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                svc.contact_update(
                    contact=contact,
                    data=form.contact_data(),
                    consents=form.consents(),
                    actor=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Kontaktpersonen är sparad."))
                return redirect("register:company_detail", key=company.url_key)
    else:
        form = ContactForm(initial=ContactForm.initial_for(contact))
    return render(
        request,
        "register/contact_form.html",
        {"form": form, "company": company, "contact": contact},
    )


@require(RegisterPerm.EDIT)
@require_http_methods(["GET", "POST"])
def contact_delete(request: HttpRequest, key: str, contact_id: int) -> HttpResponse:
    company = _company_or_404(key)
    contact = _contact_or_404(company, contact_id)
    if request.method == "POST":
        svc.contact_delete(contact=contact, actor=request.user)
        messages.success(request, _("Kontaktpersonen är borttagen."))
        return redirect("register:company_detail", key=company.url_key)
    return render(
        request, "register/contact_confirm_delete.html", {"company": company, "contact": contact}
    )


@require(RegisterPerm.ADD_NOTE)
@require_POST
def note_create(request: HttpRequest, key: str) -> HttpResponse:
    company = _company_or_404(key)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            svc.note_create(company=company, text=form.cleaned_data["text"], author=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Anteckningen är sparad."))
            return redirect(f"{company_url(company)}#anteckningar")
    return render(request, "register/note_form.html", {"form": form, "company": company})


def company_url(company: Company) -> str:
    return reverse("register:company_detail", kwargs={"key": company.url_key})


urlpatterns = [
    path("register/", company_list, name="company_list"),
    path("register/export.csv", company_export, {"fmt": "csv"}, name="company_export_csv"),
    path("register/export.xlsx", company_export, {"fmt": "xlsx"}, name="company_export_xlsx"),
    path("register/nytt-foretag/", company_create, name="company_create"),
    path("register/foretag/<company:key>/", company_detail, name="company_detail"),
    path("register/foretag/<company:key>/andra/", company_edit, name="company_edit"),
    path("register/foretag/<company:key>/kontakter/ny/", contact_create, name="contact_create"),
    path(
        "register/foretag/<company:key>/kontakter/<int:contact_id>/andra/",
        contact_edit,
        name="contact_edit",
    ),
    path(
        "register/foretag/<company:key>/kontakter/<int:contact_id>/ta-bort/",
        contact_delete,
        name="contact_delete",
    ),
    path("register/foretag/<company:key>/anteckningar/", note_create, name="note_create"),
]

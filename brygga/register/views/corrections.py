"""Self-service corrections: the public pages (ask for a link, correct through it) and
the staff pages (send a link, review what came in). Thin: selectors read, services write."""

from __future__ import annotations

from itertools import zip_longest

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from brygga.core import ratelimit
from brygga.core.permissions import require
from brygga.register import selectors_corrections as selectors
from brygga.register.forms.corrections import (
    CompanyCorrectionForm,
    ContactCorrectionForm,
    ContactFormSet,
    CorrectionRequestForm,
    ReviewForm,
    SendLinkForm,
)
from brygga.register.models import Company, Correction
from brygga.register.permissions import RegisterPerm
from brygga.register.selectors import companies_by_key
from brygga.register.services import correction_links as links
from brygga.register.services import corrections as svc

PAGE_SIZE = 25


# ---------------------------------------------------------------- public


@require_http_methods(["GET", "POST"])
@ratelimit.rate_limit("correction_request")
def correction_request(request: HttpRequest) -> HttpResponse:
    form = CorrectionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Per organisation number too, so that rotating addresses does not help
        # someone flood a company's inbox.
        verdict = ratelimit.hit(
            action="correction_request_identity", key=form.cleaned_data["identity"]
        )
        if verdict.limited:
            return ratelimit.limited_response(request, verdict)
        links.correction_link_request(
            identity=form.cleaned_data["identity"], email=form.cleaned_data["email"]
        )
        # The same answer whether or not anything matched.
        return redirect("register:correction_request_done")
    return render(request, "register/correction_request.html", {"form": form})


def correction_request_done(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "register/correction_request_done.html",
        {"days": settings.BRYGGA_CORRECTION_LINK_DAYS},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def correction_form(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.correction_link_for_token(token)
    if link is None:
        return render(
            request, "register/correction_link_invalid.html", {"expired": False}, status=404
        )
    if link.expires_at <= timezone.now():
        return render(
            request, "register/correction_link_invalid.html", {"expired": True}, status=410
        )
    company = selectors.company_for_self_service(link.company_id)
    contacts = list(company.contacts.all())
    initial = [ContactCorrectionForm.initial_for(c) for c in contacts]
    allowed_ids = frozenset(c.pk for c in contacts)
    if request.method == "POST":
        company_form = CompanyCorrectionForm(request.POST, prefix="foretag")
        formset = ContactFormSet(
            request.POST, initial=initial, prefix="kontakt", allowed_ids=allowed_ids
        )
        if company_form.is_valid() and formset.is_valid():
            try:
                result = svc.correction_submit(
                    link=link,
                    company_data=company_form.company_data(),
                    contacts=formset.proposals(),
                )
            except ValidationError as exc:
                company_form.add_error(None, exc.messages)
            else:
                _thank(request, result)
                return redirect(request.path)
    else:
        company_form = CompanyCorrectionForm(
            initial=CompanyCorrectionForm.initial_for(company), prefix="foretag"
        )
        formset = ContactFormSet(initial=initial, prefix="kontakt", allowed_ids=allowed_ids)
    return render(
        request,
        "register/correction_form.html",
        {
            "company": company,
            # A personnummer stays masked: the link may be forwarded inside the company.
            "identity": (
                company.identity_masked if company.is_sole_trader else company.identity_display
            ),
            "link": link,
            "company_form": company_form,
            "formset": formset,
            # Each form with the contact it stands for (None: the blank one for a new contact).
            "contact_forms": list(zip_longest(formset.forms, contacts[: len(formset.forms)])),
        },
    )


def _thank(request: HttpRequest, result: svc.SubmitResult) -> None:
    if result.consents_changed:
        messages.success(
            request,
            ngettext(
                "Samtyckena för %(names)s är ändrade och gäller från och med nu.",
                "Samtyckena för %(names)s är ändrade och gäller från och med nu.",
                len(result.consents_changed),
            )
            % {"names": ", ".join(result.consents_changed)},
        )
    if result.correction is not None:
        messages.success(
            request,
            _(
                "Tack! Dina ändringar är skickade till näringslivskontoret. "
                "De syns i registret när vi har gått igenom dem."
            ),
        )
    if not result.consents_changed and result.correction is None:
        messages.info(request, _("Du har inte ändrat något, så inget skickades."))


# ---------------------------------------------------------------- staff


def _company_or_404(key: str) -> Company:
    return get_object_or_404(companies_by_key(key).prefetch_related("contacts"))


@require(RegisterPerm.SEND_CORRECTION_LINK)
@require_http_methods(["GET", "POST"])
def correction_link_send(request: HttpRequest, key: str) -> HttpResponse:
    company = _company_or_404(key)
    addresses = selectors.company_email_addresses(company)
    form = SendLinkForm(request.POST or None, addresses=addresses)
    if request.method == "POST" and form.is_valid():
        try:
            link = links.correction_link_create(
                company=company, email=form.cleaned_data["email"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error("email", exc.messages)
        else:
            messages.success(
                request,
                _("En rättelselänk är skickad till %(email)s. Den gäller till %(date)s.")
                % {
                    "email": link.email,
                    "date": timezone.localtime(link.expires_at).strftime("%Y-%m-%d"),
                },
            )
            return redirect("register:company_detail", key=company.url_key)
    return render(
        request,
        "register/correction_send.html",
        {
            "company": company,
            "form": form,
            "addresses": addresses,
            "days": settings.BRYGGA_CORRECTION_LINK_DAYS,
        },
    )


@require(RegisterPerm.REVIEW_CORRECTIONS)
def correction_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.pending_corrections(), PAGE_SIZE).get_page(request.GET.get("sida"))
    rows = []
    for correction in page.object_list:
        items = selectors.correction_review_items(correction)
        rows.append(
            {
                "correction": correction,
                "items": items,
                "has_conflict": any(i.conflict for i in items),
                "form": ReviewForm(prefix=f"r{correction.pk}"),
            }
        )
    return render(request, "register/correction_list.html", {"page_obj": page, "rows": rows})


@require(RegisterPerm.REVIEW_CORRECTIONS)
@require_POST
def correction_review(request: HttpRequest, pk: int) -> HttpResponse:
    correction = get_object_or_404(Correction, pk=pk)
    form = ReviewForm(request.POST, prefix=f"r{pk}")
    back = reverse("register:correction_list")
    if not form.is_valid():
        messages.error(request, _("Välj att godkänna eller avslå rättelsen."))
        return redirect(f"{back}#rattelse-{pk}")
    try:
        if form.cleaned_data["decision"] == ReviewForm.APPROVE:
            result = svc.correction_approve(
                correction=correction,
                actor=request.user,
                overwrite_conflicts=form.cleaned_data["overwrite_conflicts"],
                comment=form.cleaned_data["comment"],
            )
        else:
            svc.correction_reject(
                correction=correction, actor=request.user, comment=form.cleaned_data["comment"]
            )
            result = None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{back}#rattelse-{pk}")
    name = correction.company.name
    if result is None:
        messages.success(request, _("Rättelsen för %(name)s är avslagen.") % {"name": name})
    elif result.skipped:
        messages.warning(
            request,
            _(
                "Rättelsen för %(name)s är godkänd, men dessa uppgifter ändrades inte eftersom "
                "de ändrats i registret sedan företaget skickade in: %(fields)s."
            )
            % {"name": name, "fields": ", ".join(result.skipped)},
        )
    else:
        messages.success(request, _("Rättelsen för %(name)s är godkänd.") % {"name": name})
    return redirect(back)


urlpatterns = [
    path("mitt-foretag/", correction_request, name="correction_request"),
    path("mitt-foretag/skickat/", correction_request_done, name="correction_request_done"),
    path("mitt-foretag/rattelse/<str:token>/", correction_form, name="correction_form"),
    path("register/rattelser/", correction_list, name="correction_list"),
    path("register/rattelser/<int:pk>/", correction_review, name="correction_review"),
    path(
        "register/foretag/<company:key>/rattelselank/",
        correction_link_send,
        name="correction_link_send",
    ),
]

"""The outbox page: what Brygga has sent and tried to send, failures first.

Staff with ``VIEW_OUTBOX`` see every message's metadata, the recipient included;
the body only when it is not ``sensitive`` (it may hold an access link, and is
emptied once sent anyway). ``RETRY_OUTBOX`` may send a failed message again.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from brygga.core.models import OutboxMessage
from brygga.core.outbox_delivery import outbox_retry
from brygga.core.permissions import CorePerm, allowed, require

PAGE_SIZE = 50
ATTENTION_LIMIT = 50
State = OutboxMessage.State


class OutboxFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Alla")), *State.choices],
    )
    kind = forms.ChoiceField(label=gettext_lazy("Typ"), required=False)

    def __init__(self, *args: object, kinds: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("Alla")), *((k, k) for k in kinds)]


def _counts() -> list[tuple[str, str, int]]:
    """(state, label, count) for every state, zeros included."""
    rows = dict(
        OutboxMessage.objects.order_by()
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return [(value, str(label), rows.get(value, 0)) for value, label in State.choices]


@require(CorePerm.VIEW_OUTBOX)
def outbox(request: HttpRequest) -> HttpResponse:
    kinds = list(OutboxMessage.objects.order_by("kind").values_list("kind", flat=True).distinct())
    form = OutboxFilterForm(request.GET or None, kinds=kinds)
    messages_qs = OutboxMessage.objects.order_by("-id")
    params: dict[str, str] = {}
    if form.is_bound and form.is_valid():
        params = {k: v for k, v in form.cleaned_data.items() if v}
        messages_qs = messages_qs.filter(**params)
    page = Paginator(messages_qs, PAGE_SIZE).get_page(request.GET.get("sida"))
    failed = list(
        OutboxMessage.objects.filter(state=State.FAILED).order_by("-id")[:ATTENTION_LIMIT]
    )
    retrying = list(
        OutboxMessage.objects.filter(state=State.QUEUED, attempts__gt=0).order_by(
            "next_attempt_at", "id"
        )[:ATTENTION_LIMIT]
    )
    counts = _counts()
    return render(
        request,
        "core/outbox.html",
        {
            "counts": counts,
            "failed": failed,
            "failed_total": next(n for state, _label, n in counts if state == State.FAILED),
            "retrying": retrying,
            "attention_limit": ATTENTION_LIMIT,
            "form": form,
            "page_obj": page,
            "query": urlencode(params),
            "filtered": bool(params),
            "can_retry": allowed(request.user, CorePerm.RETRY_OUTBOX),
        },
    )


@require(CorePerm.VIEW_OUTBOX)
@require_http_methods(["GET", "POST"])
def outbox_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(OutboxMessage, pk=pk)
    if request.method == "POST":
        if not allowed(request.user, CorePerm.RETRY_OUTBOX):
            raise PermissionDenied
        if outbox_retry(message=message, actor=request.user):
            messages.success(
                request, _("Meddelandet till %(to)s skickas igen.") % {"to": message.to}
            )
        else:
            messages.info(
                request, _("Meddelandet har inte misslyckats, så det finns inget att skicka igen.")
            )
        return redirect("core:outbox_message", pk=message.pk)
    return render(
        request,
        "core/outbox_message.html",
        {
            "message": message,
            "can_retry": allowed(request.user, CorePerm.RETRY_OUTBOX),
        },
    )

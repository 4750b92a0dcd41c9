"""The public, read-only pages of the action plan: the start page, a program, an
improvement area, an activity, and search. No login; drafts answer 404.

Thin: each view asks one selector of :mod:`brygga.actionplan.selectors` (a fixed
number of queries however much there is) and renders. Anonymous visitors get the
pages from :mod:`brygga.actionplan.page_cache` when nothing changed since. The forms
on the pages post to the participation and subscription views.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from brygga.actionplan import selectors
from brygga.actionplan.forms.public import CommentForm, IdeaForm, SubscribeForm
from brygga.actionplan.page_cache import cached_public_page
from brygga.core.forms import PublicTextField
from brygga.core.text import clean_public_text

T = "actionplan/public/"
QUERY_MAX = 200


class SearchForm(forms.Form):
    q = PublicTextField(
        label=_("Sök i handlingsplanen"),
        required=False,
        multiline=False,
        max_length=QUERY_MAX,
        error_messages={
            "max_length": _("Skriv en kortare sökning, högst %(limit_value)d tecken."),
        },
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    @classmethod
    def from_query(cls, params: QueryDict) -> SearchForm:
        """The form bound to the query as it will be searched and shown again: without
        control or invisible formatting characters (a NUL would upset the database)."""
        return cls({"q": clean_public_text(params.get("q", ""), multiline=False)})


def _feed_link(name: str, **kwargs: str) -> str:
    return reverse(f"actionplan:{name}", kwargs=kwargs)


@require_GET
@cached_public_page
def start(request: HttpRequest) -> TemplateResponse:
    programs, updates = selectors.start_page()
    return TemplateResponse(
        request,
        f"{T}start.html",
        {"programs": programs, "updates": updates, "search_form": SearchForm()},
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm.from_query(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.search(query) if query else None
    return render(
        request,
        f"{T}search.html",
        {
            "search_form": form,
            "query": query,
            "results": results,
            "limit": selectors.SEARCH_LIMIT,
        },
    )


@require_GET
@cached_public_page
def program(request: HttpRequest, program: str) -> TemplateResponse:
    page = selectors.program_for_page(program)
    if page is None:
        raise Http404
    return TemplateResponse(
        request,
        f"{T}program.html",
        {
            "page": page,
            "program": page.program,
            "feed_url": _feed_link("program_feed", program=program),
            "subscribe_form": SubscribeForm(),
            "subscribe_action": reverse(
                "actionplan:program_subscribe", kwargs={"program": program}
            ),
            "subscribe_target": page.program.title,
        },
    )


@require_GET
@cached_public_page
def area(request: HttpRequest, program: str, area: str) -> TemplateResponse:
    page = selectors.area_for_page(program, area)
    if page is None:
        raise Http404
    kwargs = {"program": program, "area": area}
    return TemplateResponse(
        request,
        f"{T}area.html",
        {
            "page": page,
            "area": page.area,
            "program": page.area.program,
            "feed_url": _feed_link("area_feed", **kwargs),
            "subscribe_form": SubscribeForm(),
            "subscribe_action": reverse("actionplan:area_subscribe", kwargs=kwargs),
            "subscribe_target": page.area.title,
            "idea_form": IdeaForm(),
            "idea_action": reverse("actionplan:idea_create", kwargs=kwargs),
        },
    )


@require_GET
@cached_public_page
def activity(request: HttpRequest, program: str, area: str, activity: str) -> TemplateResponse:
    page = selectors.activity_for_page(program, area, activity)
    if page is None:
        raise Http404
    target = page.activity
    return TemplateResponse(
        request,
        f"{T}activity.html",
        {
            "page": page,
            "activity": target,
            "area": target.area,
            "program": target.area.program,
            "comment_form": CommentForm(),
            "comment_action": reverse(
                "actionplan:comment_create",
                kwargs={"program": program, "area": area, "activity": activity},
            ),
        },
    )


urlpatterns = [
    path("handlingsplan/", start, name="start"),
    # Before the program's pattern: "sok" is a reserved slug, never a program's.
    path("handlingsplan/sok/", search, name="search"),
    path("handlingsplan/<slug:program>/", program, name="program"),
    path("handlingsplan/<slug:program>/<slug:area>/", area, name="area"),
    path("handlingsplan/<slug:program>/<slug:area>/<slug:activity>/", activity, name="activity"),
]

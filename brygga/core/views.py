from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from brygga.actionplan import selectors as actionplan

HOME_UPDATES = 3


def home(request: HttpRequest) -> HttpResponse:
    """The site's start page: what the municipality does for companies (the published
    action plan programs and its latest updates) and the self-service links.
    Two queries."""
    return render(
        request,
        "core/home.html",
        {
            "programs": list(actionplan.public_programs()),
            "updates": actionplan.latest_updates(limit=HOME_UPDATES),
        },
    )

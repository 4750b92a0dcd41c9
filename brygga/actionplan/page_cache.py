"""A cache of the public action plan's pages, for anonymous visitors.

Why: when a status changes, up to thousands of subscribers get an e-mail with the
same link within minutes. Rendering an area page costs milliseconds; serving it
from the cache costs a fraction of one (bench/public_pages.py).

How it stays correct:

* Only GET requests by anonymous visitors without a query string and without
  messages waiting for them are served from the cache; everyone else gets a
  freshly rendered page.
* Every entry is stamped with the plan's *version*. The action plan's services call
  :func:`public_pages_changed` whenever something the public can see changes; that
  makes a new version, and every page is rendered again on its next visit. The
  version is changed at once (so a page read in the same transaction is fresh) and
  again after commit (so a page another request rendered from the old rows in the
  meantime does not keep the new stamp). ``BRYGGA_PUBLIC_PAGE_CACHE_SECONDS`` bounds
  the age of any entry, for what changes outside the services (a staff member's
  phone number, shown as an activity's contact, edited in Django admin); 0 turns
  the cache off.
* The pages carry forms, and forms carry the visitor's own CSRF token: the page is
  rendered with a placeholder in its place, and each response gets the token of
  the visitor it goes to.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse

VERSION_KEY = "actionplan:pages:version"
PAGE_KEY = "actionplan:pages:{path}"
# What {% csrf_token %} writes while a page is rendered for the cache.
CSRF_PLACEHOLDER = "csrf-placeholder-0d7c1e5b9a3f4e6c8b2a"

View = Callable[..., HttpResponseBase]


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def public_pages_changed() -> None:
    """Something the public sees has changed: every cached page is out of date."""
    _new_version()
    transaction.on_commit(_new_version, robust=True)


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.BRYGGA_PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.GET
        and not request.user.is_authenticated
        and len(messages.get_messages(request)) == 0
    )


def _render_for_cache(response: TemplateResponse) -> str:
    response.context_data = {**(response.context_data or {}), "csrf_token": CSRF_PLACEHOLDER}
    response.render()
    return response.content.decode(response.charset)


def cached_public_page(view: View) -> View:
    """Serve ``view``'s page to anonymous visitors from the cache (see the module doc).

    ``view`` returns a :class:`TemplateResponse`, so the page can be rendered with the
    CSRF placeholder.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = PAGE_KEY.format(path=request.path)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, None)
            version = cache.get(VERSION_KEY)
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            html, content_type = entry[1], entry[2]
        else:
            response = view(request, *args, **kwargs)
            if not isinstance(response, TemplateResponse) or response.status_code != 200:
                return response
            html = _render_for_cache(response)
            content_type = response["Content-Type"]
            cache.set(key, (version, html, content_type), settings.BRYGGA_PUBLIC_PAGE_CACHE_SECONDS)
        return HttpResponse(
            html.replace(CSRF_PLACEHOLDER, get_token(request)), content_type=content_type
        )

    return wrapper

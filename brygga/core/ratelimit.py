"""A small rate limiter for public forms, on the Django cache.

The cache is shared by every process of an install (a file-based cache on a
single machine, Redis in production), so a limit holds across web workers.
Counting uses fixed one-hour windows: cheap, and good enough to stop someone
hammering a form; it is not a precise sliding window.

Keys are hashed before they reach the cache, so neither IP addresses nor
organisation numbers are stored in it as plain text.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

HOUR = 3600
DEFAULT_TEMPLATE = "core/rate_limited.html"

View = Callable[..., HttpResponseBase]


@dataclass(frozen=True)
class Verdict:
    limited: bool
    count: int
    limit: int
    retry_after: int  # seconds until the current window ends


def client_ip(request: HttpRequest) -> str:
    """The visitor's address.

    Behind the TLS proxy (``BEHIND_TLS_PROXY``, which sets SECURE_PROXY_SSL_HEADER)
    every visitor would share the proxy's address, so the last X-Forwarded-For
    entry is used: the one our own proxy appended, which a client cannot forge.
    """
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _cache_key(action: str, key: str, window: int) -> str:
    digest = hashlib.sha256(f"{action}\0{key}".encode()).hexdigest()[:32]
    return f"ratelimit:{action}:{digest}:{window}"


def hit(*, action: str, key: str, limit: int | None = None, period: int = HOUR) -> Verdict:
    """Count one attempt at ``action`` by ``key``; ``limited`` once past ``limit``.

    ``limit`` defaults to ``settings.BRYGGA_PUBLIC_RATE_LIMIT`` attempts per period.
    """
    allowed = settings.BRYGGA_PUBLIC_RATE_LIMIT if limit is None else limit
    now = time.time()
    window = int(now // period)
    cache_key = _cache_key(action, key, window)
    # A little past the window, so a slow clock on another worker still finds it.
    cache.add(cache_key, 0, timeout=period + 60)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # Expired between add() and incr(): this attempt opens a fresh count.
        cache.set(cache_key, 1, timeout=period + 60)
        count = 1
    retry_after = max(1, int(period - (now % period)))
    return Verdict(limited=count > allowed, count=count, limit=allowed, retry_after=retry_after)


def limited_response(
    request: HttpRequest, verdict: Verdict, *, template_name: str = DEFAULT_TEMPLATE
) -> HttpResponse:
    """The 429 page: a plain Swedish explanation and a Retry-After header."""
    minutes = max(1, (verdict.retry_after + 59) // 60)
    response = render(request, template_name, {"minutes": minutes}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def rate_limit(
    action: str,
    *,
    methods: Iterable[str] = ("POST",),
    limit: int | None = None,
    period: int = HOUR,
    template_name: str = DEFAULT_TEMPLATE,
) -> Callable[[View], View]:
    """Decorate a view: each client IP may make ``limit`` ``methods`` requests per period."""
    counted = {method.upper() for method in methods}

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in counted:
                verdict = hit(action=action, key=client_ip(request), limit=limit, period=period)
                if verdict.limited:
                    return limited_response(request, verdict, template_name=template_name)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate

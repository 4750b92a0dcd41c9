"""``/healthz``: the process is up and answering (for a load balancer's liveness check).

It touches neither the database nor the cache, so it is also the floor the page
benchmarks compare against (bench/public_pages.py).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from brygga.core import ratelimit


@pytest.fixture(autouse=True)
def own_cache(settings: Any, tmp_path: Path) -> None:
    # The shared file cache under var/ also serves the dev server: keep out of it.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }


@ratelimit.rate_limit("test_form")
def form_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def test_it_counts_hits_and_limits_past_the_setting(settings: Any) -> None:
    settings.BRYGGA_PUBLIC_RATE_LIMIT = 2
    verdicts = [ratelimit.hit(action="a", key="k") for _i in range(3)]
    assert [v.count for v in verdicts] == [1, 2, 3]
    assert [v.limited for v in verdicts] == [False, False, True]
    assert all(0 < v.retry_after <= 3600 for v in verdicts)


def test_it_keeps_actions_and_keys_apart() -> None:
    for _i in range(3):
        ratelimit.hit(action="a", key="k", limit=2)
    assert not ratelimit.hit(action="a", key="other", limit=2).limited
    assert not ratelimit.hit(action="b", key="k", limit=2).limited


def test_it_stores_no_plain_keys_in_the_cache(settings: Any, tmp_path: Path) -> None:
    ratelimit.hit(action="a", key="203.0.113.7")
    stored = b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert stored  # something was written
    assert b"203.0.113.7" not in stored


def test_it_starts_a_fresh_count_in_the_next_window(monkeypatch: pytest.MonkeyPatch) -> None:
    now = 1_700_000_000.0
    monkeypatch.setattr(ratelimit.time, "time", lambda: now)
    for _i in range(2):
        ratelimit.hit(action="a", key="k", limit=1)
    assert ratelimit.hit(action="a", key="k", limit=1).limited
    monkeypatch.setattr(ratelimit.time, "time", lambda: now + 3600)
    assert not ratelimit.hit(action="a", key="k", limit=1).limited


@pytest.mark.django_db
def test_the_decorator_answers_429_in_swedish_and_counts_only_posts(settings: Any) -> None:
    settings.BRYGGA_PUBLIC_RATE_LIMIT = 1
    factory = RequestFactory()
    for _i in range(3):
        assert form_view(factory.get("/", REMOTE_ADDR="192.0.2.1")).status_code == 200
    assert form_view(factory.post("/", REMOTE_ADDR="192.0.2.1")).status_code == 200
    response = form_view(factory.post("/", REMOTE_ADDR="192.0.2.1"))
    assert isinstance(response, HttpResponse) and response.status_code == 429
    assert "För många försök" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 3600
    assert form_view(factory.post("/", REMOTE_ADDR="192.0.2.2")).status_code == 200


def test_it_takes_the_proxys_entry_of_x_forwarded_for_only_behind_the_proxy(
    settings: Any,
) -> None:
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.4")
    settings.SECURE_PROXY_SSL_HEADER = None
    assert ratelimit.client_ip(request) == "10.0.0.1"  # a client could forge the header
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert ratelimit.client_ip(request) == "198.51.100.4"


def test_it_survives_an_entry_expiring_between_add_and_incr(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def expired_incr(key: str, delta: int = 1) -> int:
        raise ValueError(f"Key '{key}' not found")

    monkeypatch.setattr(cache, "incr", expired_incr)
    verdict = ratelimit.hit(action="a", key="k", limit=1)
    assert (verdict.count, verdict.limited) == (1, False)

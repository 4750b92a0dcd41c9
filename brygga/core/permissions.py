"""The shared mechanism behind each app's ``permissions.py``.

Each app lists its actions and the roles allowed to take them in one table;
views, the API and templates ask :func:`allowed` by the action's name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from rest_framework.permissions import SAFE_METHODS, BasePermission

_RULES: dict[str, frozenset[str]] = {}

P = TypeVar("P", bound=StrEnum)


def register_rules(rules: Mapping[P, frozenset[str]]) -> None:
    for perm, roles in rules.items():
        _RULES[str(perm)] = roles


def allowed(user: Any, perm: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not getattr(user, "is_active", False):
        return False
    roles = _RULES.get(str(perm))
    if roles is None:
        raise KeyError(f"Unknown permission {perm!r}")
    return getattr(user, "role", None) in roles


View = Callable[..., HttpResponseBase]


def require(perm: str) -> Callable[[View], View]:
    """View decorator: anonymous visitors go to the login page, staff without the role get 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def api_permission(perm: str) -> type[BasePermission]:
    """A DRF permission class allowing the roles of ``perm``."""

    class _Allowed(BasePermission):
        def has_permission(self, request: Any, view: Any) -> bool:
            return allowed(request.user, perm)

    _Allowed.__name__ = f"Allowed_{perm.replace('.', '_')}"
    return _Allowed


def api_public_read(perm: str) -> type[BasePermission]:
    """A DRF permission class: anyone may read public data; writing needs the roles of ``perm``."""

    class _PublicRead(BasePermission):
        def has_permission(self, request: Any, view: Any) -> bool:
            return request.method in SAFE_METHODS or allowed(request.user, perm)

    _PublicRead.__name__ = f"PublicRead_{perm.replace('.', '_')}"
    return _PublicRead


# ---------------------------------------------------------------- core's own rules


class CorePerm(StrEnum):
    VIEW_OUTBOX = "core.view_outbox"  # the outgoing e-mail and its failures
    RETRY_OUTBOX = "core.retry_outbox"  # send a failed message again


def _core_rules() -> None:
    from brygga.accounts.models import User

    office = frozenset({User.Role.ADMIN, User.Role.DEVELOPER})
    register_rules({CorePerm.VIEW_OUTBOX: office, CorePerm.RETRY_OUTBOX: office})

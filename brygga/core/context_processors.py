from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def brygga(request: HttpRequest) -> dict[str, Any]:
    return {"municipality_name": settings.BRYGGA_MUNICIPALITY_NAME}

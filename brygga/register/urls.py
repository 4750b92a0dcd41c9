"""URLs of the register: staff pages under /register/, public ones under /mitt-foretag/.

Each views module owns its routes; this file only joins them under one namespace.
"""

from django.urls import register_converter

app_name = "register"


class CompanyKeyConverter:
    """``5566778899`` (``-N`` with a löpnummer), or ``e123`` for a sole trader (see url_key)."""

    regex = r"[0-9]{10}(?:-[0-9]{1,6})?|e[0-9]{1,12}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CompanyKeyConverter, "company")

# The views modules build their routes on import, so the converter must exist first.
from brygga.register.views import companies, corrections, imports, segments  # noqa: E402

urlpatterns = [
    *companies.urlpatterns,
    *segments.urlpatterns,
    *imports.urlpatterns,
    *corrections.urlpatterns,
]

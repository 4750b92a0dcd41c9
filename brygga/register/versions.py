"""The register's data version (see :mod:`brygga.core.versions`).

Changed by every write that can change which companies are active in a year or
how they are grouped (SNI code, postal town, size class): creating, deleting and
erasing companies, staff edits of the fields below, imports and the demo data.
"""

from __future__ import annotations

from brygga.core.versions import DataVersion

REGISTER_VERSION = DataVersion("register")

# Company fields the insights' figures group or filter by.
FIGURE_FIELDS = frozenset(
    {"registered_on", "status", "deregistered_on", "postal_town", "size_class"}
)

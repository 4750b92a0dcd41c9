"""The visits' data version (see :mod:`brygga.core.versions`).

Changed by every write of a visit's date, status or companies: creating, changing,
planning and deleting visits, and the import of visit logs. Feedback, follow-ups
and notes leave it alone: the figures cached under it do not count them.
"""

from __future__ import annotations

from brygga.core.versions import DataVersion

VISITS_VERSION = DataVersion("visits")

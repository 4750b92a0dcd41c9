"""Data versions: a stamp that changes whenever a kind of data changes.

Figures computed from many rows (the visit coverage over every company in the
register, say) are cached under the versions of the data they were computed from;
when the data changes, its version changes and the next reader computes afresh.

* The services that write the data call :meth:`DataVersion.changed`. The stamp is
  changed at once (so a reader in the same transaction does not get figures from
  before the write) and again after commit (so figures another request computed
  from the old rows in the meantime are not stored under the new stamp for good).
* After commit, :data:`data_changed` is sent with the version's name, so other
  parts (the insights worker task) can compute the figures again ahead of the next
  reader. A receiver's failure is logged, never raised into the write.
* Versions live in the cache. If the cache loses them (a restart of a cache without
  persistence), every reader starts on a new stamp: figures are computed again,
  never served stale.
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)

# Sent after commit with ``name``: the name of the version that changed.
data_changed = Signal()


class DataVersion:
    """The version of one kind of data (``"register"``, ``"visits"``)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.key = f"brygga:data-version:{name}"

    def current(self) -> str:
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, uuid.uuid4().hex, None)
            version = cache.get(self.key)
        return str(version)

    def _renew(self) -> None:
        cache.set(self.key, uuid.uuid4().hex, None)

    def _announce(self) -> None:
        for receiver, result in data_changed.send_robust(sender=DataVersion, name=self.name):
            if isinstance(result, Exception):
                log.error("data_changed receiver %r failed", receiver, exc_info=result)

    def changed(self) -> None:
        """The data has changed (or will, when the caller's transaction commits)."""
        self._renew()
        transaction.on_commit(self._renew, robust=True)
        transaction.on_commit(self._announce, robust=True)

    def __repr__(self) -> str:
        return f"DataVersion({self.name!r})"

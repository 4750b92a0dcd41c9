"""Fixtures for the meetings' tests."""

from __future__ import annotations

import pytest

from brygga.events.services.kinds import kinds_ensure_defaults


@pytest.fixture(autouse=True)
def _default_kinds(request: pytest.FixtureRequest) -> None:
    """The default event kinds (migration 0002) are there in every test that uses the
    database; a live-server test empties them when it ends."""
    if request.node.get_closest_marker("django_db") is None and not (
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("db")
    kinds_ensure_defaults()

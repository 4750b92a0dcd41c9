"""Fixtures for the visits tests."""

from __future__ import annotations

import pytest

from brygga.actionplan.services.structure import statuses_ensure_defaults
from brygga.visits.services.lists import lists_ensure_defaults


@pytest.fixture(autouse=True)
def _default_lists(request: pytest.FixtureRequest) -> None:
    """The default kinds and topics (migration 0002), and the action plan's default
    statuses that linked feedback needs, are there in every test that uses the
    database; a live-server test empties them when it ends."""
    if request.node.get_closest_marker("django_db") is None and not (
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("db")
    lists_ensure_defaults()
    statuses_ensure_defaults()

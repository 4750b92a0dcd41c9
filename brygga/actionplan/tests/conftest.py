"""Fixtures for the action plan's tests."""

from __future__ import annotations

import pytest

from brygga.actionplan.tests.factories import ensure_default_statuses


@pytest.fixture(autouse=True)
def _default_statuses(request: pytest.FixtureRequest) -> None:
    """The default statuses (migration 0002) are there in every test that uses the database.

    A test on a live server empties every table when it ends, the migration's rows
    included; the tests after it would otherwise find no statuses.
    """
    if request.node.get_closest_marker("django_db") is None and not (
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("db")
    ensure_default_statuses()

"""Data versions: renewed at once and after commit, announced after commit only."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from brygga.core.versions import DataVersion, data_changed


@pytest.fixture
def heard() -> Any:
    names: list[str] = []

    def listen(sender: Any, name: str, **kwargs: Any) -> None:
        names.append(name)

    data_changed.connect(listen, dispatch_uid="test-versions")
    yield names
    data_changed.disconnect(dispatch_uid="test-versions")


def test_a_version_stays_until_the_data_changes(db: None) -> None:
    version = DataVersion("things")
    first = version.current()
    assert version.current() == first
    assert DataVersion("other-things").current() != first


def test_a_change_renews_at_once_and_after_commit(
    db: None, heard: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    version = DataVersion("things")
    before = version.current()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        version.changed()
        inside = version.current()
        assert inside != before
        assert heard == []  # nothing is announced before the commit
    after = version.current()
    assert after not in (before, inside)
    assert heard == ["things"]


def test_a_rolled_back_change_is_not_announced(
    db: None, heard: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    version = DataVersion("things")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                version.changed()
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    assert heard == []


def test_a_failing_listener_does_not_fail_the_write(
    db: None, heard: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    def broken(sender: Any, name: str, **kwargs: Any) -> None:
        raise ValueError("broken listener")

    data_changed.connect(broken, dispatch_uid="test-broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            DataVersion("things").changed()
    finally:
        data_changed.disconnect(dispatch_uid="test-broken")
    assert heard == ["things"]

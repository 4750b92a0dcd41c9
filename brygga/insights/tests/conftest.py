"""Fixtures for the insights tests: the visits app's default kinds and topics."""

from brygga.visits.tests.conftest import _default_lists  # noqa: F401  (an autouse fixture)

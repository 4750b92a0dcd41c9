"""Meetings in the REST API: ``/api/v1/events/`` (see :mod:`.views`)."""

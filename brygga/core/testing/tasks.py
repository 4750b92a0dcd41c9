"""What the code under test queued for the worker.

Tests send tasks to Celery's in-memory broker (see the root conftest.py);
:func:`drain_queued_tasks` reads and removes them, as a worker would take them.
"""

from __future__ import annotations

from typing import Any

from brygga.celery import app


def drain_queued_tasks() -> list[tuple[str, tuple[Any, ...]]]:
    """``(task name, args)`` of every task waiting in the default queue, oldest first."""
    taken = []
    with app.connection_for_read() as connection:
        queue = connection.SimpleQueue(app.conf.task_default_queue)
        try:
            while queue.qsize():
                message = queue.get(block=False)
                args, _kwargs, _embed = message.payload
                taken.append((message.headers["task"], tuple(args)))
                message.ack()
        finally:
            queue.close()
    return taken

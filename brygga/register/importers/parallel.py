"""Parsing chunks of an import file in worker processes, in order, with bounded memory.

Parsing is pure Python and most of an import's CPU time; the database writes
happen in the importing process. For a large file the chunks of lines go to
worker processes (forked, so the parser and its header need no pickling) that
turn them into what the writer needs; at most a few chunks are in flight, so
memory stays flat however large the file. Results come back in file order.

A worker never touches the database: the functions it runs are pure (parse a
line, format a row). Small files and platforms without ``fork`` are parsed in
the importing process by the very same function.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import AsyncResult, Pool
from typing import Any, TypeVar

from django.conf import settings

log = logging.getLogger(__name__)

Chunk = list[tuple[int, str]]
T = TypeVar("T")

_work: Callable[[Chunk], Any] | None = None


def _init(func: Callable[[Chunk], Any]) -> None:
    global _work
    _work = func


def _call(chunk: Chunk) -> Any:
    assert _work is not None  # set by _init in every worker
    return _work(chunk)


def worker_count(total_bytes: int) -> int:
    """How many worker processes an import of ``total_bytes`` gets (0: none)."""
    if total_bytes < settings.BRYGGA_IMPORT_PARALLEL_MIN_BYTES:
        return 0
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    wanted = settings.BRYGGA_IMPORT_WORKERS
    if wanted <= 0:
        wanted = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return max(0, min(wanted, 8))


def map_chunks(func: Callable[[Chunk], T], chunks: Iterable[Chunk], *, workers: int) -> Iterator[T]:
    """``func`` over ``chunks`` in order; in ``workers`` processes when more than 0."""
    if workers <= 0:
        for chunk in chunks:
            yield func(chunk)
        return
    context = multiprocessing.get_context("fork")
    try:
        pool: Pool = context.Pool(workers, initializer=_init, initargs=(func,))
    except (AssertionError, OSError):
        # A daemonic process (some task pools) may not start children; a host
        # out of processes neither. Parse here instead: slower, same result.
        log.warning("import: no worker processes, parsing in the importing process")
        yield from map_chunks(func, chunks, workers=0)
        return
    try:
        pending: deque[AsyncResult[T]] = deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_call, (chunk,)))
            if len(pending) > 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
        pool.close()
    finally:
        pool.terminate()
        pool.join()

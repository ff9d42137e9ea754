"""The process pool that renders article bodies and pages when there are many.

Workers are forked, so they inherit what the parent holds (the edition, the matcher, the page plan)
and nothing is pickled on the way in: `run(workers, shared, function, chunks)` sets the values every
worker reads with `shared()`, then yields function(chunk) for each chunk, in order. A worker that meets
a GlossError returns it as `failed(exc)`; `result()` raises it again in the parent.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

from .problems import GlossError, Problem

PARALLEL_FROM = 64  # articles or pages to render before a process pool pays for its start
WORKERS = 2

_shared: tuple = ()  # what `run` gives its workers, set just before the pool forks them


def size(jobs: int | None = None) -> int:
    """How many processes render: `jobs`, or up to WORKERS (one per core); one where os.fork is missing."""
    if not hasattr(os, "fork"):
        return 1  # the pool's workers are forked (they inherit the edition); elsewhere, one process
    return min(WORKERS, os.cpu_count() or 1) if jobs is None else max(1, jobs)


def may_fork() -> bool:
    """Whether a pool may be forked from here: only while this process runs one thread (a fork copies the
    locks other threads hold, and a server's or a watcher's could be held)."""
    return threading.active_count() == 1


def in_worker() -> bool:
    """True inside a pool's worker (a worker never starts a pool of its own)."""
    return bool(_shared)


def shared() -> tuple:
    """In a worker: the values `run` was given."""
    return _shared


def run(workers: int, values: tuple, function: Callable[[list[int]], Any], chunks: list[list[int]]) -> Iterator:
    """function(chunk) for each chunk, in order, from `workers` forked processes that see `values` as shared()."""
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    global _shared
    _shared = values
    gc.freeze()  # the workers share the parent's objects; a collection in a worker would copy all their pages
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_die_with_parent, initargs=(os.getpid(),))
    try:
        futures: list[Future | None] = [pool.submit(function, chunk) for chunk in chunks]
        for index, future in enumerate(futures):
            assert future is not None
            futures[index] = None  # a result is let go once used: together they can be the size of the edition
            yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()
        _shared = ()


def ok(value: object) -> tuple[str, object]:
    """A worker's result."""
    return "ok", value


def failed(exc: GlossError) -> tuple[str, object]:
    """A worker's GlossError, as it crosses the process boundary (a Problem as a tuple)."""
    return "error", dataclasses.astuple(exc.problem)


def result(returned: tuple[str, object]) -> Any:
    """A worker's result, or the GlossError it met raised again here."""
    status, value = returned
    if status == "error":
        raise GlossError(Problem(*value))  # type: ignore[misc]
    return value


def _die_with_parent(parent: int) -> None:
    """A pool worker ends with the process that forked it, even one killed with SIGKILL (Linux: a worker
    otherwise outlives it, waiting on its queue for ever)."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)

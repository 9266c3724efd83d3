"""Worker processes that end with the process that started them: a killed import or rescore
leaves none running on its own (their pools only end them when they are shut down); and the one
pool of them the window scores fetched mentions with (`in_parallel`)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import TypeVar

PARENT_CHECK_SECONDS = 1.0
PARALLEL_MIN = 2000  # fewer items than this are done in the calling process
# A background process (an import's workers, a relearn apart) yields a core to the process that
# started it (the single writer, the window's thread) when both want one.
BACKGROUND_NICENESS = 5
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def watch_parent(parent: int, every: float = PARENT_CHECK_SECONDS) -> None:
    """End this process once `parent` has ended (this process then has another parent). Runs
    until then: call it on a thread of its own."""
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def start_in_background(parent: int, *, at_once: bool = False) -> None:
    """Call first thing in a background process: it ends with `parent` (`end_with_parent`) and
    runs at a lower priority than it (POSIX; elsewhere at the usual priority)."""
    end_with_parent(parent, at_once=at_once)
    if hasattr(os, "nice"):
        os.nice(BACKGROUND_NICENESS)


def end_with_parent(parent: int, *, at_once: bool = False) -> None:
    """Call first thing in a worker process: it ends within PARENT_CHECK_SECONDS of `parent`
    (a thread watches), or `at_once` on Linux, where the kernel kills it when the thread that
    started it ends: only for a pool that lives and dies on one thread."""
    if at_once and sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    threading.Thread(target=watch_parent, args=(parent,), name="watch-parent", daemon=True).start()


_T = TypeVar("_T")
_R = TypeVar("_R")
_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _shared_pool(processes: int) -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=processes, mp_context=get_context("spawn"),  # spawn: safe beside Qt's threads
                initializer=start_in_background, initargs=(os.getpid(),),
            )  # fmt: skip
        return _pool


def in_parallel(
    function: Callable[[list[_T]], list[_R]], items: list[_T], processes: int | None = None
) -> list[_R]:
    """`function(items)` on every core, a part of the items each: one pool of background
    processes (at a lower priority than this one, the window's), shared by every call and
    thread; a batch of fewer than PARALLEL_MIN stays in this process, as does every batch when
    the processes cannot start. `function` must be a module's own (the processes import it)."""
    processes = processes or os.cpu_count() or 1
    if len(items) < PARALLEL_MIN or processes < 2:
        return function(items)
    size = max(250, len(items) // (processes * 4))
    parts = [items[i : i + size] for i in range(0, len(items), size)]
    results: list[_R] = []
    try:
        for part in _shared_pool(processes).map(function, parts):
            results.extend(part)
    except (BrokenProcessPool, RuntimeError):  # workers cannot start, or the pool was shut down
        shutdown_pool()
        return function(items)
    return results


def warm_pool(processes: int | None = None) -> None:
    """Start every process of `in_parallel`'s pool now. Starting one briefly pauses all threads
    of this process (the window's too): better while idle after start-up than in the middle of a
    fetch. The pool starts processes on demand, so this gives it one task per process."""
    processes = processes or os.cpu_count() or 1
    if processes >= 2:
        pool = _shared_pool(processes)
        for future in [pool.submit(time.sleep, 0.2) for _ in range(processes)]:
            future.result()


def shutdown_pool() -> None:
    """Stop `in_parallel`'s processes (the window calls this before it quits)."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
            _pool = None

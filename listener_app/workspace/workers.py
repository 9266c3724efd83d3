"""Worker processes for an import: a pool of them, each at a lower priority than the writer,
without Python's cyclic garbage collector, and gone as soon as the process that started them
is (killed, crashed): an import killed halfway leaves no worker running on its own.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

# The single writer is a big import's narrowest part: workers yield a core to it, and to the
# window's thread, when both want one.
WORKER_NICENESS = 5
PARENT_CHECK_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def watch_parent(parent: int, every: float = PARENT_CHECK_SECONDS) -> None:
    """End this process once `parent` has ended (this process then has another parent). Runs
    until then: call it on a thread of its own."""
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def _end_with_parent(parent: int) -> None:
    """The kernel kills this process when its parent dies (Linux); elsewhere, and for a parent
    that died before that was asked, a thread notices within PARENT_CHECK_SECONDS."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    threading.Thread(target=watch_parent, args=(parent,), name="watch-parent", daemon=True).start()


def _worker_started(parent: int) -> None:
    """A worker makes a few dozen objects per row and keeps them for its whole chunk: Python's
    cyclic garbage collector, run on its usual thresholds, walks them over and over (a tenth of
    the workers' time on a million-row file). Parsing, normalizing and scoring make no
    reference cycles, so it is off in the workers, and `in_worker` collects what a call left."""
    _end_with_parent(parent)
    gc.disable()
    if hasattr(os, "nice"):  # POSIX; elsewhere workers keep the usual priority
        os.nice(WORKER_NICENESS)


def in_worker(function: object, *arguments: object) -> object:
    """Call `function(*arguments)` in a worker (submit this, with them, to the pool)."""
    try:
        return function(*arguments)  # type: ignore[operator]
    finally:
        gc.collect(1)  # the young generations: the call's objects, not the modules'


@contextlib.contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of `workers` processes (started as they are first needed), stopped at the end;
    on an error or a cancel, calls still waiting are dropped rather than run."""
    context = multiprocessing.get_context("spawn")  # safe beside Qt's threads
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_worker_started, initargs=(os.getpid(),)
    )
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)

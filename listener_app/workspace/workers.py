"""Worker processes for an import: a pool of them, each at a lower priority than the writer,
without Python's cyclic garbage collector, and gone as soon as the process that started them
is (killed, crashed): an import killed halfway leaves no worker running on its own.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from listener_app.domain.processes import start_in_background
from listener_app.workspace.shared_labels import create as create_shared_labels


def _worker_started(parent: int, labels: Path | None) -> None:
    """A worker makes a few dozen objects per row and keeps them for its whole chunk: Python's
    cyclic garbage collector, run on its usual thresholds, walks them over and over (a tenth of
    the workers' time on a million-row file). Parsing, normalizing and scoring make no
    reference cycles, so it is off in the workers, and `in_worker` collects what a call left.
    With `labels`, the workers share the labels they give (workspace.shared_labels)."""
    start_in_background(parent, at_once=True)  # the pool lives and dies on its caller's thread
    gc.disable()
    if labels is not None:
        from listener_app.domain.auto_labels import share_labels  # the scorers load here
        from listener_app.workspace.shared_labels import SharedLabels

        share_labels(SharedLabels(labels))


def in_worker(function: object, *arguments: object) -> object:
    """Call `function(*arguments)` in a worker (submit this, with them, to the pool)."""
    try:
        return function(*arguments)  # type: ignore[operator]
    finally:
        gc.collect(1)  # the young generations: the call's objects, not the modules'


@contextlib.contextmanager
def worker_pool(workers: int, labels_in: Path | None = None) -> Iterator[ProcessPoolExecutor]:
    """A pool of `workers` processes (started as they are first needed), stopped at the end;
    on an error or a cancel, calls still waiting are dropped rather than run. With `labels_in` (a
    folder that outlives the pool), the workers share the automatic labels they give, through a
    table made there (workspace.shared_labels)."""
    context = multiprocessing.get_context("spawn")  # safe beside Qt's threads
    labels = None if labels_in is None else create_shared_labels(labels_in)
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_worker_started, initargs=(os.getpid(), labels)
    )
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)

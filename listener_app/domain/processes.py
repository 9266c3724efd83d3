"""Worker processes that end with the process that started them: a killed import or rescore
leaves none running on its own (their pools only end them when they are shut down)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time

PARENT_CHECK_SECONDS = 1.0
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

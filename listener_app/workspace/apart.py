"""A long job in a process of its own, for a window that must stay quick meanwhile: fitting the
learned models on tens of thousands of labels holds Python's lock for seconds at a time and
takes hundreds of megabytes, which on the window's task thread slowed its searches threefold
and stayed in its memory. The job's progress comes back through a pipe, a cancel ends the
process (an unfinished transaction of its is rolled back, as after any crash), and the process
ends with the one that started it.

A job is a module-level function taking the workspace's path and a TaskState, opening the
workspace itself; what it returns must pickle.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from listener_app.domain.errors import UserError, WorkspaceError
from listener_app.domain.processes import start_in_background
from listener_app.domain.tasks import TaskState

T = TypeVar("T")
POLL_SECONDS = 0.2


def run_apart(job: Callable[[Path, TaskState], T], path: Path, state: TaskState | None = None) -> T:
    """`job(path, state)` in a new process; its result, or its error as a WorkspaceError.
    `state` gets its progress; cancelling `state` ends the process and raises Cancelled."""
    context = multiprocessing.get_context("spawn")  # safe beside Qt's threads
    ours, theirs = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(job, str(path), theirs, os.getpid()), name="listener-apart", daemon=True
    )
    process.start()
    theirs.close()
    try:
        while True:
            if state is not None:
                state.check()
            if not ours.poll(POLL_SECONDS):  # (a process that died leaves the pipe at its end: ready)
                continue
            try:
                kind, *value = ours.recv()
            except EOFError:
                process.join()
                raise WorkspaceError(f"The job stopped unexpectedly (exit code {process.exitcode})") from None
            if kind == "progress" and state is not None:
                done, total, message = value
                state.progress(done, total=total, message=message)
            elif kind == "done":
                return value[0]  # type: ignore[no-any-return]
            elif kind == "error":
                raise WorkspaceError(value[0])
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        ours.close()


def _child(job: Callable[[Path, TaskState], Any], path: str, pipe: Connection, parent: int) -> None:
    start_in_background(parent)

    def report(state: TaskState) -> None:
        pipe.send(("progress", state.done, state.total, state.message))

    try:
        result = job(Path(path), TaskState(on_progress=report))
    except Exception as exc:  # any failure reaches the window as a message, not a dead process
        if not isinstance(exc, UserError):
            traceback.print_exc()  # a bug: its trace, for the report
        pipe.send(("error", str(exc) or type(exc).__name__))
    else:
        pipe.send(("done", result))
    finally:
        pipe.close()

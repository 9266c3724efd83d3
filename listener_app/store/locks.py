"""One at a time, across processes: a long job that must not run twice on one workspace at once
(two imports would both rebuild its read indexes) takes the workspace's lock for that job, and a
second one waits for the first instead of failing half-way.

The locks are files in the data folder (named after the workspace's path, like its backups), held
with the operating system's file locks through `filelock`: a killed process releases its lock at
once, and the lock files themselves are never removed (removing one while another process waits on
it would let two jobs in)."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from listener_app.paths import data_dir

POLL_SECONDS = 0.5


def _lock_path(workspace: Path, job: str) -> Path:
    where = hashlib.sha1(str(workspace.resolve()).encode()).hexdigest()[:12]
    folder = data_dir() / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{where}-{job}.lock"


@contextlib.contextmanager
def one_at_a_time(workspace: Path, job: str, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the workspace's lock for `job`; while another process (or thread) holds it, call
    `waiting()` every POLL_SECONDS (it may raise to stop waiting: a cancel)."""
    lock = FileLock(_lock_path(workspace, job))
    while True:
        try:
            lock.acquire(timeout=POLL_SECONDS)
            break
        except Timeout:
            if waiting is not None:
                waiting()
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def if_idle(workspace: Path, job: str) -> Iterator[bool]:
    """Hold the workspace's lock for `job` if no one holds it now: yields True (and keeps it
    held, so the job cannot start meanwhile) or False while the job runs elsewhere."""
    lock = FileLock(_lock_path(workspace, job))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        yield False
        return
    try:
        yield True
    finally:
        lock.release()

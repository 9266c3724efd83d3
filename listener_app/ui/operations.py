"""How the window reaches its workspace without ever waiting on it (Anki's aqt/operations, Datasette's
single write thread).

- `write(op)`: a short write, `op(ws) -> Changes`, run on the one writer thread, which owns a
  read-write Workspace. When the file is busy (an import in another process holds the lock) it
  waits its turn and is never dropped.
- `task(...)`: a long job (import, export, relearn, a rule run) on the task thread, which owns a
  Workspace of its own, so triage keys keep working while it runs; progress and Cancel.
- `read(kind, op)`: a read off the GUI thread on a read-only Workspace; only the latest request
  of each kind runs.
- `changes_applied(changes, initiator)`: every write's Changes, for each view to refresh what it
  shows.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from listener_app.domain.changes import Changes
from listener_app.domain.errors import UserError, WorkspaceBusy
from listener_app.domain.tasks import Cancelled, TaskState
from listener_app.workspace import Workspace

Op = Callable[[Workspace], Any]
Callback = Callable[[Any], None] | None
BUSY_RETRY_SECONDS = 0.25
BUSY_WAIT_SECONDS = 1.0  # a write waits this long inside SQLite, then the thread checks whether to stop


class _Worker(threading.Thread):
    """A thread with its own Workspace, running queued jobs one at a time."""

    def __init__(self, path: Path, *, readonly: bool, name: str, done: Signal, mapped: bool = False) -> None:
        super().__init__(name=name, daemon=True)
        self.path, self.readonly, self.mapped = path, readonly, mapped
        self.jobs: queue.Queue[tuple[int, Op] | None] = queue.Queue()
        self.done = done  # emits (job number, result, error message or None)
        self.stopping = threading.Event()
        self.busy_wait = BUSY_WAIT_SECONDS

    def stop(self) -> None:
        self.stopping.set()
        self.jobs.put(None)
        if self.is_alive():
            self.join(timeout=10)

    def run(self) -> None:
        try:
            ws: Workspace | None = Workspace.open(self.path, create=False, readonly=self.readonly)
        except UserError as exc:
            ws, reason = None, str(exc)
        if ws is not None and self.mapped:
            ws.analytics.map_file()
        while (job := self.jobs.get()) is not None:
            if ws is not None:
                ws.wait_when_busy(self.busy_wait)
            number, op = job
            if ws is None:
                self.done.emit(number, None, f"The workspace could not be opened: {reason}")
                continue
            self.done.emit(number, *self._attempt(ws, op))
        if ws is not None:
            ws.close()

    def _attempt(self, ws: Workspace, op: Op) -> tuple[Any, str | None]:
        while True:
            try:
                return op(ws), None
            except WorkspaceBusy:
                if self.stopping.is_set():
                    return None, "The workspace was busy and the window closed before this was saved"
                time.sleep(BUSY_RETRY_SECONDS)  # another writer holds the file: wait our turn
            except Cancelled:
                return None, "Cancelled"
            except UserError as exc:
                return None, str(exc)
            except Exception as exc:  # a bug: keep the thread alive and say so plainly
                traceback.print_exc()
                return None, f"Something went wrong: {exc}"


class Operations(QObject):
    changes_applied = Signal(object, object)  # (Changes, initiator)
    progress = Signal(object, int, int, str)  # (TaskState, done, total or 0, message)
    done = Signal(object, object, object)  # (initiator, result, error or None): a job ended, callbacks ran
    _finished = Signal(int, object, object)  # (job number, result, error): crosses to the GUI thread

    def __init__(self, path: Path, parent: QObject | None = None, *, readonly: bool = False) -> None:
        super().__init__(parent)
        self.path = path
        self._callbacks: dict[int, tuple[Callback, Callback, object, bool]] = {}
        self._numbers = iter(range(1, 1 << 62))
        self._finished.connect(self._deliver)
        self._writer = _Worker(path, readonly=readonly, name="listener-writer", done=self._finished)
        self._tasks = _Worker(path, readonly=readonly, name="listener-tasks", done=self._finished)
        self._reader = Reader(path, self)
        for thread in (self._writer, self._tasks):
            thread.start()

    def write(
        self, op: Op, *, initiator: object = None, success: Callback = None, failure: Callback = None
    ) -> None:
        """Run a short write; its Changes are broadcast, then `success(result)` (or `failure(message)`)."""
        self._writer.jobs.put((self._remember(success, failure, initiator, True), op))

    def task(
        self,
        work: Callable[[Workspace, TaskState], Any],
        state: TaskState,
        *,
        changes: Changes,
        success: Callback = None,
        failure: Callback = None,
    ) -> None:
        """Run a long job on the task thread; `changes` (what such a job may change) are broadcast
        when it ends, even when it was cancelled half-way (what it did stays done)."""
        state.on_progress = lambda s: self.progress.emit(s, s.done, s.total or 0, s.message)

        def run(ws: Workspace) -> Any:
            try:
                return work(ws, state)
            finally:
                self.changes_applied.emit(changes, state)

        self._tasks.jobs.put((self._remember(success, failure, state, False), run))

    def read(self, kind: str, op: Op, success: Callable[[Any], None]) -> None:
        """A read off the GUI thread; a newer request of the same kind replaces one not yet run."""
        self._reader.request(kind, op, success)

    def call(self, op: Op) -> Any:
        """Run a write on the writer and wait for it: from worker threads only (the fetcher),
        never the GUI thread. Raises what the write raised, as a UserError."""
        done = threading.Event()
        box: dict[str, Any] = {}

        def run(ws: Workspace) -> Any:
            try:
                box["result"] = result = op(ws)
                return result
            except BaseException as exc:
                box["error"] = exc
                raise
            finally:
                done.set()

        self._writer.jobs.put((self._remember(None, None, None, True), run))
        done.wait()
        if "error" in box:
            raise box["error"]
        return box.get("result")

    def stop(self) -> None:
        """Stop every thread; what was queued runs first. The writer closes last (a clean close
        of the last connection folds the write-ahead log back into the file)."""
        self._reader.stop()
        for thread in (self._tasks, self._writer):
            thread.stop()

    def _remember(self, success: Callback, failure: Callback, initiator: object, broadcast: bool) -> int:
        number = next(self._numbers)
        self._callbacks[number] = (success, failure, initiator, broadcast)
        return number

    def _deliver(self, number: int, result: Any, error: str | None) -> None:
        success, failure, initiator, broadcast = self._callbacks.pop(number, (None, None, None, False))
        if error is not None:
            if failure is not None:
                failure(error)
        else:
            if broadcast and isinstance(result, Changes) and result:
                self.changes_applied.emit(result, initiator)
            if success is not None:
                success(result)
        self.done.emit(initiator, result, error)


class Reader(QObject):
    """Reads on a thread with its own read-only Workspace, so the window paints first and the numbers
    fill in a moment later. Only the latest request of each kind runs; a failed read leaves its
    number blank (and says so on standard error)."""

    _done = Signal(object, object)  # (callback, result)

    def __init__(self, path: Path, parent: QObject | None = None, *, mapped: bool = False) -> None:
        super().__init__(parent)
        self._path = path
        self._mapped = mapped  # read through the OS page cache directly (dashboards)
        self._pending: dict[str, tuple[Op, Callable[[Any], None]]] = {}
        self._wake = threading.Condition()
        self._stopped = False
        self._done.connect(lambda callback, result: callback(result))
        self._thread = threading.Thread(target=self._run, name="listener-reader", daemon=True)
        self._thread.start()

    def request(self, kind: str, op: Op, success: Callable[[Any], None]) -> None:
        with self._wake:
            self._pending[kind] = (op, success)
            self._wake.notify()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        try:
            ws = Workspace.open(self._path, create=False, readonly=True)
        except UserError:
            return
        if self._mapped:
            ws.analytics.map_file()
        while True:
            with self._wake:
                while not self._pending and not self._stopped:
                    self._wake.wait()
                if self._stopped:
                    break
                _kind, (op, success) = self._pending.popitem()
            try:
                self._done.emit(success, op(ws))
            except Exception:
                traceback.print_exc()
        ws.close()

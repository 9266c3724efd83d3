"""The single writer: every change to the workspace runs here, one at a time, off the GUI thread.

Operations are plain functions `fn(ws) -> Changes | None` run on the writer's own connection;
their result comes back on the GUI thread through `finished` (and `changed` for a Changes),
errors through `failed` with a readable message. Long tasks get a TaskState for progress
and cancel.
"""

from __future__ import annotations

import queue
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from listener_app.domain.changes import Changes
from listener_app.domain.errors import UserError
from listener_app.domain.tasks import Cancelled, TaskState
from listener_app.store import Store, open_store

Operation = Callable[[Store], Any]


class Reader(QObject):
    """Slow reads (sidebar counts, result counts) on a thread with its own read-only connection,
    so the window paints first and the numbers fill in a moment later. Only the latest request
    of each kind is run."""

    done = Signal(object, object)  # (kind, result)

    def __init__(self, path: Path, parent: QObject | None = None, *, mapped: bool = False) -> None:
        super().__init__(parent)
        self._path = path
        self._mapped = mapped  # read through the OS page cache directly (Store.map_file)
        self._pending: dict[str, Operation] = {}
        self._wake = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="listener-reader", daemon=True)
        self._thread.start()

    def request(self, kind: str, operation: Operation) -> None:
        with self._wake:
            self._pending[kind] = operation
            self._wake.notify()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        try:
            ws = open_store(self._path, create=False, readonly=True)
        except UserError:
            return
        if self._mapped:
            ws.map_file()
        while True:
            with self._wake:
                while not self._pending and not self._stopped:
                    self._wake.wait()
                if self._stopped:
                    break
                kind, operation = self._pending.popitem()
            try:
                self.done.emit(kind, operation(ws))
            except Exception:  # a failed count only leaves a number blank
                traceback.print_exc()
        ws.close()


class Writer(QObject):
    finished = Signal(object, object)  # (token, result)
    changed = Signal(object)  # Changes
    failed = Signal(object, str)  # (token, message)
    progress = Signal(object, int, int, str)  # (token, done, total or 0, message)

    def __init__(self, path: Path, parent: QObject | None = None, *, readonly: bool = False) -> None:
        super().__init__(parent)
        self._path = path
        self._readonly = readonly
        self._queue: queue.Queue[tuple[object, Operation, TaskState | None] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="listener-writer", daemon=True)
        self._thread.start()

    def submit(self, operation: Operation, *, token: object = None, state: TaskState | None = None) -> object:
        if state is not None:
            state.on_progress = lambda s: self.progress.emit(token, s.done, s.total or 0, s.message)
        self._queue.put((token, operation, state))
        return token

    def call(self, operation: Operation) -> Any:
        """Run `operation` on the writer and wait for its result (from a worker thread only,
        never the GUI thread). Errors are raised here as they were raised there."""
        done = threading.Event()
        box: dict[str, Any] = {}

        def run(ws: Store) -> None:
            try:
                box["result"] = operation(ws)
            except BaseException as exc:
                box["error"] = exc
            finally:
                done.set()

        self._queue.put((None, run, None))
        done.wait()
        if "error" in box:
            raise box["error"]
        result = box.get("result")
        if isinstance(result, Changes):
            self.changed.emit(result)
        return result

    def stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout=10)

    def _run(self) -> None:
        ws: Store | None = None
        try:
            ws = open_store(self._path, create=False, readonly=self._readonly)
        except UserError as exc:
            self.failed.emit(None, str(exc))
        while (job := self._queue.get()) is not None:
            token, operation, _state = job
            if ws is None:
                self.failed.emit(token, "The workspace could not be opened for writing")
                continue
            try:
                result = operation(ws)
            except Cancelled:
                self.failed.emit(token, "Cancelled")
                continue
            except UserError as exc:
                self.failed.emit(token, str(exc))
                continue
            except Exception as exc:  # a bug: keep the writer alive and say so plainly
                traceback.print_exc()
                self.failed.emit(token, f"Something went wrong: {exc}")
                continue
            self.finished.emit(token, result)
            if isinstance(result, Changes):
                self.changed.emit(result)
        if ws is not None:
            ws.close()

"""The learned models kept up to date while the strategist triages, without a word from them.

Each new manual label is learned at once by the writer (workspace.learners, warmed here when the
strategist first labels something: holding every labelled mention's features takes memory and a
few seconds of both cores, which a window opened only to read or search should not pay); a full
relearn, which measures the models again and ranks "ask me" again, runs on the task thread when
RELEARN_AFTER labels changed since the last one, or when labelling pauses for IDLE_MS. The detail
pane's models are read again (off the GUI thread) after every change.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from listener_app.domain.changes import Changes
from listener_app.domain.tasks import TaskState
from listener_app.ui.operations import Operations
from listener_app.workspace import Workspace

RELEARN_AFTER = 25  # label changes since the last relearn
IDLE_MS = 20_000  # a pause in labelling that starts one


class Relearning(QObject):
    models_loaded = Signal(object)  # the stored models, for the detail pane's suggestions
    relearned = Signal(str)  # what a background relearn found, for the status bar
    _warmed = Signal(object)  # the models, from the thread that warmed the writer's learners

    def __init__(
        self, ws: Workspace, ops: Operations, parent: QObject | None = None, *, writable: bool
    ) -> None:
        super().__init__(parent)
        self.ws, self.ops, self.writable = ws, ops, writable
        self._running: TaskState | None = None
        self._warmed_up = False  # the writer learns each label at once
        self._stopped = False  # the window closed: what arrives now has nothing to show it
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_MS)
        self._idle.timeout.connect(self._relearn_if_behind)
        self._warmed.connect(self._after_warm)

    def start(self) -> None:
        """Once the window shows: in a writable window, learn from labels no model was fitted on
        yet (a new demo, a workspace from before these models) in a process of its own; then load
        the models for the suggestions, off the GUI thread."""
        if self._stopped:
            return  # the window closed before it came to this
        if self.writable and self.ws.learning.needs_relearn():
            self._relearn(then=self._load, apart=True)
        else:
            self._load()

    def _load(self) -> None:
        self.ops.read("learned-models", lambda ws: ws.learning.models(), self._loaded)

    def _warm(self) -> None:
        """On a thread of its own with a connection of its own (scikit-learn's import and the
        labelled mentions' features take a second or more): get the writer ready to learn each
        label at once, then load the models it learned."""
        self._warmed_up = True
        path, writable = self.ws.path, self.writable

        def run() -> None:
            try:
                with Workspace.open(path, create=False, readonly=True) as ws:
                    if writable:
                        ws.learning.warm()
                    models = ws.learning.models()
                self._warmed.emit(models)
            except RuntimeError:  # the window (and this object) went meanwhile
                return
            except Exception:  # a bug: say so, the window goes on without suggestions
                traceback.print_exc()

        threading.Thread(target=run, name="listener-learning", daemon=True).start()

    def _after_warm(self, models: dict[str, Any]) -> None:
        """The writer is warm: show its models, and store what it learned of the labels given
        before it was (the first label of this session) so the suggestions know them too."""
        self._loaded(models)
        if self.writable and not self._stopped:
            self.ops.write(lambda ws: ws.learning.catch_up())

    def changed(self, changes: Changes) -> None:
        """Every write's Changes: models read again where learning changed; a relearn when due."""
        if changes.labels and self.writable and not self._warmed_up:
            self._warm()  # the first label: from now on each one is learned at once
        elif changes.learning or changes.labels or changes.all_mentions:
            self._load()
        if changes.labels and self.writable:
            if self.ws.learning.behind() >= RELEARN_AFTER:
                self._relearn_if_behind()
            else:
                self._idle.start()

    def stop(self) -> None:
        """The window closes: a relearn under way stops at its next step."""
        self._stopped = True
        self._idle.stop()
        if self._running is not None:
            self._running.cancel()

    def _loaded(self, models: dict[str, Any]) -> None:
        if not self._stopped:
            self.models_loaded.emit(models)

    def _relearn_if_behind(self) -> None:
        if not self._stopped and self._running is None and self.ws.learning.behind():
            self._relearn()

    def _relearn(self, then: Callable[[], None] | None = None, *, apart: bool = False) -> None:
        """On the task thread; `apart`: in a process of its own (the first relearn of a
        workspace, which may have tens of thousands of labels, while the strategist searches)."""
        state = self._running = TaskState()

        def finished(result: Any) -> None:
            self._running = None
            if self._stopped:
                return
            if then is not None:
                then()
            if result is not None:
                self.relearned.emit(
                    f"Relearned from the labels of {result.labelled:,} mentions in {result.seconds:.1f} s"
                )
            if self.ws.learning.behind():
                self._idle.start()  # labels came meanwhile

        def failed(_message: str) -> None:
            finished(None)

        self.ops.task(
            lambda ws, task: (ws.learning.relearn_apart if apart else ws.learning.relearn)(task),
            state, changes=Changes(learning=True), success=finished, failure=failed,
        )  # fmt: skip

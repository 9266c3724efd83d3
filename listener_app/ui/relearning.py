"""The learned models kept up to date while the strategist triages, without a word from them.

Each new manual label is learned at once by the writer (workspace.learners, warmed here after
start-up); a full relearn, which measures the models again and ranks "ask me" again, runs on the
task thread when RELEARN_AFTER labels changed since the last one, or when labelling pauses for
IDLE_MS. The detail pane's models are read again (off the GUI thread) after every change.
"""

from __future__ import annotations

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

    def __init__(
        self, ws: Workspace, ops: Operations, parent: QObject | None = None, *, writable: bool
    ) -> None:
        super().__init__(parent)
        self.ws, self.ops, self.writable = ws, ops, writable
        self._running: TaskState | None = None
        self._stopped = False  # the window closed: what arrives now has nothing to show it
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_MS)
        self._idle.timeout.connect(self._relearn_if_behind)

    def start(self) -> None:
        """Once the window shows, on the task thread (scikit-learn's import and the labelled
        mentions' features take a second or more; the reader thread has the first counts to
        fetch): in a writable window, learn from labels no model was fitted on yet (a new demo, a
        workspace from before these models) and get the writer ready to learn each label at once;
        then load the models."""
        state = self._running = TaskState()

        def ready(ws: Workspace, task: TaskState) -> tuple[Any, dict[str, Any]]:
            relearned = None
            if self.writable:
                if ws.learning.needs_relearn():
                    relearned = ws.learning.relearn(task)
                ws.learning.warm()
            return relearned, ws.learning.models()

        def done(result: tuple[Any, dict[str, Any]]) -> None:
            self._running = None
            relearned, models = result
            self._loaded(models)
            if relearned is not None and not self._stopped:
                self.relearned.emit(f"Learned from the labels of {relearned.labelled:,} mentions")

        def failed(_message: str) -> None:
            self._running = None

        self.ops.task(ready, state, changes=Changes(learning=True), success=done, failure=failed)

    def changed(self, changes: Changes) -> None:
        """Every write's Changes: models read again where learning changed; a relearn when due."""
        if changes.learning or changes.labels or changes.all_mentions:
            self.ops.read("learned-models", lambda ws: ws.learning.models(), self._loaded)
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
        if self._stopped or self._running is not None or not self.ws.learning.behind():
            return
        state = self._running = TaskState()

        def finished(result: Any) -> None:
            self._running = None
            if self._stopped:
                return
            if result is not None:
                self.relearned.emit(
                    f"Relearned from the labels of {result.labelled:,} mentions in {result.seconds:.1f} s"
                )
            if self.ws.learning.behind():
                self._idle.start()  # labels came meanwhile

        def failed(_message: str) -> None:
            finished(None)

        self.ops.task(
            lambda ws, task: ws.learning.relearn(task), state, changes=Changes(learning=True),
            success=finished, failure=failed,
        )  # fmt: skip

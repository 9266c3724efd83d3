"""Progress and cancellation for long work, shared by the CLI, the window and the tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field


class Cancelled(Exception):
    """Raised inside a task when the user asked it to stop."""


@dataclass
class TaskState:
    """Passed to every long task: it reports progress here and checks `cancelled` often.

    `on_progress` is called from the worker's thread; the window turns it into a signal.
    """

    total: int | None = None
    done: int = 0
    message: str = ""
    on_progress: Callable[[TaskState], None] | None = None
    _cancel: threading.Event = field(default_factory=threading.Event)

    def progress(
        self, done: int | None = None, *, total: int | None = None, message: str | None = None
    ) -> None:
        if done is not None:
            self.done = done
        if total is not None:
            self.total = total
        if message is not None:
            self.message = message
        if self.on_progress is not None:
            self.on_progress(self)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise Cancelled if the user asked to stop."""
        if self._cancel.is_set():
            raise Cancelled(self.message or "cancelled")


def in_steps(
    ids: Sequence[int], state: TaskState | None, message: str, step: int = 5000
) -> Iterator[Sequence[int]]:
    """`ids` a step at a time, with progress and cancel between steps."""
    if state is not None:
        state.progress(0, total=len(ids), message=message)
    for start in range(0, len(ids), step):
        if state is not None:
            state.check()
        yield ids[start : start + step]
        if state is not None:
            state.progress(min(start + step, len(ids)))

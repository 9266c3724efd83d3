"""Fetching in the background: each source's network work runs on a small thread pool, every
page is stored by the single writer, and the window hears about progress, new mentions and
alerts through signals (pages are stored by the window's writer). A schedule fetches each source
when its interval has passed."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from listener_app.domain.changes import Changes
from listener_app.domain.tasks import TaskState
from listener_app.sources.http import Http
from listener_app.ui.operations import Operations
from listener_app.workspace import Workspace
from listener_app.workspace.fetching import FetchJob, FetchResult, run_job

SCHEDULE_CHECK_MS = 60_000
POOL_SIZE = 3


def due(source: dict[str, Any], now: datetime | None = None) -> bool:
    """Whether a source's interval has passed since its last run (never run: due)."""
    if not source["enabled"]:
        return False
    if not source["last_run_at"]:
        return True
    last = datetime.strptime(source["last_run_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return (now or datetime.now(UTC)) - last >= timedelta(minutes=int(source["interval_minutes"]))


class Fetcher(QObject):
    progress = Signal(str, int)  # (source name, items fetched so far)
    source_done = Signal(object)  # FetchResult
    all_done = Signal(list)  # [FetchResult]

    def __init__(self, ws: Workspace, ops: Operations, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops
        self.http = Http()
        self.state = TaskState()
        self._pool = ThreadPoolExecutor(max_workers=POOL_SIZE, thread_name_prefix="listener-fetch")
        self._running: set[str] = set()
        self._lock = threading.Lock()
        self.timer = QTimer(self)
        self.timer.setInterval(SCHEDULE_CHECK_MS)
        self.timer.timeout.connect(self.fetch_due)

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def start_schedule(self) -> None:
        self.timer.start()

    def fetch_due(self) -> None:
        names = [s["name"] for s in self.ws.sources.list() if due(s)]
        if names:
            self.fetch(names)

    def fetch(self, names: list[str] | None = None) -> int:
        """Start fetching (all sources, or those named); returns how many were started."""
        jobs = [j for j in self.ws.sources.plan(names) if j.name not in self._running]
        if not jobs:
            return 0
        self.state = TaskState()
        results: list[FetchResult] = []
        with self._lock:
            self._running |= {j.name for j in jobs}
        for job in jobs:
            self._pool.submit(self._run, job, results, len(jobs))
        return len(jobs)

    def cancel(self) -> None:
        self.state.cancel()

    def stop(self) -> None:
        self.timer.stop()
        self.state.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self, job: FetchJob, results: list[FetchResult], total: int) -> None:
        state = TaskState(on_progress=lambda s: self.progress.emit(job.name, s.done))
        state._cancel = self.state._cancel  # one Cancel stops every source
        result = run_job(job, self.http, self._store, state)
        self.ops.call(lambda ws: ws.sources.record_run(int(job.source["id"]), result.error))
        self.source_done.emit(result)
        with self._lock:
            self._running.discard(job.name)
            results.append(result)
            finished = len(results) == total
        if finished:
            self.all_done.emit(list(results))

    def _store(self, job: FetchJob, page: Any) -> Any:
        def write(ws: Workspace) -> Any:
            report = ws.sources.store_page(job, page)
            self.ops.changes_applied.emit(
                Changes.of([*report.new_ids, *report.changed_ids], sources=True), self
            )
            return report

        return self.ops.call(write)

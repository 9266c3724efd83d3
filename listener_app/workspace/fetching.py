"""Running sources against a workspace: fetch page by page, store each page and its
high-water mark together, and record the source's health. A failing source never stops the
others and never loses what was already stored."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from listener_app.domain.errors import UserError
from listener_app.domain.tasks import TaskState
from listener_app.domain.trackers import server_queries
from listener_app.sources.base import Page
from listener_app.sources.http import Http
from listener_app.sources.registry import kind as source_kind
from listener_app.store import sources as source_store
from listener_app.store.connection import Store
from listener_app.store.trackers import list_trackers
from listener_app.workspace.ingest import IngestReport, ingest_items, undated_warning


@dataclass
class FetchResult:
    name: str
    fetched: int = 0
    new: int = 0
    undated: int = 0  # posts the source gave no date: dated by the fetch, as feed readers do
    error: str | None = None
    notifications: list[tuple[str, str, int]] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)  # the new mentions (alert views check them)

    @property
    def undated_warning(self) -> str | None:
        return fetch_undated_warning(self.undated)


def fetch_undated_warning(undated: int) -> str | None:
    """What fetching `undated` posts without a date did with them (for one source, or several)."""
    return undated_warning(undated, "post", "the fetch")


def _queries(ws: Store, settings: dict[str, str], kind: str) -> list[str]:
    """A source with no query of its own follows the workspace's trackers (translated)."""
    if settings.get("query") or settings.get("url") or settings.get("hashtags"):
        return []
    queries: list[str] = []
    for tracker in list_trackers(ws, with_counts=False):
        queries.extend(server_queries(tracker["query"], kind))
    return list(dict.fromkeys(queries))


@dataclass
class FetchJob:
    """One source to fetch, with the server-side queries decided up front (a read)."""

    source: dict[str, Any]
    queries: list[str]

    @property
    def name(self) -> str:
        return str(self.source["name"])


def plan(ws: Store, names: list[str] | None = None) -> list[FetchJob]:
    sources = [
        s for s in source_store.list_sources(ws) if s["enabled"] and (names is None or s["name"] in names)
    ]
    if names:
        missing = set(names) - {s["name"] for s in sources}
        if missing:
            raise UserError(f"No source named {sorted(missing)[0]!r}")
    return [FetchJob(s, _queries(ws, s["settings"], s["kind"])) for s in sources]


def pages(job: FetchJob, http: Http) -> Iterator[Page]:
    """The network half: pages of items with the state to adopt after each (no database)."""
    spec = source_kind(str(job.source["kind"]))
    settings = {**job.source["settings"], "__name__": job.name}  # keyed sources find their secrets by name
    yield from spec.fetch(settings, dict(job.source["state"]), http, job.queries)


def store_page(ws: Store, job: FetchJob, page: Page) -> IngestReport:
    """The writing half: a page's items and its high-water mark, in one transaction."""
    with ws.transaction():
        report = ingest_items(ws, page.items, source_id=int(job.source["id"]))
        source_store.save_state(ws, int(job.source["id"]), page.state, len(page.items))
    job.source["state"] = page.state
    return report


def run_job(
    job: FetchJob,
    http: Http,
    store: Callable[[FetchJob, Page], IngestReport],
    state: TaskState | None = None,
) -> FetchResult:
    """Fetch one source, handing each page to `store`; a failure is recorded, never raised."""
    result = FetchResult(job.name)
    try:
        for page in pages(job, http):
            if state is not None:
                state.check()
            report = store(job, page)
            result.fetched += len(page.items)
            result.new += report.inserted
            result.undated += report.undated
            result.new_ids.extend(report.new_ids)
            result.notifications.extend(report.notifications)
            if state is not None:
                state.progress(result.fetched, message=f"{job.name}: {result.fetched:,} fetched")
    except UserError as exc:
        result.error = str(exc)
    except Exception as exc:  # a source's bug or an answer in a shape never seen: this source only
        traceback.print_exc()
        result.error = f"{job.name}: unexpected answer or failure ({type(exc).__name__}: {exc})"
    return result


def fetch_all(
    ws: Store, names: list[str] | None = None, *, http: Http | None = None, state: TaskState | None = None
) -> list[FetchResult]:
    """Fetch the sources one after another on this thread (the command line)."""
    http = http or Http()
    results = []
    for job in plan(ws, names):
        result = run_job(job, http, lambda job, page: store_page(ws, job, page), state)
        source_store.record_run(ws, int(job.source["id"]), error=result.error)
        results.append(result)
    return results

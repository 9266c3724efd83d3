"""Running sources against a workspace: fetch page by page, store each page and its
high-water mark together, and record the source's health. A failing source never stops the
others and never loses what was already stored."""

from __future__ import annotations

from dataclasses import dataclass

from listener_app.core.errors import UserError
from listener_app.core.ingest import ingest_items
from listener_app.core.tasks import TaskState
from listener_app.core.trackers import server_queries
from listener_app.db import sources as source_store
from listener_app.db.trackers import list_trackers
from listener_app.db.workspace import Workspace
from listener_app.sources.http import Http
from listener_app.sources.registry import kind as source_kind


@dataclass
class FetchResult:
    name: str
    fetched: int = 0
    new: int = 0
    error: str | None = None
    notifications: int = 0


def _queries(ws: Workspace, settings: dict[str, str], kind: str) -> list[str]:
    """A source with no query of its own follows the workspace's trackers (translated)."""
    if settings.get("query") or settings.get("url") or settings.get("hashtags"):
        return []
    queries: list[str] = []
    for tracker in list_trackers(ws, with_counts=False):
        queries.extend(server_queries(tracker["query"], kind))
    return list(dict.fromkeys(queries))


def fetch_source(
    ws: Workspace, source: dict[str, object], http: Http, state: TaskState | None = None
) -> FetchResult:
    name = str(source["name"])
    result = FetchResult(name)
    try:
        spec = source_kind(str(source["kind"]))
        settings = dict(source["settings"])  # type: ignore[call-overload]
        pages = spec.fetch(settings, dict(source["state"]), http, _queries(ws, settings, spec.kind))  # type: ignore[call-overload]
        for page in pages:
            if state is not None:
                state.check()
            with ws.transaction():
                report = ingest_items(ws, page.items, source_id=int(source["id"]))  # type: ignore[call-overload]
                source_store.save_state(ws, int(source["id"]), page.state, len(page.items))  # type: ignore[call-overload]
            result.fetched += len(page.items)
            result.new += report.inserted
            result.notifications += sum(n for _, _, n in report.notifications)
            if state is not None:
                state.progress(result.fetched, message=f"{name}: {result.fetched:,} fetched")
    except UserError as exc:
        result.error = str(exc)
    source_store.record_run(ws, int(source["id"]), error=result.error)  # type: ignore[call-overload]
    return result


def fetch_all(
    ws: Workspace, names: list[str] | None = None, *, http: Http | None = None, state: TaskState | None = None
) -> list[FetchResult]:
    http = http or Http()
    sources = [
        s for s in source_store.list_sources(ws) if s["enabled"] and (names is None or s["name"] in names)
    ]
    if names:
        missing = set(names) - {s["name"] for s in sources}
        if missing:
            raise UserError(f"No source named {sorted(missing)[0]!r}")
    return [fetch_source(ws, source, http, state) for source in sources]

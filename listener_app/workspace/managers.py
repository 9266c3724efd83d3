"""The Workspace's sub-managers for what a workspace keeps beside its mentions: tags, saved views,
trackers, sources, reply templates and authors (rules, learning, analytics and backups have
modules of their own). Each holds the workspace's connection; writes return Changes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from listener_app.domain.changes import Changes
from listener_app.domain.people import SentimentSeries
from listener_app.domain.query import parse
from listener_app.domain.tasks import TaskState
from listener_app.store import authors as author_store
from listener_app.store import playbook, tags, trackers, views
from listener_app.store import sources as source_store
from listener_app.store.connection import Store
from listener_app.workspace.analytics import Analytics
from listener_app.workspace.backups import Backups
from listener_app.workspace.learning import Learning
from listener_app.workspace.rules import Rules

if TYPE_CHECKING:  # fetching loads every source's parser: only when something is fetched
    from listener_app.sources.base import Page
    from listener_app.sources.http import Http
    from listener_app.workspace.fetching import FetchJob, FetchResult
    from listener_app.workspace.ingest import IngestReport

__all__ = [
    "Analytics", "Authors", "Backups", "Learning", "Rules", "Sources", "Tags", "Templates", "Trackers", "Views",
]  # fmt: skip


class Tags:
    def __init__(self, store: Store) -> None:
        self._store = store

    def list(self, *, with_counts: bool = False) -> list[dict[str, Any]]:
        """Every tag: id, name, color, group, shortcut (and count)."""
        return tags.list_tags(self._store, with_counts=with_counts)

    def by_name(self, name: str) -> dict[str, Any] | None:
        return tags.tag_by_name(self._store, name)

    def create(
        self, name: str, *, color: str | None = None, group: str | None = None, shortcut: str | None = None
    ) -> Changes:
        """A new tag; without a shortcut it gets the first free number key."""
        tag_id = tags.create_tag(self._store, name, color=color, group=group, shortcut=shortcut)
        return Changes(tags=True, created_id=tag_id)

    def update(self, tag_id: int, **fields: Any) -> Changes:
        """Rename, recolour, regroup or rebind (name, color, group, shortcut); a shortcut moves
        from any tag that had it."""
        tags.update_tag(self._store, tag_id, **fields)
        return Changes(tags=True, all_mentions=True)

    def delete(self, tag_id: int) -> Changes:
        """Delete a tag and take it off every mention (learning forgets it)."""
        tags.delete_tag(self._store, tag_id)
        return Changes(tags=True, labels=True, all_mentions=True, learning=True)


class Views:
    def __init__(self, store: Store) -> None:
        self._store = store

    def list(self) -> list[dict[str, Any]]:
        return views.list_views(self._store)

    def save(self, name: str, query: str, *, notify: bool = False) -> Changes:
        """Create or replace the view called `name`; its id is `created_id`."""
        parse(query)  # a malformed search is refused with its position, never saved
        return Changes(views=True, created_id=views.save_view(self._store, name, query, notify=notify))

    def delete(self, view_id: int) -> Changes:
        views.delete_view(self._store, view_id)
        return Changes(views=True)


class Trackers:
    def __init__(self, store: Store) -> None:
        self._store = store

    def list(self, *, with_counts: bool = True) -> list[dict[str, Any]]:
        return trackers.list_trackers(self._store, with_counts=with_counts)

    def create(
        self, name: str, query: str, role: str = "brand", languages: Sequence[str] | str | None = None
    ) -> Changes:
        """A new tracker (rerun it to link the mentions already stored)."""
        tracker_id = trackers.create_tracker(self._store, name, query, role, languages)
        return Changes(trackers=True, created_id=tracker_id)

    def update(self, tracker_id: int, **fields: Any) -> bool:
        """Change name, query, role or languages; whether its matches may have changed."""
        return trackers.update_tracker(self._store, tracker_id, **fields)

    def delete(self, tracker: str | int) -> bool:
        return trackers.delete_tracker(self._store, tracker)

    def rerun(self, tracker_ids: Sequence[int] | None = None, state: TaskState | None = None) -> int:
        """Match every stored mention against the trackers again; the links there are now."""
        return trackers.rerun_trackers(self._store, tracker_ids, state)


class Sources:
    def __init__(self, store: Store) -> None:
        self._store = store

    def list(self) -> list[dict[str, Any]]:
        return source_store.list_sources(self._store)

    def get(self, name: str) -> dict[str, Any]:
        return source_store.get_source(self._store, name)

    def add(self, kind: str, name: str, settings: dict[str, str], *, interval_minutes: int = 60) -> Changes:
        source_id = source_store.add_source(
            self._store, kind, name, settings, interval_minutes=interval_minutes
        )
        return Changes(sources=True, created_id=source_id)

    def remove(self, name: str) -> bool:
        return source_store.remove_source(self._store, name)

    def plan(self, names: list[str] | None = None) -> list[FetchJob]:
        """The enabled sources to fetch (all, or those named), with their server-side queries."""
        from listener_app.workspace.fetching import plan

        return plan(self._store, names)

    def store_page(self, job: FetchJob, page: Page) -> IngestReport:
        """A fetched page's items and its high-water mark, in one transaction."""
        from listener_app.workspace.fetching import store_page

        return store_page(self._store, job, page)

    def record_run(self, source_id: int, error: str | None) -> Changes:
        source_store.record_run(self._store, source_id, error=error)
        return Changes(sources=True)

    def fetch(
        self, names: list[str] | None = None, *, http: Http | None = None, state: TaskState | None = None
    ) -> list[FetchResult]:
        """Fetch sources one after another on this thread (the command line)."""
        from listener_app.workspace.fetching import fetch_all

        return fetch_all(self._store, names, http=http, state=state)


class Templates:
    """Reply templates and the signature ({brand}, {agent}) they are filled with."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def list(self) -> list[dict[str, Any]]:
        return playbook.list_templates(self._store)

    def save(self, name: str, body: str, *, template_id: int | None = None) -> Changes:
        saved = playbook.save_template(self._store, name, body, template_id=template_id)
        return Changes(created_id=saved)

    def delete(self, template_id: int) -> Changes:
        playbook.delete_template(self._store, template_id)
        return Changes()

    def signature(self) -> tuple[str | None, str | None]:
        """(brand, agent) for {brand} and {agent}."""
        return playbook.reply_signature(self._store)

    def response_times(self, query: str | None = None) -> dict[str, Any]:
        """Time to first response (hours: median, 90th percentile, count) of a search or all."""
        return playbook.response_times(self._store, query)


class Authors:
    def __init__(self, store: Store) -> None:
        self._store = store

    def profile(self, author_id: int) -> dict[str, Any] | None:
        return author_store.author_profile(self._store, author_id)

    def timeline(self, author_id: int) -> SentimentSeries:
        """The author's sentiment per week or month, first to last seen."""
        return author_store.sentiment_over_time(self._store, author_id)

    def mention_ids(self, author_id: int, *, limit: int = 200) -> list[int]:
        return author_store.author_mention_ids(self._store, author_id, limit=limit)

    def set_vip(self, author_id: int, vip: bool) -> Changes:
        return author_store.set_vip(self._store, author_id, vip)

    def note(self, author_id: int) -> str:
        return author_store.author_note(self._store, author_id)

    def set_note(self, author_id: int, body: str) -> Changes:
        author_store.set_author_note(self._store, author_id, body)
        return Changes(authors=True)

    def top(self, *, role: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """The most influential authors (role: advocate, detractor, vip)."""
        return author_store.top_authors(self._store, role=role, limit=limit)

    def role_counts(self) -> dict[str, int]:
        return author_store.role_counts(self._store)

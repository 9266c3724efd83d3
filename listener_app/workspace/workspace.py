"""The Workspace: one workspace file, as the window, the command line and reports use it.

Reads return plain data; every write runs in one transaction and returns the Changes it made;
long tasks take a TaskState for progress and cancel. Sub-managers group the rest, Anki-style:
`ws.tags`, `ws.views`, `ws.trackers`, `ws.sources`, `ws.rules`, `ws.templates`, `ws.authors`,
`ws.learning`, `ws.analytics`, `ws.backups`. A Workspace holds one SQLite connection: use it on
one thread (the window keeps a read-only one for quick reads and gives writes to its writer).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import listener_app.workspace.triage as triage
from listener_app.domain.changes import Changes
from listener_app.domain.playbook import Assessment
from listener_app.domain.query import QueryError, parse
from listener_app.domain.tasks import TaskState
from listener_app.store import events, notes, search, settings
from listener_app.store import stats as store_stats
from listener_app.store.connection import Store, file_writable, open_store
from listener_app.store.locks import one_at_a_time
from listener_app.store.mentions import mention_detail, mention_records, mention_rows
from listener_app.store.triage import triage_counts
from listener_app.workspace.managers import (
    Analytics,
    Authors,
    Backups,
    Learning,
    Rules,
    Sources,
    Tags,
    Templates,
    Trackers,
    Views,
)

if TYPE_CHECKING:
    from listener_app.workspace.demo import DemoReport
    from listener_app.workspace.importing import ImportReport
    from listener_app.workspace.imports import Imports


class Workspace:
    """The facade over one workspace file (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self.store = store  # the connection: for the facade's own modules and store-level tests
        self.tags = Tags(store)
        self.views = Views(store)
        self.trackers = Trackers(store)
        self.sources = Sources(store)
        self.rules = Rules(store)
        self.templates = Templates(store)
        self.authors = Authors(store)
        self.learning = Learning(store)
        self.analytics = Analytics(store)
        self.backups = Backups(store)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True, readonly: bool = False) -> Workspace:
        """Open (creating and upgrading as needed) the workspace at `path`; a WorkspaceError with
        a message for the user when it cannot be opened."""
        return cls(open_store(path, create=create, readonly=readonly))

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    @property
    def file_writable(self) -> bool:
        """Whether changes can be saved to the file (a read-only Workspace of a writable file
        hands its writes to a read-write one elsewhere)."""
        return file_writable(self.path)

    @property
    def name(self) -> str:
        """The workspace's name as people call it: its file name without the extension."""
        return self.path.name.removesuffix(".listener.db").removesuffix(".db")

    def close(self) -> None:
        self.store.close()

    def wait_when_busy(self, seconds: float) -> None:
        """How long a write waits for another process's lock before it raises WorkspaceBusy."""
        self.store.wait_when_busy(seconds)

    def checkpoint(self) -> None:
        """Fold the write-ahead log back into the file (before the file is copied or renamed)."""
        self.store.checkpoint()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- reading

    def search(self, query: str, *, limit: int | None = None, offset: int = 0) -> list[int]:
        """Ids of the mentions `query` finds, in its order (QueryError for a malformed query)."""
        return search.mention_ids(self.store, query, limit=limit, offset=offset)

    def count(self, query: str) -> int:
        return search.count(self.store, query)

    def matching(self, query: str, among: Sequence[int] | None = None) -> list[int]:
        """Which of `among` (all when None) the query finds, in id order."""
        return search.matching_ids(self.store, query, among)

    @staticmethod
    def check_query(query: str) -> None:
        """Raise QueryError (with the position of the problem) for a malformed query."""
        parse(query)

    def validate(self, query: str) -> None:
        """Raise QueryError (with the position and a suggestion) for a malformed query or one that
        names a tag or tracker this workspace does not have (check_query checks the grammar alone):
        for a condition typed to be kept, such as a rule's, or reported on."""
        search.compile_where(self.store, query)

    @staticmethod
    def highlight_terms(query: str) -> list[str]:
        """The words a query searches for, to highlight in results ([] for a malformed one)."""
        return search.highlight_terms(query)

    def completions(self, text: str, cursor: int | None = None) -> list[str]:
        return search.completions(self.store, text, cursor)

    def rows(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """What the mention list shows of each mention."""
        return mention_rows(self.store, ids)

    def mention(self, mention_id: int) -> dict[str, Any] | None:
        """One mention in full, for the detail pane (None if it no longer exists)."""
        return mention_detail(self.store, mention_id)

    def records(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """Mentions as exported (docs/export-format.md)."""
        return mention_records(self.store, ids)

    def thread(self, mention_id: int) -> list[dict[str, Any]]:
        return store_stats.thread_of(self.store, mention_id)

    def history(self, mention_id: int, limit: int = 50) -> list[dict[str, Any]]:
        return events.history(self.store, mention_id, limit)

    def notes(self, mention_id: int) -> list[dict[str, Any]]:
        return notes.notes_for(self.store, mention_id)

    def triage_counts(self) -> dict[str, int]:
        return triage_counts(self.store)

    def stats(self) -> dict[str, Any]:
        return store_stats.workspace_stats(self.store)

    def sidebar(self, *, counts: bool = True) -> dict[str, Any]:
        """Everything the sidebar lists: triage counts, saved views, tags, trackers and sources
        (without `counts`, the names alone: quick enough for the first paint)."""
        views = self.views.list()
        for view in views if counts else []:
            try:
                view["count"] = self.count(view["query"])
            except QueryError:  # a view naming a tag since deleted: shown without a count
                view["count"] = None
        return {
            "counts": self.triage_counts() | {"asked": self.count("is:asked")} if counts else {},
            "views": views,
            "tags": self.tags.list(with_counts=counts),
            "trackers": self.trackers.list(with_counts=counts),
            "sources": store_stats.source_counts(self.store) if counts else [],
        }

    def undo_label(self) -> str | None:
        """What Undo would undo ('set status to done (3 mentions)'), or None."""
        return events.last_event_label(self.store)

    def redo_label(self) -> str | None:
        return events.next_redo_label(self.store)

    def setting(self, key: str, default: Any = None) -> Any:
        return settings.get_setting(self.store, key, default)

    # ---------------------------------------------------------------- triage (each one undo step)

    def set_status(self, ids: Iterable[int], status: str) -> Changes:
        return triage.set_status(self.store, ids, status)

    def set_starred(self, ids: Iterable[int], starred: bool) -> Changes:
        return triage.set_starred(self.store, ids, starred)

    def set_read(self, ids: Iterable[int], read: bool = True) -> Changes:
        """Not an undo step: it happens on every selection."""
        return triage.set_read(self.store, ids, read)

    def set_sentiment(self, ids: Iterable[int], label: str | None) -> Changes:
        """A manual sentiment; None gives the mentions back to automatic scoring."""
        return triage.set_label(self.store, ids, "sentiment", label)

    def set_intent(self, ids: Iterable[int], intent: str | None) -> Changes:
        return triage.set_label(self.store, ids, "intent", intent)

    def add_tags(self, ids: Iterable[int], tags: Iterable[str | int]) -> Changes:
        """Tags by id or name (a new name creates the tag)."""
        return triage.add_tags(self.store, ids, tags)

    def remove_tags(self, ids: Iterable[int], tags: Iterable[str | int]) -> Changes:
        return triage.remove_tags(self.store, ids, tags)

    def toggle_tag(self, ids: Iterable[int], tag: str | int) -> Changes:
        """Remove the tag if every mention has it, else add it (a new name creates the tag)."""
        return triage.toggle_tag(self.store, ids, tag)

    def accept_suggestions(self, mention_id: int, guesses: Mapping[str, str]) -> Changes:
        """Learned suggestions for one mention (model -> label) set as the strategist's own."""
        return triage.accept_suggestions(self.store, mention_id, guesses)

    def respond(self, mention_id: int, status: str, assessment: Assessment | None = None) -> Changes:
        """The response assessment's outcome and the new status, in one transaction."""
        return triage.respond(self.store, mention_id, status, assessment)

    def save_note(self, mention_id: int, body: str, note_id: int | None = None) -> Changes:
        """A new note (its id is `created_id`), an edit, or (empty text) its removal."""
        return triage.save_note(self.store, mention_id, body, note_id)

    def undo(self) -> Changes | None:
        """Undo the latest action (None when there is nothing to undo)."""
        return triage.undo(self.store)

    def redo(self) -> Changes | None:
        return triage.redo(self.store)

    def set_setting(self, key: str, value: Any) -> Changes:
        with self.store.transaction():
            settings.set_setting(self.store, key, value)
        return Changes()

    # ---------------------------------------------------------------- long tasks

    def import_file(
        self,
        path: str | Path,
        *,
        mapping: Sequence[str] | dict[str, str] | None = None,
        preset: str | None = None,
        source: str | None = None,
        ours: Sequence[str] = (),
        score: bool = True,
        state: TaskState | None = None,
    ) -> ImportReport:
        """Import a platform archive (zip, folder or exported file) or a CSV, XLSX, JSON or JSON
        Lines file; `ours` adds to the workspace's "this is us" handles (see workspace.imports).
        Imports into one workspace run one at a time, also from several processes: a second one
        waits (its state says so, and a cancel stops the wait)."""

        def waiting() -> None:
            if state is not None:
                state.check()
                state.progress(message=f"Waiting for another import into {self.name} to finish")

        with one_at_a_time(self.path, "import", waiting):
            return self.imports.run(
                path, mapping=mapping, preset=preset, source=source, ours=ours, score=score, state=state
            )

    @property
    def imports(self) -> Imports:
        """Previews, the "this is us" handles and remembered mappings (parsers load when first used)."""
        from listener_app.workspace.imports import Imports

        return Imports(self.store)

    def export(
        self, query: str, fmt: str, out: str | Path | IO[str], *, state: TaskState | None = None
    ) -> int:
        """Write the mentions `query` finds in `fmt` (csv, json, jsonl, md, xlsx); returns how many."""
        from listener_app.workspace.exporting import export_query

        return export_query(self.store, query, fmt, out, state=state)

    def export_views(self, views: Mapping[str, str], out: str | Path) -> int:
        """One XLSX sheet per view (name -> query)."""
        from listener_app.workspace.exporting import export_views_xlsx

        return export_views_xlsx(self.store, dict(views), out)

    def rescore(self, state: TaskState | None = None) -> int:
        """Score every mention that has no sentiment yet (after an import without scoring)."""
        from listener_app.workspace.scoring import rescore  # the scorers load here

        return rescore(self.store, state)

    def build_demo(self, **options: Any) -> DemoReport:
        """Fill this (new) workspace with the demo: a fictional phone maker and its competitors."""
        from listener_app.workspace.demo import build_demo

        return build_demo(self.store, **options)

    def integrity_problems(self) -> list[str]:
        """What a check of the file finds wrong ([] when it is sound)."""
        return self.backups.integrity_problems()

"""Exporting any search: CSV (Excel-safe), JSON, JSON Lines, Markdown and XLSX.

Records (store.mentions.mention_records, docs/export-format.md) are streamed a chunk at a time,
so exporting a million mentions uses bounded memory; formats.writing writes them atomically.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from listener_app.domain.tasks import TaskState
from listener_app.formats.writing import FORMATS, export_format, write_records, write_sheets
from listener_app.store.connection import Store
from listener_app.store.mentions import mention_records
from listener_app.store.search import count, iter_ids

RECORD_CHUNK = 2000

__all__ = ["FORMATS", "export_query", "export_views_xlsx", "records"]


def records(ws: Store, query: str, state: TaskState | None = None) -> Iterator[dict[str, Any]]:
    """Full records of the mentions `query` finds, in its order, a chunk at a time."""
    done = 0
    for ids in iter_ids(ws, query, chunk=RECORD_CHUNK):
        if state is not None:
            state.check()
        yield from mention_records(ws, ids)
        done += len(ids)
        if state is not None:
            state.progress(done)


def export_query(
    ws: Store, query: str, fmt: str, out_path: str | Path | IO[str], *, state: TaskState | None = None
) -> int:
    """Write the mentions `query` finds to `out_path` (a path, or an open text stream for
    csv/json/jsonl/md); returns how many were written."""
    fmt = export_format(fmt)
    total = count(ws, query)  # also validates the query before any file is touched
    if state is not None:
        state.progress(0, total=total, message="Exporting")
    return write_records(fmt, records(ws, query, state), out_path, query=query, total=total)


def export_views_xlsx(ws: Store, views: dict[str, str], out_path: str | Path) -> int:
    """One sheet per saved view (name -> query)."""
    for query in views.values():
        count(ws, query)
    return write_sheets({name: records(ws, query) for name, query in views.items()}, out_path)

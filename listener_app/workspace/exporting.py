"""Exporting any search: CSV (Excel-safe), JSON, JSON Lines, Markdown and XLSX.

Records have the documented shape of db.mentions.mention_records (docs/export-format.md) and
are streamed a chunk at a time, so exporting a million mentions uses bounded memory. A file is
written beside its target and renamed into place at the end: a failed or cancelled export
never leaves half a file under the requested name.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from listener_app.domain.errors import UserError
from listener_app.domain.tasks import TaskState
from listener_app.formats.csv_writer import CSV_COLUMNS, safe_cell, write_csv
from listener_app.formats.json_writer import write_json, write_jsonl
from listener_app.formats.markdown_writer import write_md
from listener_app.formats.xlsx_writer import write_xlsx
from listener_app.store.connection import Store
from listener_app.store.mentions import mention_records
from listener_app.store.search import count, iter_ids

FORMATS = ("csv", "json", "jsonl", "md", "xlsx")
STREAMABLE = ("csv", "json", "jsonl", "md")  # can be written to standard output
RECORD_CHUNK = 2000

__all__ = ["CSV_COLUMNS", "FORMATS", "export_query", "export_views_xlsx", "records", "safe_cell"]


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


def _atomic(out_path: Path, write: Callable[[Path], int]) -> int:
    out_path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{out_path.name}.", dir=out_path.parent)
    os.close(handle)
    os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the export from the user's other tools
    try:
        written = write(Path(tmp))
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return written


def export_query(
    ws: Store, query: str, fmt: str, out_path: str | Path | IO[str], *, state: TaskState | None = None
) -> int:
    """Write the mentions `query` finds to `out_path` (a path, or an open text stream for
    csv/json/jsonl/md); returns how many were written."""
    fmt = fmt.lower().lstrip(".")
    fmt = {"markdown": "md", "ndjson": "jsonl"}.get(fmt, fmt)
    if fmt not in FORMATS:
        raise UserError(f"Unknown export format {fmt!r}; use {', '.join(FORMATS)}")
    total = count(ws, query)  # also validates the query before any file is touched
    if state is not None:
        state.progress(0, total=total, message="Exporting")
    rows = records(ws, query, state)

    def text_writer(out: IO[str]) -> int:
        if fmt == "csv":
            return write_csv(out, rows)
        if fmt == "jsonl":
            return write_jsonl(out, rows)
        if fmt == "json":
            return write_json(out, rows)
        return write_md(out, rows, query, total)

    if not isinstance(out_path, str | Path):
        if fmt not in STREAMABLE:
            raise UserError("XLSX cannot be written to standard output; give a file name")
        return text_writer(out_path)
    path = Path(out_path)
    if fmt == "xlsx":
        return _atomic(path, lambda tmp: write_xlsx(tmp, {query or "Mentions": rows}))

    def write(tmp: Path) -> int:
        encoding = "utf-8-sig" if fmt == "csv" else "utf-8"  # the BOM tells Excel it is UTF-8
        with tmp.open("w", encoding=encoding, newline="") as out:
            return text_writer(out)

    return _atomic(path, write)


def export_views_xlsx(ws: Store, views: dict[str, str], out_path: str | Path) -> int:
    """One sheet per saved view (name -> query)."""
    for query in views.values():
        count(ws, query)
    return _atomic(Path(out_path), lambda tmp: write_xlsx(tmp, {n: records(ws, q) for n, q in views.items()}))

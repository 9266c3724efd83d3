"""Importing files: CSV (delimiter and encoding sniffed), XLSX, JSON and JSON Lines.

`import_file` streams the file in chunks (bounded memory); each chunk is one transaction, so
importing the same file twice adds nothing and an interrupted import can simply be run again.
A bad row is reported with its line number and skipped; a file that is not what it claims to
be raises ImportFormatError before anything is written. Big files are parsed and normalized in
worker processes while this thread writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from listener_app.core.importers.columns import ImportFormatError, detect_preset, match_columns, parse_map
from listener_app.core.importers.readers import read_csv, read_json, read_jsonl, read_xlsx
from listener_app.core.importers.records import to_item
from listener_app.core.ingest import IngestReport, ingest_parallel, prepare_chunk, store_prepared
from listener_app.core.models import Item
from listener_app.core.tasks import TaskState
from listener_app.db.authors import authors_of, refresh_authors
from listener_app.db.mentions import mention_count
from listener_app.db.workspace import Workspace

FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
CHUNK_ROWS = 5000
PARALLEL_BYTES = 8 * 1024 * 1024  # from this size, parse in worker processes
BULK_BYTES = 64 * 1024 * 1024  # from this size (and a smaller workspace), defer the read indexes

__all__ = ["ImportFormatError", "ImportReport", "import_file"]


@dataclass
class ImportReport:
    path: Path
    format: str
    preset: str | None
    ingest: IngestReport = field(default_factory=IngestReport)

    @property
    def errors(self) -> list[tuple[int, str]]:
        """(line number, reason) of every skipped row (the first thousand)."""
        return [(e.index, e.message) for e in self.ingest.errors]


Numbered = list[tuple[int, Any]]


def records_to_items(
    chunk: tuple[Numbered, dict[str, Any]],
) -> tuple[list[tuple[int, Item]], list[tuple[int, str]]]:
    """Module-level (it runs in worker processes): records of a chunk to numbered Items."""
    records, columns = chunk
    items: list[tuple[int, Item]] = []
    errors: list[tuple[int, str]] = []
    for number, record in records:
        if isinstance(record, Exception):
            errors.append((number, str(record)))
            continue
        if (
            isinstance(record, list)
            and record
            and isinstance(record[0], str)
            and record[0].startswith("\x00csv error")
        ):
            errors.append((number, record[0][1:]))
            continue
        if isinstance(record, list) and len(record) != columns["__width__"]:
            errors.append(
                (number, f"expected {columns['__width__']} fields, found {len(record)} (broken quoting?)")
            )
            continue
        if not isinstance(record, list | dict):
            errors.append((number, "not an object"))
            continue
        try:
            items.append((number, to_item(record, columns)))
        except (ValueError, TypeError) as exc:
            errors.append((number, str(exc)))
    return items, errors


def _chunks(
    records: Iterable[tuple[int, Any]], columns: dict[str, Any]
) -> Iterator[tuple[Numbered, dict[str, Any]]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, CHUNK_ROWS)):
        yield chunk, columns


def _open_records(path: Path, fmt: str, mapping: dict[str, str], preset: str | None, stack: list[Any]):
    """(records, columns, preset) for a file, raising ImportFormatError for a bad one."""
    if fmt == "xlsx":
        header, rows = read_xlsx(path)
        return _tabular(header, rows, mapping, preset)
    handle = path.open("rb")
    stack.append(handle)
    if fmt == "csv":
        header, rows = read_csv(path, handle)
        return _tabular(header, rows, mapping, preset)
    records = read_jsonl(path, handle) if fmt == "jsonl" else read_json(path, handle)
    first = next(records, None)
    if first is None:
        raise ImportFormatError(f"{path.name} has no records")
    while isinstance(first[1], Exception):  # a malformed first line of a JSONL file
        stack.append(first)
        first = next(records, None)
        if first is None:
            raise ImportFormatError(f"{path.name} has no valid JSON records")
    if not isinstance(first[1], dict):
        raise ImportFormatError(f"{path.name} holds {type(first[1]).__name__} values, not objects")
    keys = list(first[1].keys())
    columns: dict[str, Any] = {
        k: keys[v] for k, v in match_columns(keys, explicit=mapping, preset=preset).items()
    }
    columns["__width__"] = None
    skipped = [entry for entry in stack if isinstance(entry, tuple)]

    def all_records() -> Iterator[tuple[int, Any]]:
        yield from skipped
        yield first
        yield from records

    return all_records(), columns, preset


def _tabular(
    header: list[str], rows: Iterator[tuple[int, list[Any]]], mapping: dict[str, str], preset: str | None
):
    preset = preset or detect_preset(header)
    columns: dict[str, Any] = dict(match_columns(header, explicit=mapping, preset=preset))
    columns["__width__"] = len(header)
    return rows, columns, preset


def import_file(
    ws: Workspace,
    path: str | Path,
    *,
    mapping: list[str] | None = None,
    preset: str | None = None,
    score: bool = True,
    state: TaskState | None = None,
) -> ImportReport:
    path = Path(path)
    if not path.is_file():
        raise ImportFormatError(f"No file at {path}")
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ImportFormatError(f"{path.name}: unsupported file type; use CSV, XLSX, JSON or JSONL")
    explicit = parse_map(mapping or [])
    stack: list[Any] = []
    try:
        records, columns, chosen_preset = _open_records(path, fmt, explicit, preset, stack)
        size = path.stat().st_size
        if state is not None:
            state.progress(0, total=None, message=f"Importing {path.name}")
        chunks = _chunks(records, columns)
        bulk = size >= BULK_BYTES and mention_count(ws) < size // 300
        if size >= PARALLEL_BYTES and fmt in ("csv", "jsonl", "json"):
            report = ingest_parallel(ws, chunks, records_to_items, score=score, state=state, bulk=bulk)
        else:
            prepared = (prepare_chunk(records_to_items, None, chunk) for chunk in chunks)
            report = store_prepared(ws, prepared, score=score, state=state, refresh_authors=False)
            with ws.transaction():  # once for the whole file rather than per chunk
                touched = report.new_ids + report.changed_ids
                refresh_authors(ws, authors_of(ws, touched) if report.ids_complete else None)
    finally:
        for entry in stack:
            if hasattr(entry, "close"):
                entry.close()
    return ImportReport(path, fmt, chosen_preset, report)

"""Importing files: CSV (delimiter and encoding sniffed), XLSX, JSON and JSON Lines.

`import_file` streams the file in chunks (bounded memory); each chunk is one transaction, so
importing the same file twice adds nothing and an interrupted import can simply be run again.
A bad row is reported with its place in the file (line for CSV and JSON Lines, row for XLSX,
array index for JSON) and skipped; a file that is not what it claims to be raises
ImportFormatError before anything is written. Big files are parsed and normalized in worker
processes while this thread writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from listener_app.domain.tasks import TaskState
from listener_app.formats.columns import parse_map
from listener_app.formats.mapping import MappingSummary
from listener_app.formats.reading import FORMATS, UNITS, chunks, line_blocks, open_file, records_to_items
from listener_app.formats.sniff import ImportFormatError
from listener_app.store.authors import authors_of, refresh_authors
from listener_app.store.connection import Store
from listener_app.store.mentions import mention_count
from listener_app.workspace.ingest import IngestReport, prepare_chunk, store_prepared
from listener_app.workspace.parallel_ingest import ingest_parallel

PARALLEL_BYTES = 8 * 1024 * 1024  # from this size, parse in worker processes
BULK_BYTES = 64 * 1024 * 1024  # from this size (and a smaller workspace), defer the read indexes

__all__ = ["FORMATS", "ImportFormatError", "ImportReport", "import_file"]


@dataclass
class ImportReport:
    path: Path
    format: str  # csv, xlsx, json, jsonl, or archive
    preset: str | None
    ingest: IngestReport = field(default_factory=IngestReport)
    summary: MappingSummary | None = None  # what each column fed (a file of mentions)
    kinds: dict[str, int] = field(default_factory=dict)  # an archive's posts read by kind ('twitter message')
    ours: int = 0  # of those, how many the brand wrote
    problems: list[str] = field(default_factory=list)  # an archive's members refused or unreadable

    @property
    def unit(self) -> str:
        """What an error's number counts: 'line' (CSV, JSONL), 'row' (XLSX), 'item' (JSON, archives)."""
        return UNITS.get(self.format, "item")

    @property
    def errors(self) -> list[tuple[int, str]]:
        """(line, row or item number, reason) of skipped rows (the first thousand), in file order."""
        return sorted((e.index, e.message) for e in self.ingest.errors)


def import_file(
    ws: Store,
    path: str | Path,
    *,
    mapping: Sequence[str] | dict[str, str] | None = None,
    preset: str | None = None,
    score: bool = True,
    state: TaskState | None = None,
    ours: Sequence[str] = (),
    source: str | None = None,
) -> ImportReport:
    """Import a CSV, XLSX, JSON or JSON Lines file of mentions.

    `mapping`: 'COLUMN=FIELD' strings (or a {column: field} dict) that override the automatic
    column matching; `preset`: a tool's export format (detected from the header when not given);
    `score=False` leaves sentiment for `rescore()`; `ours`, `source`: see formats.reading.open_file.
    Progress is reported in kilobytes read; the report has the mapping summary.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFormatError(f"No file at {path}")
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ImportFormatError(f"{path.name}: unsupported file type; use CSV, XLSX, JSON or JSONL")
    explicit = parse_map(mapping or [])
    size = path.stat().st_size
    with ExitStack() as stack:
        records, columns, chosen_preset, position, summary = open_file(
            path, fmt, explicit, preset, stack, ours=ours, source=source
        )
        message = f"Importing {path.name} (KB read)"
        if state is not None:
            state.progress(0, total=max(1, size // 1024), message=message)

        def progress(at: int | None = None) -> None:
            if state is not None:
                state.check()
                state.progress((position() if at is None else at) // 1024)

        parts = chunks(records, columns, progress)
        bulk = size >= BULK_BYTES and mention_count(ws) < size // 300
        if size >= PARALLEL_BYTES and fmt != "xlsx":
            if fmt == "jsonl":  # cut into blocks of lines here, decoded and split in the workers
                parts = line_blocks(path, columns, stack, progress) or parts
            report = ingest_parallel(ws, parts, records_to_items, score=score, bulk=bulk)
        else:
            prepared = (prepare_chunk(records_to_items, None, chunk) for chunk in parts)
            report = store_prepared(ws, prepared, score=score, refresh_authors=False)
            with ws.transaction():  # once for the whole file rather than per chunk
                touched = report.new_ids + report.changed_ids
                refresh_authors(ws, authors_of(ws, touched) if report.ids_complete else None)
        if state is not None:
            state.progress(max(1, size // 1024))
    return ImportReport(path, fmt, chosen_preset, report, summary)

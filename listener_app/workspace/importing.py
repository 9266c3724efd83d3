"""Importing files: CSV (delimiter and encoding sniffed), XLSX, JSON and JSON Lines.

`import_file` streams the file in chunks (bounded memory); chunks are committed in groups, so
importing the same file twice adds nothing and an interrupted import can simply be run again.
A bad row is reported with its place in the file (line for CSV and JSON Lines, row for XLSX,
array index for JSON) and skipped; a file that is not what it claims to be raises
ImportFormatError before anything is written.

Every import takes the same path (workspace.parallel_ingest: chunks normalized and scored into
staging files, copied into the workspace by one writer). What it costs beyond its rows is paid
where it pays for itself (`plan_import`, from costs measured on a 2-core machine): worker
processes only for a file with enough work to repay starting them, and the read indexes dropped
and built again only when that is cheaper than keeping them up to date row by row.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from listener_app.domain.tasks import TaskState
from listener_app.formats.blocks import BLOCK_BYTES
from listener_app.formats.columns import parse_map
from listener_app.formats.mapping import MappingSummary
from listener_app.formats.reading import (
    FORMATS,
    UNITS,
    chunks,
    format_of,
    line_blocks,
    open_file,
    records_to_items,
    unsupported,
)
from listener_app.formats.sniff import ImportFormatError
from listener_app.store.connection import Store
from listener_app.store.mentions import mention_count
from listener_app.workspace.ingest import IngestReport, undated_warning
from listener_app.workspace.parallel_ingest import ingest_staged

__all__ = ["FORMATS", "ImportFormatError", "ImportPlan", "ImportReport", "import_file", "plan_import"]

# Costs measured on a 2-core laptop-class machine (CPU time, bench/data's rows), which decide
# how an import runs. Starting a worker process (interpreter, modules: 0.35 s while workers
# loaded the whole store, a pool of two is now up in 0.11 s) and, to score, loading the
# lexicons and compiling the cue patterns. Two workers take a file from about 8,000 rows, where
# they break even (without scoring, four runs each: 8,000 rows in 0.63-0.86 s with them,
# 0.61-0.86 s without; 20,000 rows in 0.94-1.02 s with them, 1.15-1.23 s without).
WORKER_START_SECONDS = 0.12
SCORER_START_SECONDS = 0.2
# A row's parsing, normalizing and staging, and its sentiment and intent:
ROW_SECONDS = 30e-6
SCORE_SECONDS = 110e-6  # 90-130 us a post since the intent cues became trees (150 before)
# Keeping the read indexes up to date costs, per inserted row, about 15 us in a small workspace
# and 175 us in one of a million mentions (more of the indexes' pages miss the cache), roughly
# in proportion in between; building them again costs about 7 us per row of the whole table.
# (200,000 rows into a million: 49 s kept, 23 s built again; 20,000: 4.4 s kept, 12 s built.)
INDEX_ROW_SECONDS = 15e-6
INDEX_ROW_SECONDS_PER_MILLION = 160e-6
REBUILD_ROW_SECONDS = 7e-6
# A worker holds its block's rows, scored, until the writer has stored them: halving the block
# when scoring took a million-row import's peak (with its two workers) from 324 to 289 MB at the
# same speed (95.8 and 95.6 s); without scoring the writer is the narrow part, and half-size
# blocks made it 11 % slower (36.7 against 41.0 s), so there they stay whole.
SCORED_BLOCK_BYTES = BLOCK_BYTES // 2
SAMPLE_BYTES = 256 * 1024  # read to estimate how many rows a file holds
XLSX_BYTES_PER_ROW = 100  # compressed: a rough figure, for the estimate alone


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """How an import runs, from the estimated size of its work."""

    rows: int  # about how many records the file holds
    workers: int  # worker processes (0: every chunk is prepared in this process)
    defer_indexes: bool  # drop the read indexes for the import and build them once at the end
    block_bytes: int  # a JSON Lines file's blocks of lines, one per worker call


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
    plan: ImportPlan | None = None  # how a file import ran (workers, read indexes)

    @property
    def unit(self) -> str:
        """What an error's number counts: 'line' (CSV, JSONL), 'row' (XLSX), 'item' (JSON, archives)."""
        return UNITS.get(self.format, "item")

    @property
    def undated_warning(self) -> str | None:
        """What the import did with the rows that had no date, if there were any."""
        return undated_warning(self.ingest.undated, self.unit, "the import")

    @property
    def errors(self) -> list[tuple[int, str]]:
        """(line, row or item number, reason) of skipped rows (the first thousand), in file order."""
        return sorted((e.index, e.message) for e in self.ingest.errors)


def estimate_rows(path: Path, fmt: str, size: int) -> int:
    """About how many records a file holds: from its lines (a JSON file's objects) in its first
    SAMPLE_BYTES; an XLSX workbook's from its size alone."""
    if fmt == "xlsx":
        return max(1, size // XLSX_BYTES_PER_ROW)
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    marks = head.count(b"{") if fmt == "json" else head.count(b"\n")
    return max(1, size * max(1, marks) // max(1, len(head)))


def plan_import(rows: int, stored: int, score: bool, cores: int | None = None) -> ImportPlan:
    """Workers when what they would take off this process (all but one core's share of the
    rows' work) outweighs starting them; deferred read indexes when keeping them up to date for
    `rows` more rows would cost more than building them for the whole table."""
    cores = cores or os.cpu_count() or 1
    per_row = ROW_SECONDS + (SCORE_SECONDS if score else 0.0)
    start = WORKER_START_SECONDS + (SCORER_START_SECONDS if score else 0.0)
    workers = cores if cores > 1 and rows * per_row * (1 - 1 / cores) > start else 0
    kept = rows * (INDEX_ROW_SECONDS + INDEX_ROW_SECONDS_PER_MILLION * (stored + rows / 2) / 1e6)
    block = SCORED_BLOCK_BYTES if score else BLOCK_BYTES
    return ImportPlan(rows, workers, kept > (stored + rows) * REBUILD_ROW_SECONDS, block)


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
    fmt = format_of(path)
    if fmt is None:
        raise ImportFormatError(unsupported(path))
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

        plan = plan_import(estimate_rows(path, fmt, size), mention_count(ws), score)
        # cut into blocks of lines here, decoded and parsed where they are prepared
        blocks = line_blocks(path, fmt, columns, stack, progress, plan.block_bytes)
        report = ingest_staged(
            ws, blocks or chunks(records, columns, progress), records_to_items, workers=plan.workers,
            score=score, defer_indexes=plan.defer_indexes, expected_rows=plan.rows, rows_in_memory=blocks is None,
        )  # fmt: skip
        if state is not None:
            state.progress(max(1, size // 1024))
    return ImportReport(path, fmt, chosen_preset, report, summary, plan=plan)

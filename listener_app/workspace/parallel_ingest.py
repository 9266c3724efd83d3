"""Ingesting a file: chunks of it are parsed, normalized (and scored) into staging files, by
worker processes for a file big enough to repay starting them, while this thread, the single
writer, stores them in order.

Each chunk's normalized rows go into a staging file of its own (store.staging), and the writer
copies every row that is surely new into the workspace with one INSERT ... SELECT per chunk, so
no row crosses between processes as Python objects and the writer spends no Python on it. Which
rows are surely new is decided from hashes the workers send (SeenKeys); the others (a key or URL
that may be stored already) are read back and stored the ordinary way, with every lookup.
Chunks are committed together, about BULK_TRANSACTION_ROWS rows at a time; a killed import
leaves every committed group stored, and running it again adds only the rest. A block of a file
that the block before it read into (to finish a CSV row or a JSON element that went on past its
end) is read again from where that one stopped (_read_once).
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import compress
from typing import Any

from listener_app.domain.tasks import TaskState
from listener_app.store import authors as author_store
from listener_app.store import mentions as store
from listener_app.store import staging
from listener_app.store.connection import Store
from listener_app.workspace.ingest import (
    BULK_TRANSACTION_ROWS,
    IngestReport,
    SeenKeys,
    _after_insert,
    _score_stored,
    _store_rows,
    store_labels,
)
from listener_app.workspace.preparing import PreparedRow, StagedBatch, ToItems, own_labels, stage_chunk
from listener_app.workspace.workers import in_worker, worker_pool

# Staged chunks wait on disk, not in memory: enough in flight that the workers keep busy while
# the writer stores a whole group of them in one transaction.
IN_FLIGHT_PER_WORKER = 4
# Chunks that carry their rows (records read in this process: CSV, sheets, JSON arrays) wait in
# its memory until a worker takes them, so fewer are sent ahead: with 16 in flight a 200,000-row
# CSV import's own process peaked at 178 MB (the process tree at 293 MB, scored), with 4 at 111 MB
# (229 MB), and ran as fast (14.9 s against 15.8 s).
IN_MEMORY_PER_WORKER = 2
# Telling new rows from stored ones: a SeenKeys of every stored key costs about 2.3 us per stored
# mention to build and 0.75 us per row to ask, a lookup through the indexes 4.2 us per row (CPU,
# into a million mentions); so the workspace's keys are read only while it holds at most this
# many mentions per row the import brings.
SEEN_KEYS_SHARE = 1.5
# When the import named more than this share of all authors, every author's counts are
# refreshed in one pass over the index by author rather than author by author; and the writer
# keeps at most this many author ids.
ALL_AUTHORS_SHARE = 0.25
TOUCHED_AUTHORS_KEPT = 50_000


def _row_from_stage(record: dict[str, Any], scored: bool) -> PreparedRow:
    """A staged row in the form ordinary ingest stores (for rows that need lookups)."""
    values = {"author_id": None, **{c: record[c] for c in staging.MENTION_COLUMNS}}
    extra = record["extra"]
    auto = extra.get("auto")
    if scored and auto is None:
        auto = own_labels(values)
    return PreparedRow(
        values,
        record["author"],
        tuple(extra.get("tags", ())),
        tuple(extra.get("notes", ())),
        bool(extra.get("derived")),
        tuple(auto) if auto is not None else None,
    )


def _looked_up(ws: Store, alias: str, batch: StagedBatch, seen: SeenKeys | None) -> list[int]:
    """The positions of the staged rows that may match a stored mention or an earlier row of the
    import, which are stored with every lookup: those the worker found may repeat an earlier row
    of their chunk, and those that match a stored mention (earlier chunks are stored by now).
    The latter are looked for through the indexes among the rows the import's SeenKeys says may
    be stored (about 1.5 % of them at 200,000 rows, 5 % at a million), or among all rows when
    there is none (a small import into a big workspace)."""
    candidates = None
    if seen is not None:
        candidates = seen.maybe_stored(
            list(map(batch.kinds.__getitem__, batch.kind_of)), batch.keys, batch.urls, batch.derived
        )
    stored = []
    if candidates is None or candidates:
        derived = list(compress(range(1, len(batch.derived) + 1), batch.derived))
        stored = staging.stored_positions(ws, alias, derived, candidates)
    return sorted({*batch.repeats, *stored})


class TouchedAuthors:
    """The authors an import named (their counts need refreshing), or None once there are more
    than TOUCHED_AUTHORS_KEPT of them, or from the start when the workspace has no authors yet
    (every author it will have is one the import names): then every author's are refreshed."""

    def __init__(self, everyone: bool = False) -> None:
        self.ids: set[int] | None = None if everyone else set()

    def add(self, ids: Iterable[int]) -> None:
        if self.ids is not None:
            self.ids.update(ids)
            if len(self.ids) > TOUCHED_AUTHORS_KEPT:
                self.ids = None

    def refresh(self, ws: Store) -> None:
        """Every author's counts at once when that is many of them (one pass over the index by
        author is cheaper), else those of the authors named."""
        if self.ids is None or len(self.ids) > store.author_count(ws) * ALL_AUTHORS_SHARE:
            author_store.refresh_authors(ws)
        elif self.ids:
            author_store.refresh_authors(ws, self.ids)


def _store_staged(
    ws: Store,
    alias: str,
    batch: StagedBatch,
    seen: SeenKeys | None,
    score: bool,
    touched: TouchedAuthors,
    lines_before: int,
) -> IngestReport:
    """Store one staged chunk, inside store_staged's transaction: an error rolls back the whole
    group, so a chunk has no savepoint of its own. (With one, SQLite copied every page the chunk
    changed that was there before it, most of the key and URL indexes' pages, into a journal:
    190 MB of writes to temporary files for a 200,000-row import.) A block of lines numbers its
    errors from its first line, which follows the `lines_before` of the blocks before it."""
    report = IngestReport(unchanged=batch.duplicates, undated=batch.undated)
    for index, message in batch.errors:
        report.add_error(lines_before + index, message)
    lookup = _looked_up(ws, alias, batch, seen)
    staging.upsert_authors(ws, alias)
    if touched.ids is not None:  # once there are too many, all are refreshed: no need to ask
        touched.add(staging.author_ids(ws, alias))
    offset = store.next_mention_id(ws) - 1
    staging.insert_mentions(ws, alias, offset, lookup)
    store.index_range(ws, offset + 1, offset + batch.size)
    skipped = set(lookup)
    report.new_ids = [offset + p for p in range(1, batch.size + 1) if p not in skipped]
    report.inserted = len(report.new_ids)
    labelled = staging.extras(ws, alias, [p for p in batch.with_extras if p not in skipped])
    store_labels(ws, [(offset + p, e.get("tags", ()), e.get("notes", ()), at) for p, e, at in labelled])
    if lookup:
        rows = [_row_from_stage(record, score) for record in staging.rows_at(ws, alias, lookup)]
        looked_up = IngestReport()
        _store_rows(ws, rows, looked_up, {})
        if score:
            _score_stored(ws, rows, looked_up)
        report.merge(looked_up)
    if report.new_ids:
        _after_insert(ws, report.new_ids, report)
    return report


def store_staged(
    ws: Store,
    batches: Iterable[StagedBatch],
    *,
    score: bool = True,
    state: TaskState | None = None,
    on_batch: Callable[[IngestReport], None] | None = None,
    expected_rows: int = 0,
    touched: TouchedAuthors | None = None,
) -> IngestReport:
    """The writer's half of an import: staged chunks stored as they come, committed about
    BULK_TRANSACTION_ROWS rows at a time; the authors they name are added to `touched`."""
    touched = touched or TouchedAuthors()
    total = IngestReport()
    done = 0
    stored = store.mention_count(ws)
    seen = SeenKeys.of(ws, expected_rows) if stored <= SEEN_KEYS_SHARE * expected_rows else None
    remaining = iter(batches)
    lines = 0  # line breaks in the blocks of lines stored so far
    while True:
        if state is not None:
            state.check()
        group: list[StagedBatch] = []
        try:
            with staging.attaching(ws) as attach, ws.transaction():
                rows = 0
                for batch in remaining:
                    group.append(batch)
                    report = _store_staged(ws, attach(batch.path), batch, seen, score, touched, lines)
                    lines += batch.line_breaks
                    total.merge(report)
                    done += batch.count
                    rows += batch.size
                    if on_batch is not None:
                        on_batch(report)
                    if state is not None:
                        state.progress(done)
                    if rows >= BULK_TRANSACTION_ROWS or len(group) == staging.MAX_ATTACHED:
                        break
        finally:
            for batch in group:
                batch.path.unlink(missing_ok=True)
        if not group:
            return total


def _read_once(batches: Iterable[StagedBatch], again: Callable[[Any], StagedBatch]) -> Iterator[StagedBatch]:
    """Staged blocks of a file, each read from where the one before it stopped: a block that
    read on past its end (a CSV row whose quoted field, or a JSON element, went on past the cut)
    stopped inside the next one, which is then read again from there (`again`, with the chunk to
    read), or left out when the reading went past it too (the end of a JSON file's array)."""
    read_to = None
    for batch in batches:
        if batch.chunk is not None:
            block, columns = batch.chunk
            if read_to is not None and block.offset < read_to:
                batch.path.unlink(missing_ok=True)
                if block.offset + block.size <= read_to:
                    continue
                batch = again((block.starting_at(read_to), columns))
                block = batch.chunk[0]
            read_to = block.offset + block.size + batch.overrun
        yield batch


def _in_order(pool: ProcessPoolExecutor, calls: Iterable[tuple[Any, ...]], limit: int) -> Iterator[Any]:
    """Results of pool calls (function, *arguments) in submission order, `limit` in flight."""
    pending: deque[Future[Any]] = deque()
    for function, *arguments in calls:
        pending.append(pool.submit(in_worker, function, *arguments))
        if len(pending) >= limit:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def ingest_staged(
    ws: Store,
    chunks: Iterable[Any],
    to_items: ToItems,
    *,
    workers: int = 0,
    source_id: int | None = None,
    score: bool = True,
    defer_indexes: bool = False,
    expected_rows: int = 0,
    rows_in_memory: bool = False,
    state: TaskState | None = None,
    on_batch: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Ingest raw chunks (lines of a file, rows of a sheet): each is normalized (and scored) into
    a staging file, by `workers` worker processes or (0) in this thread, and this thread, the
    single writer, stores them in order.

    `to_items(chunk)` must be a module-level function (it may run in another process) returning
    ((line number, Item) pairs, (line number, reason) rejects). `defer_indexes` drops the read
    indexes for the import and builds them once at the end; `expected_rows` (about how many rows
    the chunks hold) sizes what the writer keeps to tell new rows from stored ones;
    `rows_in_memory` says the chunks carry their rows rather than where to read them.
    """
    touched = TouchedAuthors(everyone=store.author_count(ws) == 0)
    with ws.journal_while_alone(), staging.staging_folder() as folder:
        with contextlib.ExitStack() as stack:
            stack.enter_context(store.journals_on_disk(ws))
            if defer_indexes:
                stack.enter_context(store.bulk_import_indexes(ws))
            calls = (
                (stage_chunk, to_items, source_id, chunk, score, folder / f"{number}.db")
                for number, chunk in enumerate(chunks)
            )
            pool = None
            if workers:
                pool = stack.enter_context(worker_pool(workers, labels_in=folder if score else None))
                ahead = (
                    IN_MEMORY_PER_WORKER * workers
                    if rows_in_memory
                    else IN_FLIGHT_PER_WORKER * workers + staging.MAX_ATTACHED
                )
                staged = _in_order(pool, calls, ahead)
            else:
                staged = (function(*arguments) for function, *arguments in calls)

            def again(chunk: Any) -> StagedBatch:
                arguments = (to_items, source_id, chunk, score, folder / f"again-{chunk[0].offset}.db")
                return (
                    pool.submit(in_worker, stage_chunk, *arguments).result()
                    if pool
                    else stage_chunk(*arguments)
                )

            report = store_staged(
                ws, _read_once(staged, again), score=score, state=state, on_batch=on_batch, expected_rows=expected_rows,
                touched=touched,
            )  # fmt: skip
        with ws.transaction():  # author counts once for the whole import, not per chunk
            touched.refresh(ws)
        store.refresh_statistics(ws)
    return report

"""Ingesting a file on every core: worker processes parse and normalize (and score) chunks of
it while this thread, the single writer, stores them in order.

A large import into a smaller workspace (`bulk`) goes further: each worker writes its
normalized rows into a staging file of its own (db.staging), and the writer copies every row
that is surely new into the workspace with one INSERT ... SELECT per chunk, so no row crosses
between processes as Python objects and the writer spends no Python on it. Which rows are
surely new is decided from hashes the workers send (SeenKeys); the others (a key or URL that may
be stored already) are read back and stored the ordinary way, with every lookup. Chunks are
committed together, about BULK_TRANSACTION_ROWS rows at a time; a killed import leaves every
committed group stored, and running it again adds only the rest.
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import os
import tempfile
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from listener_app.domain.models import Item
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
    _Row,
    _score_stored,
    _store_rows,
    prepare_chunk,
    row_hashes,
    store_labels,
    store_prepared,
)

ToItems = Callable[[Any], tuple[list[tuple[int, Item]], list[tuple[int, str]]]]
_mention_values = itemgetter(*staging.MENTION_COLUMNS)
_author_values = itemgetter(*staging.AUTHOR_COLUMNS)
# Staged chunks wait on disk, not in memory: enough in flight that the workers keep busy while
# the writer stores a whole group of them in one transaction.
IN_FLIGHT_PER_WORKER = 4
# The single writer is a big import's narrowest part (the workers finish first): workers yield a
# core to it, and to the window's thread, when both want one. At 1M rows the writer's last
# blocks then take 0.7 s after the workers finish instead of 2.4-3 s.
WORKER_NICENESS = 5


@dataclass(slots=True)
class StagedBatch:
    """A chunk a worker normalized into a staging file (rows at positions 1..size), with what
    the writer needs to tell surely new rows from the others: per row, its key hash, URL hash
    (-1 for none), source kind (an index into `kinds`) and whether its id was derived; and the
    positions of the few rows with extras (tags, notes...)."""

    path: Path
    size: int
    keys: array
    urls: array
    kinds: list[str]
    kind_of: array
    derived: bytes
    with_extras: array
    errors: list[tuple[int, str]]
    count: int
    duplicates: int


def stage_chunk(to_items: ToItems, source_id: int | None, chunk: Any, score: bool, path: Path) -> StagedBatch:
    """Worker side of a bulk import: normalize (and score) a chunk into a staging file."""
    batch = prepare_chunk(to_items, source_id, chunk, score)
    sources, keys, urls, derived = row_hashes(batch.rows)
    kinds: dict[str, int] = {}
    kind_of = array("H", (kinds.setdefault(source, len(kinds)) for source in sources))
    authors: dict[tuple[str, str], int] = {}
    author_values: list[tuple[Any, ...]] = []
    staged = []
    with_extras = array("L")
    for position, row in enumerate(batch.rows, 1):
        values, author = row.values, row.author
        ref = None
        if author is not None:
            ref = authors.setdefault((author["platform"], author["handle"]), len(authors))
            if ref == len(author_values):
                author_values.append(_author_values(author))
            else:  # the last row naming an author says what is current
                author_values[ref] = _author_values(author)
        extra = _extra(row)
        if extra is not None:
            with_extras.append(position)
        staged.append((*_mention_values(values), ref, extra))
    staging.write_rows(path, staged, author_values)
    return StagedBatch(
        path, len(staged), array("L", keys), array("q", urls), list(kinds), kind_of, derived, with_extras,
        batch.errors, batch.count, batch.duplicates,
    )  # fmt: skip


def _extra(row: _Row) -> str | None:
    """What only some rows carry, as JSON (None for most rows): tags, notes, whether the id was
    derived, and automatic labels when they differ from the row's own (a label from the file)."""
    extra: dict[str, Any] = {}
    if row.tags:
        extra["tags"] = row.tags
    if row.notes:
        extra["notes"] = row.notes
    if row.derived_id:
        extra["derived"] = True
    if row.auto is not None and row.auto != _own_labels(row.values):
        extra["auto"] = row.auto
    return json.dumps(extra) if extra else None


def _own_labels(values: dict[str, Any]) -> tuple[Any, Any, Any]:
    """A row's sentiment, score and intent, in the form of its automatic labels (`_Row.auto`)."""
    return values["sentiment"], values["sentiment_score"], values["intent"]


def _row_from_stage(record: dict[str, Any], scored: bool) -> _Row:
    """A staged row in the form ordinary ingest stores (for rows that need lookups)."""
    values = {"author_id": None, **{c: record[c] for c in staging.MENTION_COLUMNS}}
    extra = record["extra"]
    auto = extra.get("auto")
    if scored and auto is None:
        auto = _own_labels(values)
    return _Row(
        values,
        record["author"],
        tuple(extra.get("tags", ())),
        tuple(extra.get("notes", ())),
        bool(extra.get("derived")),
        tuple(auto) if auto is not None else None,
    )


def _store_staged(ws: Store, alias: str, batch: StagedBatch, seen: SeenKeys, score: bool) -> IngestReport:
    report = IngestReport(unchanged=batch.duplicates)
    for index, message in batch.errors:
        report.add_error(index, message)
    kinds = batch.kinds
    lookup = seen.maybe_stored([kinds[k] for k in batch.kind_of], batch.keys, batch.urls, batch.derived)
    with ws.transaction():
        staging.upsert_authors(ws, alias)
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
) -> IngestReport:
    """The writer's half of a bulk import: staged chunks stored as they come, committed about
    BULK_TRANSACTION_ROWS rows at a time."""
    total = IngestReport()
    done = 0
    seen = SeenKeys.of(ws)
    remaining = iter(batches)
    while True:
        if state is not None:
            state.check()
        group: list[StagedBatch] = []
        try:
            with staging.attaching(ws) as attach, ws.transaction():
                rows = 0
                for batch in remaining:
                    group.append(batch)
                    report = _store_staged(ws, attach(batch.path), batch, seen, score)
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


def _in_order(pool: ProcessPoolExecutor, calls: Iterable[tuple[Any, ...]], limit: int) -> Iterator[Any]:
    """Results of pool calls (function, *arguments) in submission order, `limit` in flight."""
    pending: deque[Future[Any]] = deque()
    for function, *arguments in calls:
        pending.append(pool.submit(_in_worker, function, *arguments))
        if len(pending) >= limit:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _worker_started() -> None:
    """A worker makes a few dozen objects per row and keeps them for its whole chunk: Python's
    cyclic garbage collector, run on its usual thresholds, walks them over and over (a tenth of
    the workers' time on a million-row file, even with collections 70 times rarer than usual).
    Parsing, normalizing and scoring make no reference cycles, so it is off in the workers, and
    `_in_worker` collects what a call left (nothing, so far) once it is done."""
    gc.disable()
    if hasattr(os, "nice"):  # POSIX; elsewhere workers keep the usual priority
        os.nice(WORKER_NICENESS)


def _in_worker(function: Callable[..., Any], *arguments: Any) -> Any:
    try:
        return function(*arguments)
    finally:
        gc.collect(1)  # the young generations: the call's objects, not the modules'


def ingest_parallel(
    ws: Store,
    chunks: Iterable[Any],
    to_items: ToItems,
    *,
    workers: int | None = None,
    source_id: int | None = None,
    score: bool = True,
    state: TaskState | None = None,
    on_batch: Callable[[IngestReport], None] | None = None,
    bulk: bool = False,
) -> IngestReport:
    """Ingest raw chunks (lines of a file, rows of a sheet) with parsing and normalization in
    worker processes and this thread as the single writer.

    `to_items(chunk)` must be a module-level function (it runs in another process) returning
    ((line number, Item) pairs, (line number, reason) rejects). Chunks are stored in order,
    with a bounded number in flight: two per worker when they come back in memory, more for a
    bulk import, whose chunks wait in staging files on disk.
    """
    workers = workers or os.cpu_count() or 2  # each parses, normalizes and scores its chunks
    context = multiprocessing.get_context("spawn")  # safe beside Qt's threads
    with contextlib.ExitStack() as stack:
        if bulk:
            stack.enter_context(ws.journal_while_alone())
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_worker_started
        ) as pool:
            if bulk:
                folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="listener-import-")))
                with store.bulk_import_indexes(ws):
                    calls = (
                        (stage_chunk, to_items, source_id, chunk, score, folder / f"{number}.db")
                        for number, chunk in enumerate(chunks)
                    )
                    staged = _in_order(pool, calls, IN_FLIGHT_PER_WORKER * workers + staging.MAX_ATTACHED)
                    report = store_staged(ws, staged, score=score, state=state, on_batch=on_batch)
            else:
                calls = ((prepare_chunk, to_items, source_id, chunk, score) for chunk in chunks)
                prepared = _in_order(pool, calls, 2 * workers)
                report = store_prepared(
                    ws, prepared, score=score, state=state, on_batch=on_batch, refresh_authors=False
                )
        with ws.transaction():  # author counts once for the whole import, not per chunk
            touched = report.new_ids + report.changed_ids
            everyone = bulk or not report.ids_complete
            author_store.refresh_authors(ws, None if everyone else author_store.authors_of(ws, touched))
    return report

"""Ingest: store incoming items in batches, de-duplicated (workspace.preparing makes them rows).

A batch is one transaction: a killed process leaves every earlier batch stored and nothing of
the batch it was in. Re-ingesting a known mention refreshes its content and metrics and never
touches the strategist's work on it (tags, notes, status, star, manual sentiment or intent).

De-duplication: by (source kind, external id); and by canonical URL when the item came from a
different source kind than the mention already stored (the same article via Google Alerts and
via its blog feed) or has no id of its own. Within one source kind, distinct ids stay distinct
mentions even when they share a URL (App Store reviews all point at the app's page).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from listener_app.domain import normalize
from listener_app.domain.models import Item
from listener_app.domain.tasks import TaskState
from listener_app.store import authors as author_store
from listener_app.store import mentions as store
from listener_app.store import tags as tag_store
from listener_app.store import trackers
from listener_app.store.chunks import chunked
from listener_app.store.connection import Store
from listener_app.workspace.preparing import (
    PreparedBatch,
    PreparedRow,
    current_author,
    key_hash,
    prepare_batch,
    row_hashes,
)

BATCH_SIZE = 2000
BULK_BATCH_SIZE = 10_000
BULK_TRANSACTION_ROWS = 100_000  # a bulk import commits about this many rows at a time
MAX_ERRORS_KEPT = 1000
MAX_IDS_KEPT = 200_000
AUTHOR_CACHE_LIMIT = 50_000


@dataclass
class ItemError:
    index: int  # position of the item in the input (importers map it to a line number)
    message: str


def undated_warning(count: int, unit: str, by: str) -> str | None:
    """What storing `count` items with no date did with them ("3 posts had no date: dated by the
    time of the fetch ..."), None for none. `unit` is singular; `by`: the import, the fetch."""
    if not count:
        return None
    units = unit + ("" if count == 1 else "s")
    return (
        f"{count:,} {units} had no date: dated by the time of {by} (a mention stored before keeps its date)"
    )


@dataclass
class IngestReport:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    undated: int = 0  # items with no date: a new one is dated by the time it was stored
    errors: list[ItemError] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)
    notifications: list[tuple[str, str, int]] = field(default_factory=list)  # (rule, message, mentions)
    ids_complete: bool = True  # False once a big ingest stopped keeping the ids it touched

    def add_error(self, index: int, message: str) -> None:
        self.skipped += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(ItemError(index, message))

    def merge(self, other: IngestReport) -> None:
        """Add a batch's figures; ids are kept only up to MAX_IDS_KEPT (memory stays bounded)."""
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.skipped += other.skipped
        self.undated += other.undated
        self.errors.extend(other.errors[: max(0, MAX_ERRORS_KEPT - len(self.errors))])
        if (
            self.ids_complete
            and len(self.new_ids) + len(self.changed_ids) + len(other.new_ids) <= MAX_IDS_KEPT
        ):
            self.new_ids.extend(other.new_ids)
            self.changed_ids.extend(other.changed_ids)
        else:
            self.ids_complete = False
            self.new_ids, self.changed_ids = [], []
        self.notifications.extend(other.notifications)


class SeenKeys:
    """What a bulk import may find stored already, in bounded memory, so that a row surely new
    needs no lookup. A row may be stored already when a stored mention may have its key (one bit
    per key hash), or its URL from another source kind (one byte per URL hash: 0 for none, the
    source kind when all URLs with that hash came from one, MIXED otherwise). False "maybe"s
    (hash collisions) only cost a lookup; a "surely new" is always right."""

    # Sized by the rows it will hold (stored and incoming): 64 key bits and 32 URL slots a row,
    # between these bounds (at most 8 + 8 MB: 8 URL slots a row at a million). At a million rows
    # of bench/data's file about 4.7 % are a false "maybe" (2.8 % with twice the URL slots), each
    # costing a file import's writer one look through the indexes (parallel_ingest._looked_up).
    KEY_BITS_PER_ROW, URL_SLOTS_PER_ROW = 64, 32
    MIN_BITS, MAX_KEY_BITS, MAX_URL_SLOTS = 1 << 16, 1 << 26, 1 << 23
    MIXED = 255

    def __init__(self, rows: int = 0) -> None:
        self.key_bits = _power_of_two(rows * self.KEY_BITS_PER_ROW, self.MIN_BITS, self.MAX_KEY_BITS)
        self.url_slots = _power_of_two(rows * self.URL_SLOTS_PER_ROW, self.MIN_BITS, self.MAX_URL_SLOTS)
        self.keys = bytearray(self.key_bits >> 3)
        self.urls = bytearray(self.url_slots)
        self.kinds: dict[str, int] = {}

    @classmethod
    def of(cls, ws: Store, incoming: int = 0) -> SeenKeys:
        """The keys of every stored mention, sized for `incoming` more."""
        seen = cls(store.mention_count(ws) + incoming)
        for chunk in chunked(store.stored_keys(ws), 10_000):
            seen.maybe_stored(
                [source for source, _, _ in chunk],
                [key_hash(source, external_id) for source, external_id, _ in chunk],
                [-1 if url is None else url for _, _, url in chunk],
                bytes(len(chunk)),
            )
        return seen

    def kind(self, source: str) -> int:
        code = self.kinds.get(source)
        if code is None:
            code = self.kinds[source] = min(len(self.kinds) + 1, self.MIXED)
        return code

    def maybe_stored(
        self, sources: Sequence[str], keys: Sequence[int], urls: Sequence[int], derived: bytes
    ) -> list[int]:
        """The positions, from 1, of the rows that may match a stored mention (so they must be
        looked up), given each row's source kind, key hash, URL hash (-1 for none) and whether
        its id was derived. Either way every row counts as stored from then on."""
        key_bits, url_slots, kind, mixed = self.keys, self.urls, self.kind, self.MIXED
        code_of = self.kinds.get  # (a kind's code, 1 or more, found without a call for each row)
        key_mask, url_mask = self.key_bits - 1, self.url_slots - 1
        found = []
        for position, (source, key, url, own) in enumerate(zip(sources, keys, urls, derived, strict=True), 1):
            spot = key & key_mask
            byte, bit = spot >> 3, 1 << (spot & 7)
            maybe = key_bits[byte] & bit
            key_bits[byte] |= bit
            if url >= 0:
                slot = url & url_mask
                held, code = url_slots[slot], code_of(source) or kind(source)
                if held == 0:
                    url_slots[slot] = code
                elif held != code or code == mixed:
                    url_slots[slot] = mixed
                    maybe = 1
                elif own:
                    maybe = 1  # same kind: only an id derived from the URL matches by URL
            if maybe:
                found.append(position)
        return found


def _power_of_two(wanted: int, low: int, high: int) -> int:
    return min(high, max(low, 1 << max(0, wanted - 1).bit_length()))


def ingest_items(
    ws: Store,
    items: Iterable[Item],
    *,
    source_id: int | None = None,
    score: bool = True,
    batch_size: int = BATCH_SIZE,
    state: TaskState | None = None,
    on_batch: Callable[[IngestReport], None] | None = None,
    bulk: bool = False,
    refresh_authors: bool = True,
) -> IngestReport:
    """Store `items` (any iterable, consumed in batches: memory stays bounded).

    `score=False` leaves sentiment for `rescore()` (faster bulk imports). `on_batch` is called
    after each committed batch with that batch's report. Cancelling through `state` stops after
    the current batch; everything committed so far stays. `bulk=True` (a large file into a
    smaller workspace) defers the read indexes to the end, in bigger batches.
    """
    fetched_at = normalize.utc_now()
    if bulk:
        batch_size, refresh_authors = max(batch_size, BULK_BATCH_SIZE), False
    prepared = (
        prepare_batch(list(enumerate(batch, start=offset)), fetched_at, source_id)
        for offset, batch in _offset_batches(items, batch_size)
    )
    if not bulk:
        return store_prepared(
            ws, prepared, score=score, state=state, on_batch=on_batch, refresh_authors=refresh_authors
        )
    with store.bulk_import_indexes(ws):
        report = store_prepared(ws, prepared, score=score, state=state, on_batch=on_batch, bulk=True)
    with ws.transaction():
        author_store.refresh_authors(ws)
    return report


def _offset_batches(items: Iterable[Item], size: int) -> Iterator[tuple[int, list[Item]]]:
    offset = 0
    for batch in chunked(items, size):
        yield offset, batch
        offset += len(batch)


def store_prepared(
    ws: Store,
    batches: Iterable[PreparedBatch],
    *,
    score: bool = True,
    state: TaskState | None = None,
    on_batch: Callable[[IngestReport], None] | None = None,
    refresh_authors: bool = True,
    bulk: bool = False,
) -> IngestReport:
    """The writing half of ingest: store normalized batches, one transaction each.

    `bulk=True` (a large import, read indexes dropped): batches are committed together, about
    BULK_TRANSACTION_ROWS rows at a time (each batch stays a savepoint), and rows whose key
    and URL were surely not stored before skip the lookups (SeenKeys).
    """
    total = IngestReport()
    done = 0
    authors: store.AuthorCache = {}
    seen = SeenKeys.of(ws) if bulk else None
    with contextlib.ExitStack() as group:
        pending = 0
        for batch in batches:
            if state is not None:
                state.check()
            if bulk and not ws.conn.in_transaction:
                group.enter_context(ws.transaction())
            if len(authors) > AUTHOR_CACHE_LIMIT:
                for key in list(islice(authors, len(authors) // 2)):
                    del authors[key]  # the oldest half: a miss costs one indexed lookup
            report = _store_batch(ws, batch, score, authors, refresh_authors, seen)
            done += batch.count
            pending += len(batch.rows)
            if bulk and pending >= BULK_TRANSACTION_ROWS:
                group.close()
                pending = 0
            total.merge(report)
            if on_batch is not None:
                on_batch(report)
            if state is not None:
                state.progress(done)
    return total


def _store_batch(
    ws: Store,
    batch: PreparedBatch,
    score: bool,
    authors: store.AuthorCache,
    refresh_authors: bool,
    seen: SeenKeys | None,
) -> IngestReport:
    report = IngestReport(unchanged=batch.duplicates, undated=batch.undated)
    for index, message in batch.errors:
        report.add_error(index, message)
    with ws.transaction():
        try:
            _store_rows(ws, batch.rows, report, authors, seen)
        except BaseException:
            authors.clear()  # the cache may name authors this rolled-back batch created
            raise
        if score:
            _score_stored(ws, batch.rows, report)
        if report.new_ids:
            _after_insert(ws, report.new_ids, report)
        if refresh_authors and (report.new_ids or report.changed_ids):
            author_store.refresh_authors(ws, author_store.authors_of(ws, report.new_ids + report.changed_ids))
    return report


def _store_rows(
    ws: Store,
    rows: list[PreparedRow],
    report: IngestReport,
    author_cache: store.AuthorCache,
    seen: SeenKeys | None = None,
) -> None:
    if not rows:
        return
    rows = _last_copies(rows, report)
    looked_up = rows if seen is None else [rows[p - 1] for p in seen.maybe_stored(*row_hashes(rows))]
    keys = [(r.values["source"], r.values["external_id"]) for r in looked_up]
    urls = [url for r in looked_up if (url := r.values["url"])]
    known = store.existing_by_key(ws, keys)
    by_url = store.existing_by_url(ws, urls)
    authors: dict[tuple[str, str], dict[str, Any]] = {}
    for author in (row.author for row in rows if row.author):
        key = (author["platform"], author["handle"])
        authors[key] = current_author(author, authors.get(key))
    author_ids = store.upsert_authors(ws, list(authors.values()), author_cache)
    next_id = store.next_mention_id(ws)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    touches: list[dict[str, Any]] = []
    seen_urls: dict[str, dict[str, Any]] = {}
    for row in rows:
        values = row.values
        if row.author:
            values["author_id"] = author_ids.get((row.author["platform"], row.author["handle"]))
        existing = known.get((values["source"], values["external_id"]))
        url = values["url"]
        if existing is None and url:
            candidate = by_url.get(url) or seen_urls.get(url)
            if candidate is not None and (row.derived_id or candidate["source"] != values["source"]):
                existing = candidate
        if existing is None:
            values["id"] = next_id
            next_id += 1
            inserts.append(values)
            if url:
                seen_urls.setdefault(url, values)
            report.new_ids.append(values["id"])
            continue
        if "text" not in existing:  # a duplicate of a row inserted earlier in this batch
            report.unchanged += 1
            continue
        values["id"] = existing["id"]
        if existing["text"] == values["text"] and existing["title"] == values["title"]:
            touches.append(values)
            report.unchanged += 1
        else:
            updates.append(values)
            report.changed_ids.append(existing["id"])
    store.insert_mentions(ws, inserts)
    store.update_mentions(ws, updates)
    store.touch_mentions(ws, touches)
    report.inserted += len(inserts)
    report.updated += len(updates)
    _store_labels(ws, rows, {v["id"] for v in inserts})


def _last_copies(rows: list[PreparedRow], report: IngestReport) -> list[PreparedRow]:
    """The rows with the last copy of each post (source, external id) in the place of its first:
    the later copy wins, as within a prepared batch (prepare_batch), and the others count as
    unchanged. The rows a staged chunk stores with lookups come from several of its pieces and
    may name one post twice: each compared with what is stored, an earlier copy's edit outlasted
    a later copy that was the same as the stored post."""
    kept: dict[tuple[str, str], PreparedRow] = {}
    for row in rows:
        kept[(row.values["source"], row.values["external_id"])] = row
    if len(kept) == len(rows):
        return rows
    report.unchanged += len(rows) - len(kept)
    return list(kept.values())


def _store_labels(ws: Store, rows: list[PreparedRow], new_ids: set[int]) -> None:
    """Tags and notes carried by imported items, for mentions this batch created."""
    store_labels(
        ws,
        [
            (row.values["id"], row.tags, row.notes, row.values["fetched_at"])
            for row in rows
            if (row.tags or row.notes) and row.values.get("id") in new_ids
        ],
    )


def store_labels(ws: Store, labelled: Iterable[tuple[int, Sequence[str], Sequence[str], str]]) -> None:
    """Tags and notes that came with new mentions: (mention id, tag names, note bodies, when)."""
    tag_pairs: list[tuple[int, str]] = []
    notes: list[tuple[int, str, str]] = []
    for mention_id, tags, bodies, at in labelled:
        tag_pairs.extend((mention_id, name) for name in tags if name and name.strip())
        notes.extend((mention_id, body.strip(), at) for body in bodies if body.strip())
    if tag_pairs:
        ids = tag_store.ensure_tags(ws, [name for _, name in tag_pairs])
        store.add_mention_tags(ws, [(m, ids[" ".join(n.split()).casefold()]) for m, n in tag_pairs])
    if notes:
        store.add_import_notes(ws, notes)


def _score_stored(ws: Store, rows: list[PreparedRow], report: IngestReport) -> None:
    """Automatic labels for what this batch inserted or changed: those computed where the batch
    was prepared (a worker process, for a file) when there are, else computed now on every core."""
    from listener_app.workspace.scoring import score_mentions

    touched = set(report.new_ids) | set(report.changed_ids)
    if not touched:
        return
    labels = {
        row.values["id"]: row.auto for row in rows if row.auto is not None and row.values.get("id") in touched
    }
    if len(labels) < len(touched):
        score_mentions(ws, [i for i in touched if i not in labels])
    new = set(report.new_ids)
    # New mentions were inserted with their automatic labels already (score_batch filled them in).
    store.set_auto_scores(ws, [(i, *auto) for i, auto in labels.items() if i not in new])


def _after_insert(ws: Store, new_ids: list[int], report: IngestReport) -> None:
    """Link new mentions to matching trackers, apply the labels learned from the strategist's
    (when that setting is on), then run the rules on them."""
    from listener_app.store.learning import auto_apply_threshold
    from listener_app.workspace.learning import apply_learned
    from listener_app.workspace.rules import run_rules

    trackers.match_mentions(ws, new_ids)
    threshold = auto_apply_threshold(ws)
    if threshold is not None:
        apply_learned(ws, threshold, ids=new_ids)
    report.notifications.extend(run_rules(ws, new_ids).notifications)

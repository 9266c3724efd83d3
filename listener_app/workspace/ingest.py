"""Ingest: normalize incoming items, de-duplicate them and store them in batches.

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
import hashlib
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from json.encoder import encode_basestring_ascii as _quote
from typing import Any, NamedTuple

from listener_app.domain import normalize
from listener_app.domain.models import INTENTS, SCORE_OF, SENTIMENTS, STATUSES, Item
from listener_app.domain.tasks import TaskState
from listener_app.store import authors as author_store
from listener_app.store import mentions as store
from listener_app.store import tags as tag_store
from listener_app.store import trackers
from listener_app.store.connection import Store
from listener_app.store.schema import engagement, url_key

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


@dataclass
class IngestReport:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
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


AutoLabels = tuple[str, float, str | None]  # automatic sentiment label, score and intent


class _Row(NamedTuple):
    """One normalized item, ready to store (a tuple: it crosses process boundaries cheaply)."""

    values: dict[str, Any]
    author: dict[str, Any] | None
    tags: tuple[str, ...]
    notes: tuple[str, ...]
    derived_id: bool
    auto: AutoLabels | None = None  # scored where the batch was prepared (see score_batch)


@dataclass(slots=True)
class PreparedBatch:
    """A batch after normalization: the rows to store and the items that were rejected."""

    rows: list[_Row]
    errors: list[tuple[int, str]]
    count: int  # items read, rejected ones and in-batch duplicates included
    duplicates: int = 0

    def __reduce__(self) -> tuple[Any, ...]:
        """Rows cross from worker processes as tuples, their keys sent once per batch: a third
        of the cost of pickling and unpickling the dicts."""
        keys = next((tuple(r.values) for r in self.rows), ())
        author_keys = next((tuple(r.author) for r in self.rows if r.author), ())
        packed = [
            (
                tuple(r.values.values()),
                tuple(r.author.values()) if r.author else None,
                r.tags,
                r.notes,
                r.derived_id,
                r.auto,
            )
            for r in self.rows
        ]
        return _unpack_batch, (keys, author_keys, packed, self.errors, self.count, self.duplicates)


def _unpack_batch(
    keys: tuple[str, ...],
    author_keys: tuple[str, ...],
    packed: list[tuple[Any, ...]],
    errors: list[tuple[int, str]],
    count: int,
    duplicates: int,
) -> PreparedBatch:
    rows = [
        _Row(
            dict(zip(keys, values, strict=True)),
            dict(zip(author_keys, author, strict=True)) if author else None,
            tags,
            notes,
            derived,
            auto,
        )
        for values, author, tags, notes, derived, auto in packed
    ]
    return PreparedBatch(rows, errors, count, duplicates)


def key_hash(source: str, external_id: str) -> int:
    """A hash of a mention's (source, external id) that is the same in every process (unlike
    hash(), which each Python process seeds on its own)."""
    return zlib.crc32(f"{source}\x1f{external_id}".encode())


def row_hashes(rows: Sequence[_Row]) -> tuple[list[str], list[int], list[int], bytes]:
    """What SeenKeys.maybe_stored reads of each row: its source kind, key hash, URL hash (-1 for
    none) and whether its id was derived."""
    sources = [row.values["source"] for row in rows]
    keys = [key_hash(source, row.values["external_id"]) for source, row in zip(sources, rows, strict=True)]
    urls = [-1 if (key := row.values["url_key"]) is None else key for row in rows]
    return sources, keys, urls, bytes(row.derived_id for row in rows)


class SeenKeys:
    """What a bulk import may find stored already, in bounded memory, so that a row surely new
    needs no lookup. A row may be stored already when a stored mention may have its key (one bit
    per key hash), or its URL from another source kind (one byte per URL hash: 0 for none, the
    source kind when all URLs with that hash came from one, MIXED otherwise). False "maybe"s
    (hash collisions) only cost a lookup; a "surely new" is always right."""

    # Sized by the rows it will hold (stored and incoming): 64 key bits and 32 URL slots a row,
    # between these bounds (at most 8 + 8 MB: 8 URL slots a row at a million). At a million rows
    # of bench/data's file about 4.7 % are a false "maybe" (2.8 % with twice the URL slots), each
    # costing the writer 25 us more.
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
        rows = store.stored_keys(ws)
        while chunk := list(islice(rows, 10_000)):
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
        key_mask, url_mask = self.key_bits - 1, self.url_slots - 1
        found = []
        for position, (source, key, url, own) in enumerate(zip(sources, keys, urls, derived, strict=True), 1):
            spot = key & key_mask
            byte, bit = spot >> 3, 1 << (spot & 7)
            maybe = key_bits[byte] & bit
            key_bits[byte] |= bit
            if url >= 0:
                slot = url & url_mask
                held, code = url_slots[slot], kind(source)
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


def _derive_external_id(item: Item, url: str | None, text: str, published: str) -> str:
    if url:
        return url
    handle = item.author.handle if item.author else ""
    digest = hashlib.sha1(f"{handle}\x1f{published}\x1f{text[:2000]}".encode()).hexdigest()
    return f"sha1:{digest}"


def _choice(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    if value is None or value == "":
        return None
    cleaned = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    if cleaned not in allowed:
        raise ValueError(f"{what} {value!r} is not one of {', '.join(allowed)}")
    return cleaned


def _origin(value: str | None) -> str:
    """How an incoming label was set: 'learned' when the item says so, otherwise by hand."""
    return "learned" if value == "learned" else "manual"


def _manual_score(label: str | None, score: float | None) -> float | None:
    if label is None:
        return None
    if score is not None and -1.0 <= float(score) <= 1.0:
        return float(score)
    return SCORE_OF[label]


def _json_strings(values: list[str]) -> str:
    """json.dumps(values) for a list of strings: the same text in half the time."""
    return "[" + ", ".join(map(_quote, values)) + "]"


def _json_counts(counts: dict[str, Any]) -> str:
    """json.dumps of the counts as whole numbers, those that are None left out: the same text
    in half the time."""
    return "{" + ", ".join(f"{_quote(str(k))}: {int(v)}" for k, v in counts.items() if v is not None) + "}"


def normalize_item(item: Item, fetched_at: str, source_id: int | None = None) -> _Row:
    """The stored form of one item; raises ValueError with a readable reason for a bad one."""
    source = (item.source or "").strip().lower()
    if not source:
        raise ValueError("no source")
    text, links = normalize.clean_text(item.text, item.is_html)
    title, _ = normalize.clean_text(item.title, item.is_html) if item.title else ("", [])
    if not text and not title:
        raise ValueError("no text")
    text, original_length = normalize.cap_text(text)
    title = normalize.cap_text(title, normalize.MAX_TITLE_CHARS)[0] if title else None
    if item.published_at is None or item.published_at == "":
        published = fetched_at
    else:
        published = normalize.parse_date(item.published_at)
    url = normalize.canonical_url(item.url)
    external_id = (item.external_id or "").strip() or None
    derived = external_id is None
    if external_id is None:
        external_id = _derive_external_id(item, url, text, published)
    link_list = []
    if item.links or links:
        link_list = list(dict.fromkeys(u for u in map(normalize.canonical_url, [*item.links, *links]) if u))
    author = None
    author_name = None
    reach = None
    if item.author and item.author.handle and item.author.handle.strip():
        handle = item.author.handle.strip()
        author_name = (item.author.display_name or "").strip() or handle
        reach = item.author.reach if item.author.reach is None or item.author.reach >= 0 else None
        author = {
            "platform": (item.author.platform or source).lower(),
            "handle": handle,
            "display_name": (item.author.display_name or "").strip() or None,
            "profile_url": normalize.canonical_url(item.author.profile_url),
            "reach": reach,
        }
    sentiment = _choice(item.sentiment, SENTIMENTS, "sentiment") if item.sentiment else None
    intent = _choice(item.intent, INTENTS, "intent") if item.intent else None
    status = _choice(item.status, STATUSES, "status") if item.status else None
    values = {
        "source": source,
        "source_id": source_id,
        "external_id": external_id[:500],
        "url": url,
        "url_key": url_key(url) if url else None,
        "author_id": None,
        "author_name": author_name,
        "title": title,
        "text": text or "",
        "links": _json_strings(link_list) if link_list else None,
        "original_length": original_length,
        "lang": (item.lang or "").strip().lower()[:12] or None,
        "published_at": published,
        "fetched_at": fetched_at,
        "metrics": _json_counts(item.metrics) if item.metrics else None,
        "engagement": engagement(item.metrics) if item.metrics else 0,
        "reach": reach,
        "parent_external_id": item.parent_external_id,
        "thread_external_id": item.thread_external_id,
        "status": status or ("done" if item.ours else "new"),  # the brand's own posts: never in New
        "starred": 1 if item.starred else 0,
        "sentiment": sentiment,
        "sentiment_score": _manual_score(sentiment, item.sentiment_score),
        "sentiment_origin": _origin(item.sentiment_origin) if sentiment else None,
        "intent": intent,
        "intent_origin": _origin(item.intent_origin) if intent else None,
        "ours": 1 if item.ours else 0,
    }
    return _Row(values, author, tuple(item.tags), tuple(item.notes), derived)


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


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
    for batch in _batches(items, size):
        yield offset, batch
        offset += len(batch)


def prepare_batch(
    numbered: list[tuple[int, Item]], fetched_at: str, source_id: int | None = None
) -> PreparedBatch:
    """Normalize a batch of (index, item) pairs: the CPU-bound half of ingest.

    A plain function of plain data, so importers can run it in worker processes while the
    single writer stores the batches before (see `store_prepared`).
    """
    rows: dict[tuple[str, str], _Row] = {}
    errors: list[tuple[int, str]] = []
    duplicates = 0
    for index, item in numbered:
        try:
            row = normalize_item(item, fetched_at, source_id)
        except (ValueError, TypeError, OverflowError) as exc:
            errors.append((index, str(exc)))
            continue
        key = (row.values["source"], row.values["external_id"])
        if key in rows:
            duplicates += 1  # the same item twice in one batch: the later copy wins
        rows[key] = row
    return PreparedBatch(list(rows.values()), errors, len(numbered), duplicates)


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
    report = IngestReport(unchanged=batch.duplicates)
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
    rows: list[_Row],
    report: IngestReport,
    author_cache: store.AuthorCache,
    seen: SeenKeys | None = None,
) -> None:
    if not rows:
        return
    looked_up = rows if seen is None else [rows[p - 1] for p in seen.maybe_stored(*row_hashes(rows))]
    keys = [(r.values["source"], r.values["external_id"]) for r in looked_up]
    urls = [url for r in looked_up if (url := r.values["url"])]
    known = store.existing_by_key(ws, keys)
    by_url = store.existing_by_url(ws, urls)
    authors = {(a["platform"], a["handle"]): a for a in (r.author for r in rows) if a}
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


def _store_labels(ws: Store, rows: list[_Row], new_ids: set[int]) -> None:
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


def _score_stored(ws: Store, rows: list[_Row], report: IngestReport) -> None:
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


def score_batch(batch: PreparedBatch) -> PreparedBatch:
    """Sentiment and intent for every row of a prepared batch, where it was prepared (so a file
    import scores on every worker while the single writer stores): kept in `_Row.auto`, and filled
    in as the row's labels where the item brought none of its own."""
    from listener_app.workspace.scoring import auto_labels

    texts = [(f"{r.values['title']}\n" if r.values["title"] else "") + r.values["text"] for r in batch.rows]
    scored = []
    for row, auto in zip(batch.rows, auto_labels(texts), strict=True):
        values = row.values
        if values["sentiment"] is None:
            values.update(sentiment=auto[0], sentiment_score=auto[1], sentiment_origin="auto")
        if values["intent"] is None and auto[2] is not None:
            values.update(intent=auto[2], intent_origin="auto")
        scored.append(row._replace(auto=auto))
    batch.rows = scored
    return batch


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


def prepare_chunk(
    to_items: Callable[[Any], tuple[list[tuple[int, Item]], list[tuple[int, str]]]],
    source_id: int | None,
    chunk: Any,
    score: bool = False,
) -> PreparedBatch:
    numbered, errors = to_items(chunk)
    batch = prepare_batch(numbered, normalize.utc_now(), source_id)
    batch.errors[:0] = errors
    batch.count += len(errors)
    return score_batch(batch) if score else batch

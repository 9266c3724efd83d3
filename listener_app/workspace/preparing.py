"""Preparing an import's rows: the half of ingest that runs where rows are read (in the worker
processes of a big import), turning items into the rows to store (normalized, de-duplicated
within a batch, scored) and writing a chunk of them into a staging file.

It loads the domain, the file formats and the store's row shapes and staging files, nothing of
the workspace's connection (which brought sqlite-utils and numpy when workers loaded it), nor
the readers of archives and of odd date forms: a pool of two workers is up in 0.11 s (0.4 s when
they loaded the store).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii as _quote
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from listener_app.domain import normalize
from listener_app.domain.models import INTENTS, SCORE_OF, SENTIMENTS, STATUSES, Item
from listener_app.formats.blocks import BlockRows
from listener_app.formats.csv_reader import CsvBlock
from listener_app.formats.json_reader import ArrayBlock, LineBlock
from listener_app.store import staging
from listener_app.store.chunks import chunked
from listener_app.store.rows import stored_metrics, url_key

ToItems = Callable[[Any], tuple[list[tuple[int, Item]], list[tuple[int, str]]]]
_author_values = itemgetter(*staging.AUTHOR_COLUMNS)
# Records a worker turns into rows at a time: its memory holds one piece's objects (about 4 KB
# a record), not a whole chunk's (a block of a JSON Lines file is up to 8 MB, 15,000 records).
STAGE_ROWS = 1000


AutoLabels = tuple[str, float, str | None]  # automatic sentiment label, score and intent


class PreparedRow(NamedTuple):
    """One normalized item, ready to store (or to write into a staging file)."""

    values: dict[str, Any]
    author: dict[str, Any] | None
    tags: tuple[str, ...]
    notes: tuple[str, ...]
    derived_id: bool
    auto: AutoLabels | None = None  # scored where the batch was prepared (see score_batch)


@dataclass(slots=True)
class PreparedBatch:
    """A batch after normalization: the rows to store and the items that were rejected."""

    rows: list[PreparedRow]
    errors: list[tuple[int, str]]
    count: int  # items read, rejected ones and in-batch duplicates included
    duplicates: int = 0
    undated: int = 0  # rows with no date, dated by the time they were prepared (fetched_at)


def key_hash(source: str, external_id: str) -> int:
    """A hash of a mention's (source, external id) that is the same in every process (unlike
    hash(), which each Python process seeds on its own)."""
    return zlib.crc32(f"{source}\x1f{external_id}".encode())


def row_hashes(rows: Sequence[PreparedRow]) -> tuple[list[str], list[int], list[int], bytes]:
    """What SeenKeys.maybe_stored reads of each row: its source kind, key hash, URL hash (-1 for
    none) and whether its id was derived."""
    sources = [row.values["source"] for row in rows]
    keys = [key_hash(source, row.values["external_id"]) for source, row in zip(sources, rows, strict=True)]
    urls = [-1 if (key := row.values["url_key"]) is None else key for row in rows]
    return sources, keys, urls, bytes(row.derived_id for row in rows)


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


def normalize_item(item: Item, fetched_at: str, source_id: int | None = None) -> PreparedRow:
    """The stored form of one item; raises ValueError with a readable reason for a bad one."""
    source = (item.source or "").strip().lower()
    if not source:
        raise ValueError("no source")
    text, links = normalize.clean_text(item.text, item.is_html)
    title, _ = normalize.clean_text(item.title, item.is_html) if item.title else ("", [])
    if not text and not title:
        raise ValueError("no text")
    original_length = None
    if len(text) > normalize.MAX_TEXT_CHARS:
        text, original_length = normalize.cap_text(text)
    if len(title) > normalize.MAX_TITLE_CHARS:
        title = normalize.cap_text(title, normalize.MAX_TITLE_CHARS)[0]
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
    author = author_name = reach = None
    ref = item.author
    handle = ref.handle.strip() if ref is not None and ref.handle else None
    if handle:
        display_name = (ref.display_name or "").strip() or None
        author_name = display_name or handle
        reach = ref.reach if ref.reach is None or ref.reach >= 0 else None
        author = {
            "platform": (ref.platform or source).lower(),
            "handle": handle,
            "display_name": display_name,
            "profile_url": normalize.canonical_url(ref.profile_url) if ref.profile_url else None,
            "reach": reach,
        }
    sentiment = _choice(item.sentiment, SENTIMENTS, "sentiment") if item.sentiment else None
    intent = _choice(item.intent, INTENTS, "intent") if item.intent else None
    status = _choice(item.status, STATUSES, "status") if item.status else None
    metrics, engagement = stored_metrics(item.metrics)
    values = {
        "source": source,
        "source_id": source_id,
        "external_id": external_id[:500],
        "url": url,
        "url_key": url_key(url) if url else None,
        "author_id": None,
        "author_name": author_name,
        "title": title or None,
        "text": text or "",
        "links": _json_strings(link_list) if link_list else None,
        "original_length": original_length,
        "lang": (item.lang.strip().lower()[:12] or None) if item.lang else None,
        "published_at": published,
        "fetched_at": fetched_at,
        "metrics": metrics,
        "engagement": engagement,
        "reach": reach,
        "parent_external_id": item.parent_external_id,
        "thread_external_id": item.thread_external_id,
        "status": status or ("done" if item.ours else "new"),  # the brand's own posts: never in New
        "starred": 1 if item.starred else 0,
        "sentiment": sentiment,
        "sentiment_score": _manual_score(sentiment, item.sentiment_score) if sentiment else None,
        "sentiment_origin": _origin(item.sentiment_origin) if sentiment else None,
        "intent": intent,
        "intent_origin": _origin(item.intent_origin) if intent else None,
        "ours": 1 if item.ours else 0,
    }
    tags = tuple(item.tags) if item.tags else ()
    notes = tuple(item.notes) if item.notes else ()
    return PreparedRow(values, author, tags, notes, derived)


def prepare_batch(
    numbered: list[tuple[int, Item]], fetched_at: str, source_id: int | None = None
) -> PreparedBatch:
    """Normalize a batch of (index, item) pairs: the CPU-bound half of ingest.

    A plain function of plain data, so importers can run it in worker processes while the
    single writer stores the batches before (see `store_prepared`).
    """
    rows: dict[tuple[str, str], PreparedRow] = {}
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
    kept = list(rows.values())
    undated = sum(row.values["published_at"] is fetched_at for row in kept)  # as normalize_item dates them
    return PreparedBatch(kept, errors, len(numbered), duplicates, undated)


def score_batch(batch: PreparedBatch) -> PreparedBatch:
    """Sentiment and intent for every row of a prepared batch, where it was prepared (so a file
    import scores on every worker while the single writer stores): kept in `PreparedRow.auto`,
    and filled in as the row's labels where the item brought none of its own."""
    from listener_app.domain.auto_labels import auto_labels  # the scorers load here

    texts = [(f"{r.values['title']}\n" if r.values["title"] else "") + r.values["text"] for r in batch.rows]
    scored = []
    for row, auto in zip(batch.rows, auto_labels(texts), strict=True):
        values = row.values
        if values["sentiment"] is None:
            values["sentiment"] = auto[0]
            values["sentiment_score"] = auto[1]
            values["sentiment_origin"] = "auto"
        if values["intent"] is None and auto[2] is not None:
            values["intent"] = auto[2]
            values["intent_origin"] = "auto"
        # (made anew rather than with _replace: a third of the time, for every row of an import)
        scored.append(PreparedRow(values, row.author, row.tags, row.notes, row.derived_id, auto))
    batch.rows = scored
    return batch


def prepare_chunk(to_items: ToItems, source_id: int | None, chunk: Any, score: bool = False) -> PreparedBatch:
    numbered, errors = to_items(chunk)
    batch = prepare_batch(numbered, normalize.utc_now(), source_id)
    batch.errors[:0] = errors
    batch.count += len(errors)
    return score_batch(batch) if score else batch


@dataclass(slots=True)
class StagedBatch:
    """A chunk a worker normalized into a staging file (rows at positions 1..size), with what
    the writer needs to tell surely new rows from the others: per row, its key hash, URL hash
    (-1 for none), source kind (an index into `kinds`) and whether its id was derived; the
    positions of the rows that may repeat an earlier row of the chunk (ChunkRepeats); and the
    positions of the few rows with extras (tags, notes...)."""

    path: Path
    size: int
    keys: array
    urls: array
    kinds: list[str]
    kind_of: array
    derived: bytes
    repeats: array
    with_extras: array
    errors: list[tuple[int, str]]
    count: int
    duplicates: int
    undated: int
    line_breaks: int = 0  # in a block of a file's lines (its errors are numbered from its first line)
    # A block of lines: the chunk it was (to read it again from elsewhere), and the bytes read
    # past its end (see BlockRows.overrun).
    chunk: Any = None
    overrun: int = 0


class ChunkRepeats:
    """The rows of a chunk that may match an earlier row of the same chunk, as ingest matches
    them (workspace.ingest._store_rows): the same (source, external id), or the same URL where an
    earlier row with it came from another source kind or this row's id was derived. Exact but
    for erring on the side of "may" (a URL once seen from two kinds matches every later one),
    so the writer needs no hashes for what its chunk holds: only a chunk's keys are kept."""

    MIXED = ""  # no source kind is empty

    def __init__(self) -> None:
        self.keys: set[tuple[str, str]] = set()
        self.urls: dict[str, str] = {}  # URL: the source kind of the rows with it, or MIXED
        self.positions = array("L")

    def add(self, position: int, values: dict[str, Any], derived: bool) -> None:
        source, url = values["source"], values["url"]
        key = (source, values["external_id"])
        repeat = key in self.keys
        self.keys.add(key)
        if url is not None:
            kind = self.urls.get(url)
            if kind is None:
                self.urls[url] = source
            elif kind != source:
                self.urls[url] = self.MIXED
                repeat = True
            elif derived:
                repeat = True
        if repeat:
            self.positions.append(position)


def stage_chunk(to_items: ToItems, source_id: int | None, chunk: Any, score: bool, path: Path) -> StagedBatch:
    """Worker side of an import: normalize (and score) a chunk into a staging file, a piece of
    STAGE_ROWS records at a time (the same post twice in one piece is stored once)."""
    kinds: dict[str, int] = {}
    keys, urls, kind_of, with_extras = array("L"), array("q"), array("H"), array("L")
    repeats = ChunkRepeats()
    derived = bytearray()
    authors: dict[tuple[str, str], int] = {}
    author_values: list[dict[str, Any]] = []
    errors: list[tuple[int, str]] = []
    count = duplicates = undated = position = 0
    records, columns = chunk
    block: BlockRows | None = None
    if isinstance(records, LineBlock | CsvBlock | ArrayBlock):
        records = block = records.read()
    with staging.StagingWriter(path) as out:
        # a piece of the records at a time: a worker holds one piece's objects, not a whole block's
        for piece in chunked(records, STAGE_ROWS):
            batch = prepare_chunk(to_items, source_id, (piece, columns), score)
            errors += batch.errors
            count += batch.count
            duplicates += batch.duplicates
            undated += batch.undated
            sources, piece_keys, piece_urls, piece_derived = row_hashes(batch.rows)
            keys.extend(piece_keys)
            urls.extend(piece_urls)
            derived += piece_derived
            kind_of.extend(kinds.setdefault(source, len(kinds)) for source in sources)
            staged = []
            for row in batch.rows:
                position += 1
                values, author = row.values, row.author
                repeats.add(position, values, row.derived_id)
                ref = None
                if author is not None:
                    ref = authors.setdefault((author["platform"], author["handle"]), len(authors))
                    if ref == len(author_values):
                        author_values.append(author)
                    else:
                        author_values[ref] = current_author(author, author_values[ref])
                extra = _extra(row)
                if extra is not None:
                    with_extras.append(position)
                values["author"], values["extra"] = ref, extra  # staged as they are: no copy
                staged.append(values)
            out.add_rows(staged)
        out.finish([_author_values(author) for author in author_values])
    return StagedBatch(
        path,
        position,
        keys,
        urls,
        list(kinds),
        kind_of,
        bytes(derived),
        repeats.positions,
        with_extras,
        errors,
        count,
        duplicates,
        undated,
        *((block.line_breaks, chunk, block.overrun) if block is not None else ()),
    )


def current_author(later: dict[str, Any], earlier: dict[str, Any] | None) -> dict[str, Any]:
    """An author named by a later row of a batch: what that row says is current, but a value it
    leaves empty keeps the earlier row's (as staging.upsert_authors and store.upsert_authors
    refresh a stored author)."""
    if earlier is None or later == earlier or None not in later.values():
        return later
    return {key: earlier[key] if value is None else value for key, value in later.items()}


def _extra(row: PreparedRow) -> str | None:
    """What only some rows carry, as JSON (None for most rows): tags, notes, whether the id was
    derived, and automatic labels when they differ from the row's own (a label from the file)."""
    extra: dict[str, Any] = {}
    if row.tags:
        extra["tags"] = row.tags
    if row.notes:
        extra["notes"] = row.notes
    if row.derived_id:
        extra["derived"] = True
    if row.auto is not None and row.auto != own_labels(row.values):
        extra["auto"] = row.auto
    return json.dumps(extra) if extra else None


def own_labels(values: dict[str, Any]) -> tuple[Any, Any, Any]:
    """A row's sentiment, score and intent, in the form of its automatic labels (`PreparedRow.auto`)."""
    return values["sentiment"], values["sentiment_score"], values["intent"]

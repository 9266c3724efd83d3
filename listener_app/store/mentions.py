"""Mention storage: batch upserts for ingest, and the row shapes the list, detail and exports read."""

from __future__ import annotations

import contextlib
import json
import operator
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from typing import Any

from listener_app.store.chunks import chunked, marks
from listener_app.store.connection import Store, ensure_read_indexes
from listener_app.store.rows import INSERT_COLUMNS, url_key
from listener_app.store.schema import READ_INDEXES

# Columns a re-fetch may refresh: content and metrics, never the strategist's work.
CONTENT_COLUMNS = (
    "url", "url_key", "author_id", "author_name", "title", "text", "links", "original_length", "lang",
    "metrics", "engagement", "reach", "parent_external_id", "thread_external_id", "fetched_at",
)  # fmt: skip
# A mention a later import knows to be the brand's own (the "this is us" handles were set since)
# becomes ours, and leaves New if it was still there; once ours, it stays ours, and a status
# the strategist set is never changed.
_BECOMES_OURS = (
    "ours = max(ours, :ours), status = CASE WHEN :ours = 1 AND ours = 0 AND status = 'new' THEN 'done' "
    "ELSE status END"
)


# FTS5 merges its index segments once this many of a size pile up. 16 during a large import: a
# million mentions index in 4.4 s instead of 5.9, and searches on the result are as fast (within
# 0.3 ms); afterwards the default (4) again, and later writes merge what is left bit by bit.
FTS_AUTOMERGE, BULK_FTS_AUTOMERGE = 4, 16
# Imported mentions are seldom starred: keeping this index costs an import nothing, building it
# again costs a scan of the table (0.2 s at 1M).
KEPT_IN_BULK = ("mentions_starred",)


@contextlib.contextmanager
def bulk_import_indexes(ws: Store) -> Iterator[None]:
    """For a large import: drop the read indexes (but KEPT_IN_BULK), and build them once at the end.

    Building an index over sorted data once is several times cheaper than keeping it up to date
    row by row. If the process dies in between, open_store() builds them on the next open.
    Meanwhile the full-text index merges less often and foreign keys are not checked (ingest
    links only authors it has just written); the indexes are sorted as Store.sorting says. The
    page cache stays the workspace's (32 MB): with 16 MB a million-row import read and wrote
    evicted pages again and again (8.5 s of system time against 6.4 s, 32.3-33.4 s against
    31.5-31.7 s), for 17 MB more memory.
    """
    conn = ws.conn
    (foreign_keys,) = conn.execute("PRAGMA foreign_keys").fetchone()
    with ws.transaction():
        for name in READ_INDEXES:
            if name not in KEPT_IN_BULK:
                ws.execute(f"DROP INDEX IF EXISTS {name}")
        _fts_automerge(ws, BULK_FTS_AUTOMERGE)
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")
        with ws.sorting(), ws.transaction():
            ensure_read_indexes(conn)
            _fts_automerge(ws, FTS_AUTOMERGE)


@contextlib.contextmanager
def journals_on_disk(ws: Store) -> Iterator[None]:
    """Statement and savepoint journals in temporary files, not memory, while importing (the
    workspace's temp_store is MEMORY): a statement that may be undone alone journals every index
    page it changes, which grows with the workspace (a chunk's INSERT ... SELECT took 40 MB of
    memory so at a million mentions, before it became INSERT OR FAIL). (Changing temp_store
    drops temporary tables; the app keeps none: update_mentions drops its own before it returns.)"""
    conn = ws.conn
    (temp_store,) = conn.execute("PRAGMA temp_store").fetchone()
    conn.execute("PRAGMA temp_store = FILE")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA temp_store = {int(temp_store)}")


def _fts_automerge(ws: Store, segments: int) -> None:
    ws.execute("INSERT INTO mentions_fts (mentions_fts, rank) VALUES ('automerge', ?)", (segments,))


def stored_keys(ws: Store) -> Iterator[tuple[str, str, int | None]]:
    """(source, external_id, url_key) of every stored mention, streamed."""
    yield from ws.execute("SELECT source, external_id, url_key FROM mentions")


def author_count(ws: Store) -> int:
    return int(ws.scalar("SELECT count(*) FROM authors"))


# Rows ANALYZE reads per index when statistics are refreshed after an import: enough for the
# planner's choices here, in milliseconds rather than 0.75 s per million mentions.
ANALYSIS_LIMIT = 1000


def refresh_statistics(ws: Store) -> None:
    """Bring the query planner's statistics up to date after an import (what `PRAGMA optimize`
    finds out of date), from a sample of each index: the cost does not grow with the workspace.
    The limit stays on the connection: statistics from a sample look out of date to an optimize
    without one (at close), which would read every row again."""
    ws.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
    ws.execute("PRAGMA optimize")


def next_mention_id(ws: Store) -> int:
    return int(ws.scalar("SELECT coalesce(max(id), 0) + 1 FROM mentions"))


def existing_by_key(ws: Store, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Known mentions by (source, external_id), with the columns ingest compares."""
    by_source: dict[str, list[str]] = {}
    for source, external_id in keys:
        by_source.setdefault(source, []).append(external_id)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for source, ids in by_source.items():
        for chunk in chunked(ids):
            rows = ws.execute(
                "SELECT id, source, external_id, title, text, metrics, sentiment_origin, intent_origin "
                f"FROM mentions WHERE source = ? AND external_id IN ({marks(len(chunk))})",
                [source, *chunk],
            )
            for row in rows:
                found[(row["source"], row["external_id"])] = dict(row)
    return found


def existing_by_url(ws: Store, urls: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Known mentions by canonical URL: the oldest one when several share it (App Store
    reviews all point at the app's page; only the first is read, however many there are)."""
    found: dict[str, dict[str, Any]] = {}
    unique = list(dict.fromkeys(urls))
    for chunk in chunked(unique):
        rows = ws.execute(
            "SELECT id, source, external_id, url, title, text, metrics, sentiment_origin, intent_origin "
            "FROM mentions WHERE id IN (SELECT (SELECT o.id FROM mentions o "
            "WHERE o.url_key = json_extract(u.value, '$[0]') AND o.url = json_extract(u.value, '$[1]') "
            "ORDER BY o.id LIMIT 1) FROM json_each(?) u)",
            [json.dumps([(url_key(url), url) for url in chunk])],
        )
        for row in rows:
            found[row["url"]] = dict(row)
    return found


AuthorKey = tuple[str, str]
AuthorCache = dict[AuthorKey, tuple[int, str | None, str | None, int | None]]


def upsert_authors(
    ws: Store, authors: Sequence[dict[str, Any]], cache: AuthorCache | None = None
) -> dict[AuthorKey, int]:
    """Insert new authors and refresh changed ones; returns ids by (platform, handle).

    `cache` (kept by the caller across batches of one ingest) spares the lookups and writes for
    authors already seen unchanged. First and last seen are derived from mentions when read.
    """
    cache = {} if cache is None else cache
    unknown = [a for a in authors if (a["platform"], a["handle"]) not in cache]
    by_platform: dict[str, list[str]] = {}
    for author in unknown:
        by_platform.setdefault(author["platform"], []).append(author["handle"])
    for platform, handles in by_platform.items():
        for chunk in chunked(list(dict.fromkeys(handles))):
            rows = ws.execute(
                "SELECT id, handle, display_name, profile_url, reach FROM authors "
                f"WHERE platform = ? AND handle IN ({marks(len(chunk))})",
                [platform, *chunk],
            )
            for row in rows:
                cache[(platform, row["handle"])] = (
                    row["id"],
                    row["display_name"],
                    row["profile_url"],
                    row["reach"],
                )
    inserts: dict[AuthorKey, dict[str, Any]] = {}
    updates = []
    for author in authors:
        key = (author["platform"], author["handle"])
        known = cache.get(key)
        if known is None:
            inserts[key] = author
            continue
        given = (author["display_name"], author["profile_url"], author["reach"])
        if given == known[1:]:
            continue
        merged = tuple(new if new is not None else old for new, old in zip(given, known[1:], strict=True))
        if merged != known[1:]:
            updates.append((*merged, known[0]))
            cache[key] = (known[0], *merged)
    if updates:
        ws.conn.executemany(
            "UPDATE authors SET display_name = ?, profile_url = ?, reach = ? WHERE id = ?", updates
        )
    if inserts:
        ws.conn.executemany(
            "INSERT INTO authors (platform, handle, display_name, profile_url, reach) "
            "VALUES (:platform, :handle, :display_name, :profile_url, :reach)",
            list(inserts.values()),
        )
        first_new = int(ws.scalar("SELECT max(id) FROM authors")) - len(inserts) + 1
        for offset, author in enumerate(inserts.values()):  # one writer: the new ids are consecutive
            cache[(author["platform"], author["handle"])] = (
                first_new + offset, author["display_name"], author["profile_url"], author["reach"],
            )  # fmt: skip
    return {(a["platform"], a["handle"]): cache[(a["platform"], a["handle"])][0] for a in authors}


_insert_values = operator.itemgetter(*INSERT_COLUMNS)
_INSERT_SQL = f"INSERT INTO mentions ({', '.join(INSERT_COLUMNS)}) VALUES ({marks(len(INSERT_COLUMNS))})"


def insert_mentions(ws: Store, rows: Sequence[dict[str, Any]]) -> None:
    """Insert new mentions (each row carries its `id`) and add them to the full-text index.

    This is the only way mentions are inserted: the full-text index is filled here in one
    INSERT ... SELECT per batch rather than by a per-row trigger.
    """
    if not rows:
        return
    ws.conn.executemany(_INSERT_SQL, map(_insert_values, rows))
    index_mentions(ws, [row["id"] for row in rows])


def index_mentions(ws: Store, ids: Sequence[int]) -> None:
    """Add freshly inserted mentions to the full-text index (contiguous ids in one range scan)."""
    ordered = sorted(ids)
    if ordered and ordered[-1] - ordered[0] + 1 == len(ordered):
        index_range(ws, ordered[0], ordered[-1])
        return
    for chunk in chunked(ordered):
        ws.execute(
            "INSERT INTO mentions_fts (rowid, title, text, author_name) "
            f"SELECT id, title, text, author_name FROM mentions WHERE id IN ({marks(len(chunk))})",
            list(chunk),
        )


def index_range(ws: Store, first: int, last: int) -> None:
    """Add the fresh mentions with ids from `first` to `last` to the full-text index."""
    ws.execute(
        "INSERT INTO mentions_fts (rowid, title, text, author_name) "
        "SELECT id, title, text, author_name FROM mentions WHERE id BETWEEN ? AND ?",
        (first, last),
    )


def update_mentions(ws: Store, rows: Sequence[dict[str, Any]]) -> None:
    """Refresh content and metrics of known mentions (each row carries `id`; a mention named
    twice takes the later row's content, and is the brand's own if either row says so).

    From a temporary table, in one UPDATE for the customers' posts and one for the brand's own
    (see _update), each walking the ids in order: the full-text index's trigger then adds each
    edited post to what FTS5 holds in memory. Run a row at a time, every UPDATE was a statement
    of its own, and FTS5 writes out all it holds at the start of each statement that may be
    undone: a new segment of its index per edited post, merged again and again. 1,477 edited
    posts into a workspace of a million mentions took 1.9-2.3 s with the commit, now 0.34 s."""
    if not rows:
        return
    staged = ("id", "ours", *CONTENT_COLUMNS)
    ws.execute(f"CREATE TEMP TABLE refreshed (id INTEGER PRIMARY KEY, ours, {', '.join(CONTENT_COLUMNS)})")
    try:
        ws.conn.executemany(
            f"INSERT INTO temp.refreshed ({', '.join(staged)}) VALUES ({', '.join(':' + c for c in staged)}) "
            "ON CONFLICT (id) DO UPDATE SET ours = max(ours, excluded.ours), "
            + ", ".join(f"{c} = excluded.{c}" for c in CONTENT_COLUMNS),
            rows,
        )
        picked = ", ".join(f"r.{c}" for c in CONTENT_COLUMNS)
        for ours in (0, 1):
            becomes_ours = f", {_BECOMES_OURS}" if ours else ""
            ws.execute(
                f"UPDATE mentions SET ({', '.join(CONTENT_COLUMNS)}) = "
                f"(SELECT {picked} FROM temp.refreshed r WHERE r.id = mentions.id){becomes_ours} "
                "WHERE id IN (SELECT id FROM temp.refreshed WHERE ours = :ours)",
                {"ours": ours},
            )
    finally:
        ws.execute("DROP TABLE IF EXISTS temp.refreshed")  # (gone already if an error rolled it back)


def touch_mentions(ws: Store, rows: Sequence[dict[str, Any]]) -> None:
    """Refresh only metrics and fetch time of known mentions whose content did not change."""
    _update(
        ws,
        "metrics = :metrics, engagement = :engagement, reach = coalesce(:reach, reach), fetched_at = :fetched_at",
        rows,
    )


def _update(ws: Store, assignments: str, rows: Sequence[dict[str, Any]]) -> None:
    """Each row's mention (`id`) updated with `assignments`, in order; a row of the brand's own
    posts (`ours`) also makes its mention ours (_BECOMES_OURS). Only such rows assign `ours` and
    `status`: assigning them the values they held still rewrote their entries in every index
    that holds them (touching 3,000 mentions of a million: 0.035-0.05 ms a row and 0.22-0.25 s
    to commit, against 0.01 ms and 0.05 s)."""
    for ours, group in groupby(rows, key=operator.itemgetter("ours")):
        becomes_ours = f", {_BECOMES_OURS}" if ours else ""
        ws.conn.executemany(f"UPDATE mentions SET {assignments}{becomes_ours} WHERE id = :id", group)


def set_auto_scores(ws: Store, scores: Sequence[tuple[int, str, float, str | None]]) -> None:
    """Store automatic sentiment and intent; a manual (or learned) value is never overwritten."""
    ws.conn.executemany(
        """
        UPDATE mentions SET
            sentiment = CASE WHEN sentiment_origin IN ('manual', 'learned') THEN sentiment ELSE ?2 END,
            sentiment_score = CASE WHEN sentiment_origin IN ('manual', 'learned') THEN sentiment_score ELSE ?3 END,
            sentiment_origin = CASE WHEN sentiment_origin IN ('manual', 'learned') THEN sentiment_origin ELSE 'auto' END,
            intent = CASE WHEN intent_origin IN ('manual', 'learned') OR ?4 IS NULL THEN intent ELSE ?4 END,
            intent_origin = CASE WHEN intent_origin IN ('manual', 'learned') OR ?4 IS NULL THEN intent_origin ELSE 'auto' END
        WHERE id = ?1
        """,
        scores,
    )


def unscored(ws: Store, *, after_id: int = 0, limit: int = 2000) -> list[tuple[int, str]]:
    """(id, title + text) of mentions with no sentiment yet, in id order from `after_id`."""
    rows = ws.execute(
        "SELECT id, coalesce(title || '\n', '') || text FROM mentions "
        "WHERE sentiment IS NULL AND id > ? ORDER BY id LIMIT ?",
        (after_id, limit),
    )
    return [(r[0], r[1]) for r in rows]


def count_unscored(ws: Store) -> int:
    return int(ws.scalar("SELECT count(*) FROM mentions WHERE sentiment IS NULL"))


def add_import_notes(ws: Store, notes: Sequence[tuple[int, str, str]]) -> None:
    """Notes that arrived with imported mentions: (mention_id, body, at)."""
    ws.conn.executemany(
        "INSERT INTO notes (mention_id, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
        [(mention_id, body, at, at) for mention_id, body, at in notes],
    )


def add_mention_tags(ws: Store, pairs: Sequence[tuple[int, int]], origin: str = "manual") -> None:
    """Link (mention_id, tag_id) pairs; existing links are kept as they are."""
    ws.conn.executemany(
        "INSERT OR IGNORE INTO mention_tags (mention_id, tag_id, origin) VALUES (?, ?, ?)",
        [(m, t, origin) for m, t in pairs],
    )


# ---------------------------------------------------------------- reading

LIST_COLUMNS = """
    m.id, m.source, m.url, m.author_name, m.author_id, m.title, substr(m.text, 1, 400) AS snippet,
    m.published_at, m.status, m.starred, m.read, m.sentiment, m.sentiment_score, m.sentiment_origin,
    m.intent, m.intent_origin, m.reach, m.lang,
    (SELECT group_concat(tag_id) FROM mention_tags WHERE mention_id = m.id) AS tag_ids,
    EXISTS (SELECT 1 FROM notes WHERE notes.mention_id = m.id) AS has_note
"""


def mention_rows(ws: Store, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The list view's columns for `ids`, in the order given (unknown ids are left out)."""
    by_id: dict[int, dict[str, Any]] = {}
    for chunk in chunked(list(ids)):
        rows = ws.execute(f"SELECT {LIST_COLUMNS} FROM mentions m WHERE m.id IN ({marks(len(chunk))})", chunk)
        for row in rows:
            record = dict(row)
            tag_ids = record.pop("tag_ids")
            record["tag_ids"] = [int(t) for t in tag_ids.split(",")] if tag_ids else []
            by_id[record["id"]] = record
    return [by_id[i] for i in ids if i in by_id]


def mention_detail(ws: Store, mention_id: int) -> dict[str, Any] | None:
    """Everything about one mention, for the detail pane."""
    records = mention_records(ws, [mention_id])
    if not records:
        return None
    record = records[0]
    row = ws.execute(
        "SELECT a.id AS author_id, a.handle, a.display_name, a.profile_url, a.reach AS author_reach, a.vip, "
        "m.read, m.original_length, m.parent_external_id, m.thread_external_id, m.responded_at "
        "FROM mentions m LEFT JOIN authors a ON a.id = m.author_id WHERE m.id = ?",
        (mention_id,),
    ).fetchone()
    record.update(dict(row))
    return record


def mention_records(ws: Store, ids: Sequence[int]) -> list[dict[str, Any]]:
    """Full records (the documented export shape) for `ids`, in the order given."""
    by_id: dict[int, dict[str, Any]] = {}
    for chunk in chunked(list(ids)):
        in_chunk = marks(len(chunk))
        rows = ws.execute(
            f"""
            SELECT m.id, m.source, m.external_id, m.url, m.author_name AS author, a.handle AS author_handle,
                   a.profile_url AS author_url, m.title, m.text, m.links, m.published_at, m.fetched_at, m.lang,
                   m.status, m.starred, m.sentiment, m.sentiment_score, m.sentiment_origin, m.intent,
                   m.intent_origin, m.metrics, m.reach, m.parent_external_id, m.thread_external_id, m.ours
            FROM mentions m LEFT JOIN authors a ON a.id = m.author_id
            WHERE m.id IN ({in_chunk})
            """,
            chunk,
        )
        for row in rows:
            record = dict(row)
            record["starred"] = bool(record["starred"])
            record["ours"] = bool(record["ours"])
            record["links"] = json.loads(record["links"]) if record["links"] else []
            record["metrics"] = json.loads(record["metrics"]) if record["metrics"] else {}
            record["tags"], record["notes"], record["trackers"] = [], [], []
            by_id[record["id"]] = record
        for mention_id, name in ws.execute(
            f"SELECT mt.mention_id, t.name FROM mention_tags mt JOIN tags t ON t.id = mt.tag_id "
            f"WHERE mt.mention_id IN ({in_chunk}) ORDER BY t.name",
            chunk,
        ):
            by_id[mention_id]["tags"].append(name)
        for mention_id, body in ws.execute(
            f"SELECT mention_id, body FROM notes WHERE mention_id IN ({in_chunk}) ORDER BY created_at, id",
            chunk,
        ):
            by_id[mention_id]["notes"].append(body)
        for mention_id, name in ws.execute(
            f"SELECT mk.mention_id, k.name FROM mention_trackers mk JOIN trackers k ON k.id = mk.tracker_id "
            f"WHERE mk.mention_id IN ({in_chunk}) ORDER BY k.name",
            chunk,
        ):
            by_id[mention_id]["trackers"].append(name)
    return [by_id[i] for i in ids if i in by_id]


def mention_count(ws: Store) -> int:
    return int(ws.scalar("SELECT count(*) FROM mentions"))


def texts_for_scoring(ws: Store, ids: Sequence[int]) -> list[tuple[int, str]]:
    """(id, title + text) for `ids`, the text sentiment and intent are computed from."""
    result: list[tuple[int, str]] = []
    for chunk in chunked(list(ids)):
        rows = ws.execute(
            f"SELECT id, coalesce(title || '\n', '') || text FROM mentions WHERE id IN ({marks(len(chunk))})",
            chunk,
        )
        result.extend((r[0], r[1]) for r in rows)
    return result

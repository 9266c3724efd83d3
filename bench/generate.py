"""The benchmark workspace: N mentions (default 1,000,000) in the real schema, built fast.

The posts come from the demo's generator (the same vocabulary, kinds, threads and rhythm) with
weights tuned so the benchmarks know their selectivity: "battery" is in about 1 % of mentions
and "acme" in about 25 %. Rows go in with plain executemany (journal off, a big page cache, the
read indexes built once at the end), then one bulk full-text build. The schema has no insert
trigger on mentions (db.mentions.insert_mentions indexes new rows itself), so nothing needs to
be dropped and recreated around the bulk insert. Labels are pre-filled, plausibly: the
generator's own intent and sentiment with some noise, statuses mostly new, tags on about 5 %,
notes on about 1 %, and the demo's trackers matched.

The file is cached under bench/data/ by N and seed; `python -m bench.generate N` builds it.
"""

from __future__ import annotations

import random
import re
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from listener_app.domain.demo_posts import TOPIC_WEIGHTS, Post, posts
from listener_app.domain.normalize import format_utc
from listener_app.store import open_store
from listener_app.store.authors import refresh_authors
from listener_app.store.mentions import bulk_import_indexes, refresh_statistics
from listener_app.store.rows import INSERT_COLUMNS, stored_metrics, url_key
from listener_app.store.settings import get_setting, set_setting
from listener_app.store.tags import create_tag
from listener_app.store.trackers import create_tracker, rerun_trackers
from listener_app.workspace.demo import TAGS, TRACKERS

DATA = Path(__file__).resolve().parent / "data"
NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)  # fixed: the same N and seed give the same file
BATCH = 20_000
# Fewer battery posts and long reviews (which all mention the battery), and most other mentions
# of it said as "power": "battery" near 1 %.
BENCH_WEIGHTS = TOPIC_WEIGHTS | {("complaint", "battery"): 0.08, ("praise", "battery"): 0.05}
BATTERY_KEPT = 0.1
BRANDLESS = 0.62  # share of posts that name products without the brand: "acme" near 25 %
_BRAND = re.compile(r"\b(?:Acme|ACME|acme)(?:'s)? ?")
COLUMNS = (*INSERT_COLUMNS, "read", "responded_at")
STATUSES = (
    ("new", 70),
    ("done", 14),
    ("needs_response", 5),
    ("monitoring", 4),
    ("responded", 5),
    ("ignored", 2),
)
SCORES = {"negative": (-0.9, -0.06), "neutral": (-0.05, 0.05), "positive": (0.06, 0.9)}
NOTES = ("Escalated to the product team.", "Asked billing to check.", "Known issue, fix in 12.3.",
         "Influencer: loop in PR.", "Customer accepted a replacement.")  # fmt: skip


def workspace_path(n: int, seed: int) -> Path:
    return DATA / f"bench-{n}-s{seed}.listener.db"


def make_workspace(path: Path | None = None, n: int = 1_000_000, seed: int = 1) -> Path:
    """The benchmark workspace for N and seed, built unless a finished one is already there."""
    path = Path(path) if path else workspace_path(n, seed)
    if path.exists():
        with open_store(path) as ws:
            built = get_setting(ws, "bench") or {}
            if (built.get("n"), built.get("seed")) == (n, seed):
                return path
    tmp = path.with_name(path.name + ".building")
    for leftover in (path, tmp):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{leftover}{suffix}").unlink(missing_ok=True)
    _build(tmp, n, seed)
    tmp.rename(path)
    return path


def _debrand(text: str) -> str:
    text = _BRAND.sub("", text)
    return text[:1].upper() + text[1:]


def _rows(generated: Iterator[Post], rng: random.Random, authors: dict[tuple[str, str], tuple[Any, ...]]):
    """Mention rows (and their author rows, collected in `authors`) from generated posts."""
    fetched = format_utc(NOW)
    statuses, status_weights = zip(*STATUSES, strict=True)
    sentiments, intents = tuple(SCORES), ("question", "complaint", "praise", "suggestion", "other")
    next_id = 1
    for post in generated:
        person = post.author
        key = (post.kind, person.handle)
        author = authors.get(key)
        if author is None:
            author = authors[key] = (len(authors) + 1, post.kind, person.handle, person.name, person.profile_url, person.reach)  # fmt: skip
        text, title = post.text, post.title
        if rng.random() < BRANDLESS:
            text, title = _debrand(text), _debrand(title) if title else title
        if "battery" in text and post.topic != "battery" and rng.random() > BATTERY_KEPT:
            text, title = (
                text.replace("battery", "power"),
                title.replace("battery", "power") if title else title,
            )
        sentiment = post.sentiment if rng.random() < 0.8 else rng.choice(sentiments)
        low, high = SCORES[sentiment]
        status = rng.choices(statuses, status_weights)[0]
        published = format_utc(post.published)
        metrics, engagement = stored_metrics(post.metrics)
        values = {
            "id": next_id, "source": post.kind, "source_id": None, "external_id": post.external_id, "url": post.url,
            "url_key": url_key(post.url) if post.url else None,
            "author_id": author[0], "author_name": person.name or person.handle, "title": title, "text": text,
            "links": None, "original_length": None, "lang": post.lang, "published_at": published,
            "fetched_at": fetched, "metrics": metrics, "engagement": engagement,
            "reach": person.reach, "parent_external_id": post.parent, "thread_external_id": post.thread, "ours": 0,
            "status": status, "starred": int(rng.random() < 0.01), "sentiment": sentiment,
            "sentiment_score": round(rng.uniform(low, high), 4), "sentiment_origin": "auto",
            "intent": post.intent if rng.random() < 0.85 else rng.choice(intents), "intent_origin": "auto",
            "read": int(status != "new" or rng.random() < 0.3),
            "responded_at": published if status == "responded" else None,
        }  # fmt: skip
        next_id += 1
        yield tuple(values[c] for c in COLUMNS)


def _build(path: Path, n: int, seed: int) -> None:
    started = time.perf_counter()
    ws = open_store(path)
    for name, color, group, shortcut in TAGS:
        create_tag(ws, name, color=color, group=group, shortcut=shortcut)
    for name, query, role in TRACKERS:
        create_tracker(ws, name, query, role)
    conn = ws.conn
    conn.execute("PRAGMA journal_mode = OFF")  # a scratch file until it is renamed: nothing to protect
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA foreign_keys = OFF")  # authors are written after their mentions
    conn.execute("PRAGMA cache_size = -1000000")
    rng = random.Random(seed)
    generated = islice(posts(rng, NOW, authors=n // 5, topic_weights=BENCH_WEIGHTS, long_share=0.004), n)
    authors: dict[tuple[str, str], tuple[Any, ...]] = {}
    rows = _rows(generated, random.Random(seed + 1), authors)
    insert = f"INSERT INTO mentions ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    with bulk_import_indexes(ws):
        conn.execute("BEGIN")
        while batch := list(islice(rows, BATCH)):
            conn.executemany(insert, batch)
        conn.executemany(
            "INSERT INTO authors (id, platform, handle, display_name, profile_url, reach) VALUES (?, ?, ?, ?, ?, ?)",
            authors.values(),
        )
        _labels(conn, n, random.Random(seed + 2))
        conn.execute("INSERT INTO mentions_fts (mentions_fts) VALUES ('rebuild')")
        conn.execute("COMMIT")
    rerun_trackers(ws)
    with ws.transaction():
        refresh_authors(ws)
    set_setting(ws, "bench", {"n": n, "seed": seed, "seconds": round(time.perf_counter() - started, 1)})
    refresh_statistics(ws)  # as an import does: the planner's statistics, which the window's searches need
    conn.execute("PRAGMA journal_mode = WAL")
    ws.close()


def _labels(conn: Any, n: int, rng: random.Random) -> None:
    """Tags on about 5 % of mentions and notes on about 1 %."""
    tag_ids = [r[0] for r in conn.execute("SELECT id FROM tags ORDER BY id")]
    tagged = rng.sample(range(1, n + 1), n // 20)
    conn.executemany(
        "INSERT OR IGNORE INTO mention_tags (tag_id, mention_id, origin) VALUES (?, ?, 'manual')",
        ((rng.choice(tag_ids), m) for m in tagged),
    )
    stamp = format_utc(NOW)
    conn.executemany(
        "INSERT INTO notes (mention_id, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
        ((m, rng.choice(NOTES), stamp, stamp) for m in rng.sample(range(1, n + 1), n // 100)),
    )


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    began = time.perf_counter()
    print(make_workspace(n=count), f"{time.perf_counter() - began:.1f} s")

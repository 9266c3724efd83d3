"""A mention row as ingest builds it: the columns a new mention is inserted with, and the two
values computed from others (its URL's lookup key, its engagement).

Plain Python without the store's connection or migrations: an import's worker processes build
rows with it and load nothing else of the store (the connection's modules, file locks and the
schema among them, which took a third of a worker's start when they brought sqlite-utils).
"""

from __future__ import annotations

import zlib
from typing import Any

# Columns ingest writes for a new mention (triage columns keep their defaults unless labelled).
INSERT_COLUMNS = (
    "id", "source", "source_id", "external_id", "url", "url_key", "author_id", "author_name", "title", "text",
    "links", "original_length", "lang", "published_at", "fetched_at", "metrics", "engagement",
    "reach", "parent_external_id", "thread_external_id", "status", "starred", "sentiment", "sentiment_score",
    "sentiment_origin", "intent", "intent_origin", "ours",
)  # fmt: skip

# What a mention's engagement adds up (mentions.engagement; an author's is the average).
ENGAGEMENT_METRICS = ("likes", "replies", "shares", "score")


def engagement(metrics: dict[str, Any]) -> int:
    get = metrics.get
    return sum([int(get(name) or 0) for name in ENGAGEMENT_METRICS])


def url_key(url: str) -> int:
    """What mentions are found by URL through (mentions.url_key, indexed): a 32-bit hash of the
    canonical URL, the same in every process. Two URLs may share one; lookups compare the URL too."""
    return zlib.crc32(url.encode())

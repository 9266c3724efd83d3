"""A mention row as ingest builds it: the columns a new mention is inserted with, and the
values computed from others (its metrics as stored and its engagement; its URL's lookup key).

Plain Python without the store's connection or migrations: an import's worker processes build
rows with it and load nothing else of the store (the connection's modules, file locks and the
schema among them, which took a third of a worker's start when they brought sqlite-utils).
"""

from __future__ import annotations

import zlib
from json.encoder import encode_basestring_ascii as _quote
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
_ENGAGING = frozenset(ENGAGEMENT_METRICS)
_QUOTED: dict[Any, str] = {}  # metric names as JSON strings: a few per source or file


def stored_metrics(counts: dict[str, Any]) -> tuple[str | None, int]:
    """A mention's metrics as stored, json.dumps of the counts as whole numbers with those that
    are None left out (None for none; the same text in a third of the time), and the engagement
    they add up to."""
    if not counts:
        return None, 0
    parts, engagement = [], 0
    for name, value in counts.items():
        if value is None:
            continue
        quoted = _QUOTED.get(name)
        if quoted is None:
            quoted = _quote(str(name))
            if len(_QUOTED) < 1000:
                _QUOTED[name] = quoted
        number = int(value)
        parts.append(f"{quoted}: {number}")
        if name in _ENGAGING:
            engagement += number
    return "{" + ", ".join(parts) + "}", engagement


def url_key(url: str) -> int:
    """What mentions are found by URL through (mentions.url_key, indexed): a 32-bit hash of the
    canonical URL, the same in every process. Two URLs may share one; lookups compare the URL too."""
    return zlib.crc32(url.encode())

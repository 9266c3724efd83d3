"""A realistic JSONL export of N mentions (the demo's vocabulary), written as a stream."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from listener_app.core.demo import demo_items
from listener_app.core.normalize import format_utc

BLOCK = 20_000


def write_jsonl(path: Path, n: int, seed: int = 1) -> Path:
    """Write N mentions; blocks of demo mentions with ids and dates made unique per block."""
    if path.exists() and path.stat().st_size > 0:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    now = datetime(2026, 11, 1, tzinfo=UTC)
    written = 0
    with tmp.open("w", encoding="utf-8") as out:
        block = 0
        while written < n:
            items, _ = demo_items(seed=seed + block, count=min(BLOCK, n - written), now=now)
            for item in items:
                record = {
                    "external_id": f"{block}-{item.external_id}",
                    "source": item.source,
                    "url": f"{item.url}{'&' if '?' in item.url else '?'}b={block}" if item.url else None,
                    "author": item.author.display_name if item.author else None,
                    "author_handle": item.author.handle if item.author else None,
                    "followers": item.author.reach if item.author else None,
                    "title": item.title,
                    "text": item.text,
                    "published_at": format_utc(item.published_at)
                    if isinstance(item.published_at, datetime)
                    else item.published_at,
                    "lang": item.lang,
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += len(items)
            block += 1
    tmp.rename(path)
    return path


if __name__ == "__main__":
    write_jsonl(Path(sys.argv[1]), int(sys.argv[2]))

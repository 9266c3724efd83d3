"""Import of an N-row JSONL file: ours (normalize + dedupe + FTS (+ sentiment)) against the raw
reference (the same rows parsed and inserted with executemany into a plain table, then one bulk
FTS5 build), and the import's peak memory."""

from __future__ import annotations

import json
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench.gen_jsonl import write_jsonl

RAW_COLUMNS = (
    "external_id",
    "source",
    "url",
    "author",
    "author_handle",
    "followers",
    "title",
    "text",
    "published_at",
    "lang",
)


def raw_reference(jsonl: Path, db: Path) -> float:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"CREATE TABLE m (id INTEGER PRIMARY KEY, {', '.join(RAW_COLUMNS)})")

    def rows():
        with jsonl.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                yield tuple(record.get(c) for c in RAW_COLUMNS)

    conn.executemany(
        f"INSERT INTO m ({', '.join(RAW_COLUMNS)}) VALUES ({', '.join('?' * len(RAW_COLUMNS))})", rows()
    )
    conn.execute("CREATE VIRTUAL TABLE f USING fts5 (title, text, author, content='m', content_rowid='id')")
    conn.execute("INSERT INTO f (f) VALUES ('rebuild')")
    conn.commit()
    conn.close()
    return time.perf_counter() - started


def ours(jsonl: Path, db: Path, score: bool) -> tuple[float, int]:
    """Seconds and peak RSS (MB) of `listener import` in a fresh process."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    command = [sys.executable, "-m", "listener_app", "import", str(jsonl), "--db", str(db)]
    if not score:
        command.append("--no-score")
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kb // 1024


def run(data: Path, n: int) -> list[dict[str, object]]:
    jsonl = write_jsonl(data / f"mentions-{n}.jsonl", n)
    raw = raw_reference(jsonl, data / "raw.db")
    figures: list[dict[str, object]] = []
    no_score, rss = ours(jsonl, data / f"import-noscore-{n}.listener.db", score=False)
    figures.append(
        {"bench": "import", "figure": "import_no_score_rate", "value": round(n / no_score), "unit": "mentions/s",
         "raw_sqlite": round(n / raw), "target": "at least half the raw rate", "ok": n / no_score >= 0.5 * n / raw}
    )  # fmt: skip
    figures.append(
        {"bench": "import", "figure": "import_peak_rss", "value": rss, "unit": "MB", "raw_sqlite": None,
         "target": "< 300 MB", "ok": rss < 300}
    )  # fmt: skip
    scored, _ = ours(jsonl, data / f"import-{n}.listener.db", score=True)
    figures.append(
        {"bench": "import", "figure": "import_with_sentiment_rate", "value": round(n / scored), "unit": "mentions/s",
         "raw_sqlite": round(n / raw), "target": "report (sentiment on every core)", "ok": True}
    )  # fmt: skip
    return figures

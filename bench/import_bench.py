"""Import of an N-row JSONL file through `listener import` (normalize, de-duplicate, authors,
full-text index, trackers; with and without sentiment) against the raw reference: the same
rows parsed with json.loads and inserted with executemany into a plain table (no indexes),
then one bulk FTS5 build. Also the import's peak memory (its own and its workers'). The two
without sentiment are each the faster of two runs taken in turn."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from bench.gen_jsonl import write_jsonl

RAW_COLUMNS = (
    "external_id", "source", "url", "author", "author_handle", "followers", "title", "text", "published_at",
    "lang", "likes", "replies", "parent_external_id", "thread_external_id",
)  # fmt: skip
RUNS = 2
# Runs the real CLI in a fresh process and reports that process's peak RSS (VmHWM: ru_maxrss
# would carry the parent's peak across fork and exec) and its largest worker's (an upper bound).
IMPORT = """
import json, re, resource, sys
from pathlib import Path
from listener_app.cli import main
code = main(sys.argv[1:])
hwm = int(re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1)) // 1024
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(json.dumps({"code": code, "self_mb": hwm, "workers_mb": workers}))
"""


def _remove(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def raw_reference(jsonl: Path, db: Path) -> float:
    """Seconds for the raw work: parse, executemany into a plain table, one FTS5 build."""
    _remove(db)
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"CREATE TABLE m (id INTEGER PRIMARY KEY, {', '.join(RAW_COLUMNS)})")

    def rows() -> Iterator[tuple[object, ...]]:
        with jsonl.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                yield tuple(record.get(c) for c in RAW_COLUMNS)

    conn.execute("BEGIN")
    conn.executemany(
        f"INSERT INTO m ({', '.join(RAW_COLUMNS)}) VALUES ({', '.join('?' * len(RAW_COLUMNS))})", rows()
    )
    conn.execute("CREATE VIRTUAL TABLE f USING fts5 (title, text, author, content='m', content_rowid='id')")
    conn.execute("INSERT INTO f (f) VALUES ('rebuild')")
    conn.execute("COMMIT")
    conn.close()
    seconds = time.perf_counter() - started
    _remove(db)
    return seconds


def ours(jsonl: Path, db: Path, score: bool) -> tuple[float, dict[str, int]]:
    """Seconds of `listener import` into a fresh workspace, and its peak memory in MB."""
    _remove(db)
    command = [sys.executable, "-c", IMPORT, "import", str(jsonl), "--db", str(db)]
    if not score:
        command.append("--no-score")
    started = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    memory = json.loads(done.stdout.strip().splitlines()[-1])
    _remove(db)
    return seconds, memory


def run(db_path: Path, n: int = 1_000_000) -> list[dict[str, object]]:
    data = Path(db_path).parent
    jsonl = write_jsonl(data / f"mentions-{n}-s1.jsonl", n)
    # The raw reference and the import without sentiment run twice each, in turn, and the
    # faster run of each counts: one run of either varies by about 10 % on this machine.
    raws, no_scores = [], []
    for _ in range(RUNS):
        raws.append(raw_reference(jsonl, data / "raw-import.db"))
        no_scores.append(ours(jsonl, data / "import-noscore.listener.db", score=False))
    raw = min(raws)
    raw_rate = round(n / raw)
    no_score, memory = min(no_scores, key=lambda run: run[0])
    memory = {key: max(m[key] for _, m in no_scores) for key in memory}
    scored, scored_memory = ours(jsonl, data / "import-scored.listener.db", score=True)
    rate = round(n / no_score)
    peak = memory["self_mb"]
    return [
        {"bench": "import", "figure": "import_no_score_rate", "value": rate, "unit": "mentions/s", "raw_sqlite": raw_rate,
         "target": "at least half the raw rate", "ok": rate >= raw_rate / 2, "seconds": round(no_score, 1),
         "raw_seconds": round(raw, 1), "n": n, "runs": [round(s, 1) for s, _ in no_scores],
         "raw_runs": [round(s, 1) for s in raws]},
        {"bench": "import", "figure": "import_with_sentiment_rate", "value": round(n / scored), "unit": "mentions/s",
         "raw_sqlite": raw_rate, "target": "report (sentiment on every core)", "ok": True, "seconds": round(scored, 1)},
        {"bench": "import", "figure": "import_peak_rss", "value": peak, "unit": "MB", "raw_sqlite": None,
         "target": "< 300 MB", "ok": peak < 300, "largest_worker_mb": memory["workers_mb"],
         "with_sentiment_mb": scored_memory["self_mb"], "with_sentiment_largest_worker_mb": scored_memory["workers_mb"]},
    ]  # fmt: skip

"""Import of a JSONL file of 20,000, 200,000 and 1,000,000 rows through `listener import`
(normalize, de-duplicate, authors, full-text index, trackers), without and with sentiment, each
beside the same run's

- raw floor: the same rows parsed with json.loads and inserted with executemany into a plain
  table (no indexes), then one bulk FTS5 build, in this process;
- sqlite-utils: `sqlite-utils insert --nl` then `sqlite-utils enable-fts`, the tool a user
  would otherwise reach for, as commands (process start-up included, as in ours).

An import of 20,000 rows into a copy of the bench's workspace (a million mentions, with trackers
and a rule) is measured too. At 200,000 rows the same rows are imported from a CSV file too, and
a CSV file of 20,000 articles of about 6 KB (the workers parse a CSV file's blocks of lines, as
they parse a JSON Lines file's: long rows make their memory), and from one JSON array, indented
and minified on one line. The 20,000 rows are imported from an XLSX workbook too.

Memory is the peak of the whole process tree (the import and its worker processes), sampled
every 20 ms, beside the import process's own peak (VmHWM) and its largest worker's.

The machine this runs on may be shared: compare each figure with the raw floor of the same run
(the ratios), not with other runs. The raw floor and the import without and with sentiment run
RUNS times each, in turn, and the fastest run of each counts (the peak memory is the highest of
them); at the largest size the import with sentiment runs once (over a minute), the two whose
ratio has a bar RUNS times still. One run of each moved by 5-25 % from one run to the next: the
same loop of Python took 0.58-1.03 s on one core of this machine from one minute to the next, and
an import, on both cores at once, meets every slow spell of either (the raw floor uses one).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.gen_jsonl import write_csv, write_edited, write_json_array, write_jsonl, write_long_csv, write_xlsx

INTO_WORKSPACE_ROWS = 20_000  # imported into a copy of the shared workspace too
RUNS = 3
ONE_RUN_FROM = 1_000_000  # sizes from this one run the import with sentiment once (minutes)
NO_SCORE_OF_RAW = 0.5  # bar: at least half the raw floor's rate (200k and up)
SCORED_OF_RAW = 0.25  # bar: with sentiment, at least a quarter of it (at 200k)
SCORED_BAR_SIZE = 200_000
PEAK_MB = 300
# A loop of pure Python timed before each round of runs (python_loop_runs): how fast the machine
# was in that round, beside the figures it made (such a loop took three quarters longer in one
# hour of a day than in another here).
LOOP_ITERATIONS = 10_000_000
ARTICLES = 20_000  # long posts in the CSV file of articles
XLSX_ROWS = 20_000  # the rows of the XLSX workbook (its sheet is read whole: well under the cut)
RAW_COLUMNS = (
    "external_id", "source", "url", "author", "author_handle", "followers", "title", "text", "published_at",
    "lang", "likes", "replies", "parent_external_id", "thread_external_id",
)  # fmt: skip
# Runs the real CLI in a fresh process and reports that process's peak RSS (VmHWM: ru_maxrss
# would carry the parent's peak across fork and exec) and its largest worker's.
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
    for suffix in ("", "-wal", "-shm", "-journal"):
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


def sqlite_utils_reference(jsonl: Path, db: Path) -> float:
    """Seconds of `sqlite-utils insert --nl` and `sqlite-utils enable-fts` on the file."""
    _remove(db)
    tool = [sys.executable, "-m", "sqlite_utils"]
    started = time.perf_counter()
    subprocess.run([*tool, "insert", str(db), "m", str(jsonl), "--nl"], check=True, capture_output=True)
    subprocess.run(
        [*tool, "enable-fts", str(db), "m", "title", "text", "author"], check=True, capture_output=True
    )
    seconds = time.perf_counter() - started
    _remove(db)
    return seconds


class TreePeak:
    """The peak of the summed resident memory of a process and all its descendants, sampled
    every `every` seconds from /proc on a thread of its own (Linux; elsewhere None). The tree is
    walked again every `walk_every` samples (an import's workers start at its beginning and
    live to its end): walking it at every sample took 3 % of a core from the import measured."""

    def __init__(self, pid: int, every: float = 0.02, walk_every: int = 5) -> None:
        self.walk_every = walk_every
        self.pid, self.every = pid, every
        self.peak_kb: int | None = 0 if Path(f"/proc/{pid}/task/{pid}/children").exists() else None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    @staticmethod
    def _tree(pid: int) -> list[int]:
        found, pending = [], [pid]
        while pending:
            pid = pending.pop()
            found.append(pid)
            try:  # a process may end meanwhile
                tasks = os.listdir(f"/proc/{pid}/task")
            except OSError:
                continue
            for task in tasks:
                try:
                    with open(f"/proc/{pid}/task/{task}/children", "rb") as children:
                        pending += [int(child) for child in children.read().split()]
                except OSError:
                    continue
        return found

    def _sample(self) -> None:
        page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
        pids: list[int] = []
        samples = 0
        while self.peak_kb is not None and not self._done.is_set():
            if samples % self.walk_every == 0:
                pids = self._tree(self.pid)
            samples += 1
            total = 0
            for pid in pids:
                try:
                    with open(f"/proc/{pid}/statm", "rb") as statm:
                        total += int(statm.read().split()[1]) * page_kb
                except OSError:  # ended meanwhile
                    continue
            self.peak_kb = max(self.peak_kb, total)
            self._done.wait(self.every)

    def stop(self) -> int | None:
        """Peak in MB."""
        self._done.set()
        self._thread.join()
        return None if self.peak_kb is None else self.peak_kb // 1024


def ours(
    path: Path, db: Path, score: bool, fresh: bool = True, keep: bool = False
) -> tuple[float, dict[str, Any]]:
    """Seconds of `listener import` of a file into a fresh workspace (or, not `fresh`, into the
    one at `db`), and its peak memory in MB; the workspace is removed afterwards unless `keep`."""
    if fresh:
        _remove(db)
    command = [sys.executable, "-c", IMPORT, "import", str(path), "--db", str(db)]
    if not score:
        command.append("--no-score")
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = TreePeak(process.pid)
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    tree_mb = peak.stop()
    if process.returncode != 0:
        raise RuntimeError(f"listener import failed: {err.strip()[-500:]}")
    memory = json.loads(out.strip().splitlines()[-1])
    memory["tree_mb"] = tree_mb
    if not keep:
        _remove(db)
    return seconds, memory


def python_loop(iterations: int = LOOP_ITERATIONS) -> float:
    """Seconds of a fixed loop of pure Python on one core: the machine's speed at that moment."""
    started = time.perf_counter()
    total = 0
    for number in range(iterations):
        total += number
    return time.perf_counter() - started


def _fastest(runs: list[tuple[float, dict[str, Any]]]) -> tuple[float, dict[str, Any]]:
    """The fastest of an import's runs, with the highest peak of the process tree among them."""
    seconds, memory = min(runs, key=lambda run: run[0])
    if memory["tree_mb"] is not None:
        memory = {**memory, "tree_mb": max(m["tree_mb"] or 0 for _, m in runs)}
    return seconds, memory


def _size(jsonl: Path, data: Path, n: int) -> list[dict[str, Any]]:
    raws, no_scores, scoreds, loops = [], [], [], []
    for run in range(RUNS):  # in turn: a slower spell of the machine hits all three
        loops.append(python_loop())
        raws.append(raw_reference(jsonl, data / "raw-import.db"))
        no_scores.append(ours(jsonl, data / "import-noscore.listener.db", score=False))
        if run == 0 or n < ONE_RUN_FROM:
            scoreds.append(ours(jsonl, data / "import-scored.listener.db", score=True))
    raw, raw_rate = min(raws), round(n / min(raws))
    no_score, memory = _fastest(no_scores)
    scored, scored_memory = _fastest(scoreds)
    utils = sqlite_utils_reference(jsonl, data / "sqlite-utils.db")
    rate, scored_rate = round(n / no_score), round(n / scored)
    faster = no_score < utils
    half = n < SCORED_BAR_SIZE or rate >= NO_SCORE_OF_RAW * raw_rate
    no_score_bar = "faster than sqlite-utils" + (
        "" if n < SCORED_BAR_SIZE else f" and >= {NO_SCORE_OF_RAW}x raw"
    )
    scored_bar = f">= {SCORED_OF_RAW}x raw" if n == SCORED_BAR_SIZE else "report"
    peaks = [memory["tree_mb"], scored_memory["tree_mb"]]
    return [
        {"bench": "import", "figure": "import_no_score_rate", "n": n, "value": rate, "unit": "mentions/s",
         "raw_sqlite": raw_rate, "sqlite_utils": round(n / utils), "of_raw": round(rate / raw_rate, 2),
         "target": no_score_bar, "ok": faster and half, "seconds": round(no_score, 2),
         "raw_seconds": round(raw, 2), "sqlite_utils_seconds": round(utils, 2),
         "runs": [round(s, 2) for s, _ in no_scores], "raw_runs": [round(s, 2) for s in raws],
         "python_loop_runs": [round(s, 2) for s in loops]},
        {"bench": "import", "figure": "import_with_sentiment_rate", "n": n, "value": scored_rate, "unit": "mentions/s",
         "raw_sqlite": raw_rate, "of_raw": round(scored_rate / raw_rate, 3), "target": scored_bar,
         "ok": scored_rate >= SCORED_OF_RAW * raw_rate if n == SCORED_BAR_SIZE else True, "seconds": round(scored, 2),
         "runs": [round(s, 2) for s, _ in scoreds]},
        {"bench": "import", "figure": "import_peak_rss", "n": n, "value": max((p or 0) for p in peaks), "unit": "MB",
         "raw_sqlite": None, "target": f"< {PEAK_MB} MB (the import and its workers)",
         "ok": all(p is not None and p < PEAK_MB for p in peaks), "no_score_tree_mb": memory["tree_mb"],
         "with_sentiment_tree_mb": scored_memory["tree_mb"], "import_process_mb": memory["self_mb"],
         "largest_worker_mb": memory["workers_mb"], "with_sentiment_import_process_mb": scored_memory["self_mb"],
         "with_sentiment_largest_worker_mb": scored_memory["workers_mb"]},
    ]  # fmt: skip


def _csv(data: Path, n: int) -> list[dict[str, Any]]:
    """A CSV file's import, the format consultants bring most (cut into blocks of lines that the
    workers parse): the JSONL file's n rows as CSV, and ARTICLES articles of about 6 KB (a
    media-monitoring export)."""
    rows = write_csv(data / f"mentions-{n}-s1.csv", data / f"mentions-{n}-s1.jsonl")
    articles = write_long_csv(data / f"articles-{ARTICLES}-s1.csv", ARTICLES)
    no_score, memory = ours(rows, data / "import-csv.listener.db", score=False)
    scored, scored_memory = ours(rows, data / "import-csv-scored.listener.db", score=True)
    _, articles_memory = ours(articles, data / "import-articles.listener.db", score=False)
    peaks = {"no_score_tree_mb": memory["tree_mb"], "with_sentiment_tree_mb": scored_memory["tree_mb"],
             "articles_tree_mb": articles_memory["tree_mb"]}  # fmt: skip
    return [
        {"bench": "import", "figure": "import_csv_no_score_rate", "n": n, "value": round(n / no_score),
         "unit": "mentions/s", "raw_sqlite": None, "target": "report", "ok": True, "seconds": round(no_score, 2),
         "with_sentiment_seconds": round(scored, 2)},
        {"bench": "import", "figure": "import_csv_peak_rss", "n": n, "value": max(p or 0 for p in peaks.values()),
         "unit": "MB", "raw_sqlite": None, "target": f"< {PEAK_MB} MB (the import and its workers)",
         "ok": all(p is not None and p < PEAK_MB for p in peaks.values()), **peaks},
    ]  # fmt: skip


def _json(data: Path, n: int) -> list[dict[str, Any]]:
    """A JSON file's import, an API export's form: the JSONL file's n rows as one indented array
    (cut into blocks of lines that the workers parse), and as one minified array on one line
    (cut into blocks at commas)."""
    jsonl = data / f"mentions-{n}-s1.jsonl"
    figures = []
    for figure, name, minified in (("import_json_no_score_rate", "json", False),
                                   ("import_json_minified_no_score_rate", "min.json", True)):  # fmt: skip
        array = write_json_array(data / f"mentions-{n}-s1.{name}", jsonl, minified=minified)
        no_score, memory = ours(array, data / "import-json.listener.db", score=False)
        figures.append(
            {"bench": "import", "figure": figure, "n": n, "value": round(n / no_score), "unit": "mentions/s",
             "raw_sqlite": None, "target": f"report; < {PEAK_MB} MB", "seconds": round(no_score, 2),
             "tree_mb": memory["tree_mb"], "ok": memory["tree_mb"] is not None and memory["tree_mb"] < PEAK_MB}
        )  # fmt: skip
    return figures


def _xlsx(data: Path) -> list[dict[str, Any]]:
    """An XLSX workbook's import (a spreadsheet's export: typed cells, a date cell): the rows
    of the JSONL file of XLSX_ROWS, beside that file's import in the same run."""
    jsonl = write_jsonl(data / f"mentions-{XLSX_ROWS}-s1.jsonl", XLSX_ROWS)
    book = write_xlsx(data / f"mentions-{XLSX_ROWS}-s1.xlsx", jsonl)
    seconds, memory = ours(book, data / "import-xlsx.listener.db", score=False)
    as_jsonl, _ = ours(jsonl, data / "import-noscore.listener.db", score=False)
    return [
        {"bench": "import", "figure": "import_xlsx_no_score_rate", "n": XLSX_ROWS, "value": round(XLSX_ROWS / seconds),
         "unit": "mentions/s", "raw_sqlite": None, "target": "report", "ok": True, "seconds": round(seconds, 2),
         "jsonl_seconds": round(as_jsonl, 2), "tree_mb": memory["tree_mb"]},
    ]  # fmt: skip


def _into_workspace(db_path: Path, n: int) -> list[dict[str, Any]]:
    """A week's export added to a workspace in use: INTO_WORKSPACE_ROWS rows into a copy of the
    bench's workspace of n mentions (its three trackers, and a rule on a word, match every new
    mention), beside the same file into an empty workspace; then a later export of the same
    rows with every post's text edited, into that workspace (every row an update)."""
    data = db_path.parent
    rows = write_jsonl(data / f"mentions-{INTO_WORKSPACE_ROWS}-s1.jsonl", INTO_WORKSPACE_ROWS)
    edited = write_edited(data / f"mentions-{INTO_WORKSPACE_ROWS}-s1-edited.jsonl", rows)
    copy = data / "import-into.listener.db"
    figures = {}
    for score in (False, True):
        _remove(copy)
        shutil.copyfile(db_path, copy)
        subprocess.run(
            [sys.executable, "-m", "listener_app", "rule", "add", "Battery", "--when", "battery", "--do",
             "tag:battery", "--db", str(copy)], check=True, capture_output=True,
        )  # fmt: skip
        figures[score] = ours(rows, copy, score, fresh=False, keep=not score)[0]
        if not score:
            figures["edited"] = ours(edited, copy, False, fresh=False)[0]
    empty = ours(rows, data / "import-noscore.listener.db", score=False)[0]
    return [
        {"bench": "import", "figure": "import_into_workspace_rate", "n": INTO_WORKSPACE_ROWS, "mentions": n,
         "value": round(INTO_WORKSPACE_ROWS / figures[False]), "unit": "mentions/s", "raw_sqlite": None,
         "target": "report", "ok": True, "seconds": round(figures[False], 2),
         "with_sentiment_seconds": round(figures[True], 2), "into_empty_seconds": round(empty, 2),
         "edited_again_seconds": round(figures["edited"], 2)},
    ]  # fmt: skip


def run(db_path: Path, n: int = 1_000_000, sizes: tuple[int, ...] | None = None) -> list[dict[str, Any]]:
    """The figures for each size (by default 2 % of n, 20 % of n and n: 20k, 200k and 1M), at
    200k those of a CSV file, and those of an import into the bench's workspace."""
    data = Path(db_path).parent
    sizes = sizes or tuple(sorted({max(1000, n // 50), max(1000, n // 5), n}))
    figures = []
    for size in sizes:
        jsonl = write_jsonl(data / f"mentions-{size}-s1.jsonl", size)
        figures += _size(jsonl, data, size)
    if SCORED_BAR_SIZE in sizes:
        figures += _csv(data, SCORED_BAR_SIZE) + _json(data, SCORED_BAR_SIZE)
    return figures + _xlsx(data) + _into_workspace(Path(db_path), n)

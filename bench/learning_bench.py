"""Learning from the strategist on the benchmark workspace: how long one new manual label takes
to reach the next suggestion (the label with its undo record and the learner's update, then
the suggestions for another mention), and a full relearn, against reading the same labelled
rows with plain SQL."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from listener_app.store import learning, open_store, triage


def run(db: Path) -> list[dict[str, object]]:
    copy = db.with_name("learning-bench.listener.db")
    shutil.copy(db, copy)
    ws = open_store(copy)
    started = time.perf_counter()
    labelled = ws.execute(  # the rows relearn reads: every mention with a label set by hand
        "SELECT id, title, text, sentiment, intent FROM mentions WHERE sentiment_origin = 'manual' "
        "OR intent_origin = 'manual' OR id IN (SELECT mention_id FROM mention_tags WHERE origin = 'manual')"
    ).fetchall()
    raw = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    learning.relearn(ws)
    relearn_s = time.perf_counter() - started
    target, other = (
        r[0] for r in ws.execute("SELECT id FROM mentions WHERE sentiment_origin = 'auto' LIMIT 2")
    )
    started = time.perf_counter()
    triage.set_sentiment(ws, [target], "negative")
    suggested = learning.suggestions(ws, other)
    next_ms = (time.perf_counter() - started) * 1000
    mentions = ws.scalar("SELECT count(*) FROM mentions")
    ws.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return [
        {"bench": "learning", "figure": "new_label_to_next_suggestion", "value": round(next_ms, 1), "unit": "ms",
         "raw_sqlite": None, "target": "< 1000 ms", "ok": next_ms < 1000, "mentions": mentions,
         "suggested": sorted(suggested)},
        {"bench": "learning", "figure": "relearn", "value": round(relearn_s, 2), "unit": "s",
         "raw_sqlite": round(raw / 1000, 2), "target": "report", "ok": True, "labelled": len(labelled)},
    ]  # fmt: skip

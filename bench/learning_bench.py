"""Learning from the strategist on the benchmark workspace (its manual tags: 5 % of mentions):

- relearn: every model fitted on every manual label, and "ask me" ranked (reported apart);
- new_label_to_next_suggestion: in a warm writer (as the window's), a tag set by hand on an
  untagged mention (with its undo record: every tag model learns it, a "yes" for one, a "no" for
  the others), then, on a read-only connection as the window's detail pane has, the stored
  models read again and the suggestions for another mention; and the same for a sentiment once
  50,000 sentiments were set by hand (the biggest model there is);
- relearn_50k_labels: with 50,000 sentiments set by hand besides (the generator's own, so the
  model has something to learn), every model fitted again; the first time also reads the
  automatic verdicts of those 50,000 (reported apart: done once, kept in doc_verdicts);
- apply: learned labels at 0.8 on every mention (the first time reads every mention's verdicts).

Against reading the same labelled rows with plain SQL.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from listener_app.workspace import Workspace

LABELS = 50_000


def _timed(work):
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def run(db: Path) -> list[dict[str, object]]:
    copy = db.with_name("learning-bench.listener.db")
    shutil.copy(db, copy)
    figures = []
    with Workspace.open(copy) as ws:
        store = ws.store
        mentions = int(store.scalar("SELECT count(*) FROM mentions"))
        _rows, raw = _timed(  # the rows relearn reads: every mention with a label set by hand
            lambda: store.execute(
                "SELECT m.id, m.title, m.text FROM mentions m WHERE m.id IN "
                "(SELECT mention_id FROM mention_tags WHERE origin = 'manual')"
            ).fetchall()
        )
        relearned, total = _timed(ws.learning.relearn)
        figures.append({"bench": "learning", "figure": "relearn", "value": round(relearned.seconds, 2), "unit": "s",
                        "raw_sqlite": round(raw, 2), "target": "report", "ok": True, "labelled": relearned.labelled,
                        "models": relearned.models, "with_ask_me_s": round(total, 2), "mentions": mentions})  # fmt: skip
        figures.append(_next_suggestion(ws, mentions, "tag"))
        with store.transaction():  # the generator's sentiments, as if the strategist had set them
            store.execute(
                "UPDATE mentions SET sentiment_origin = 'manual' WHERE id IN "
                "(SELECT id FROM mentions WHERE sentiment_origin = 'auto' ORDER BY id LIMIT ?)",
                (LABELS,),
            )
        first, first_s = _timed(ws.learning.relearn)
        again, again_s = _timed(ws.learning.relearn)
        figures.append({"bench": "learning", "figure": "relearn_50k_labels", "value": round(again.seconds, 2),
                        "unit": "s", "raw_sqlite": None, "target": "< 20 s", "ok": again.seconds < 20,
                        "labelled": again.labelled, "first_time_s": round(first.seconds, 2),
                        "with_ask_me_s": round(again_s, 2), "first_with_ask_me_s": round(first_s, 2)})  # fmt: skip
        figures.append(_next_suggestion(ws, mentions, "sentiment"))
        standing, first_apply = _timed(lambda: ws.learning.apply(0.8))
        _again, apply_again = _timed(lambda: ws.learning.apply(0.8))
        figures.append({"bench": "learning", "figure": "apply", "value": round(apply_again, 1), "unit": "s",
                        "raw_sqlite": None, "target": "report", "ok": True, "first_time_s": round(first_apply, 1),
                        "learned_labels": standing, "mentions": mentions})  # fmt: skip
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return figures


def _next_suggestion(ws: Workspace, mentions: int, kind: str) -> dict[str, object]:
    """A new label in a warm writer, then the next suggestion as the window reads it."""
    _held, warm = _timed(ws.learning.warm)
    target, other = (
        r[0]
        for r in ws.store.execute(
            "SELECT id FROM mentions m WHERE sentiment_origin = 'auto' AND NOT EXISTS "
            "(SELECT 1 FROM mention_tags t WHERE t.mention_id = m.id) LIMIT 2"
        )
    )
    tag = ws.tags.list()[0]["id"]
    reader = Workspace.open(ws.path, readonly=True)
    try:
        reader.learning.suggestions(other, reader.learning.models())  # the window has them loaded already
        started = time.perf_counter()
        if kind == "tag":
            ws.add_tags([target], [tag])
        else:
            ws.set_sentiment([target], "negative")
        labelled = time.perf_counter() - started
        suggested = reader.learning.suggestions(other, reader.learning.models())
        total = time.perf_counter() - started
    finally:
        reader.close()
    return {"bench": "learning", "figure": f"new_{kind}_label_to_next_suggestion", "value": round(total * 1000),
            "unit": "ms", "raw_sqlite": None, "target": "< 1000 ms", "ok": total < 1, "label_ms": round(labelled * 1000),
            "warm_s": round(warm, 2), "mentions": mentions, "suggested": sorted(suggested)}  # fmt: skip

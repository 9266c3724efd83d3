"""A bulk action on 10,000 selected mentions (with its undo record), and its undo, against the
plain UPDATE of the same rows."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from listener_app.store import events, open_store, triage


def run(db: Path) -> list[dict[str, object]]:
    copy = db.with_name("triage-bench.listener.db")
    shutil.copy(db, copy)
    ws = open_store(copy)
    ids = [r[0] for r in ws.execute("SELECT id FROM mentions ORDER BY published_at DESC LIMIT 10000")]
    started = time.perf_counter()
    with ws.transaction():
        marks = ",".join("?" * 500)
        for start in range(0, len(ids), 500):
            ws.execute(
                f"UPDATE mentions SET status = 'monitoring' WHERE id IN ({marks})", ids[start : start + 500]
            )
    raw = (time.perf_counter() - started) * 1000
    figures = []
    for figure, work in (
        ("bulk_status_10k", lambda: triage.set_status(ws, ids, "done")),
        ("undo_bulk_status_10k", lambda: events.undo(ws)),
        ("bulk_star_10k", lambda: triage.set_starred(ws, ids, True)),
    ):
        started = time.perf_counter()
        work()
        ms = (time.perf_counter() - started) * 1000
        figures.append(
            {"bench": "triage", "figure": figure, "value": round(ms, 1), "unit": "ms", "raw_sqlite": round(raw, 1),
             "target": "< 1000 ms", "ok": ms < 1000}
        )  # fmt: skip
    started = time.perf_counter()
    counts = triage.triage_counts(ws)
    figures.append(
        {"bench": "triage", "figure": "sidebar_counts", "value": round((time.perf_counter() - started) * 1000, 1),
         "unit": "ms", "raw_sqlite": None, "target": "report", "ok": True, "mentions": counts["all"]}
    )  # fmt: skip
    ws.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return figures

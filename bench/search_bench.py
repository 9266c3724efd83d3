"""First pages and counts of searches on the imported workspace, against raw FTS5/SQL."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from listener_app.store import open_store, search


def _ms(work: Callable[[], object], repeat: int = 7) -> float:
    work()  # warm the cache, as a user's second search would be
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def _selectivity(ws, term: str) -> float:
    return search.count(ws, term) / max(1, search.count(ws, ""))


def run(db: Path) -> list[dict[str, object]]:
    ws = open_store(db)
    total = search.count(ws, "")
    # Terms of the demo vocabulary with about 1 % and about 25 % of mentions.
    candidates = ["screen", "refund", "night", "camera", "battery", "support", "acme"]
    shares = {t: _selectivity(ws, t) for t in candidates}
    selective = min(candidates, key=lambda t: abs(shares[t] - 0.01))
    broad = min(candidates, key=lambda t: abs(shares[t] - 0.25))
    conn = ws.conn
    page = "ORDER BY m.published_at DESC, m.id DESC LIMIT 100"
    raw_fts = (
        f"SELECT m.id FROM mentions_fts f JOIN mentions m ON m.id = f.rowid WHERE mentions_fts MATCH ? {page}"
    )
    cases = [
        ("first_page_selective_fulltext", selective, lambda: conn.execute(raw_fts, [selective]).fetchall(), 50),
        ("first_page_status_new", "status:new",
         lambda: conn.execute(f"SELECT m.id FROM mentions m WHERE m.status = 'new' {page}").fetchall(), 50),
        ("first_page_combined", f"status:new {selective} sentiment:negative",
         lambda: conn.execute(
             "SELECT m.id FROM mentions m WHERE m.status = 'new' AND m.sentiment = 'negative' AND m.id IN "
             f"(SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?) {page}", [selective]).fetchall(), 50),
        ("first_page_broad_fulltext", broad, lambda: conn.execute(raw_fts, [broad]).fetchall(), None),
    ]  # fmt: skip
    figures: list[dict[str, object]] = []
    for figure, query, raw, bar in cases:
        ours = _ms(lambda q=query: search.mention_ids(ws, q, limit=100))
        raw_ms = _ms(raw)
        ok = ours < bar if bar else ours <= 1.5 * raw_ms
        figures.append(
            {"bench": "search", "figure": figure, "query": query, "value": ours, "unit": "ms", "raw_sqlite": raw_ms,
             "target": f"< {bar} ms" if bar else "within 1.5x raw", "ok": ok, "mentions": total}
        )  # fmt: skip
    count_cases = [
        ("count_broad_fulltext", broad,
         lambda: conn.execute("SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH ?", [broad]).fetchone()),
        ("count_status_new", "status:new",
         lambda: conn.execute("SELECT count(*) FROM mentions WHERE status = 'new'").fetchone()),
        ("count_sentiment_negative", "sentiment:negative",
         lambda: conn.execute("SELECT count(*) FROM mentions WHERE sentiment = 'negative'").fetchone()),
    ]  # fmt: skip
    for figure, query, raw in count_cases:
        ours = _ms(lambda q=query: search.count(ws, q), repeat=3)
        figures.append(
            {"bench": "search", "figure": figure, "query": query, "value": ours, "unit": "ms", "raw_sqlite": _ms(raw, 3),
             "target": "< 300 ms", "ok": ours < 300}
        )  # fmt: skip
    ws.close()
    return figures

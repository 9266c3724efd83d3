"""The digest of a 100,000-mention search on the shared workspace, in each format (counting and
choosing quotes, then writing), beside plain SQL reading those mentions once."""

from __future__ import annotations

import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from listener_app.reports.digest import build_digest, build_packets
from listener_app.reports.writing import write_digest
from listener_app.workspace import Workspace

TARGET_S = 10.0
WANTED = 100_000


def _period(ws) -> tuple[date, date]:
    """The newest days of the workspace that hold about WANTED mentions (end exclusive)."""
    days = ws.analytics.volume_by_day()
    total, first = 0, days[-1]["day"]
    for day in reversed(days):
        total += day["mentions"]
        first = day["day"]
        if total >= WANTED:
            break
    return date.fromisoformat(first), date.fromisoformat(days[-1]["day"]) + timedelta(days=1)


def run(db: Path) -> list[dict[str, object]]:
    ws = Workspace.open(db)
    start, end = _period(ws)
    scope = f"after:{start.isoformat()} before:{end.isoformat()}"
    mentions = ws.analytics.hourly(scope).total
    began = time.perf_counter()
    ws.store.execute("SELECT * FROM mentions WHERE published_at >= ? AND published_at < ?",
               (start.isoformat(), end.isoformat())).fetchall()  # fmt: skip
    raw = round(time.perf_counter() - began, 2)
    figures: list[dict[str, object]] = []
    out = Path(tempfile.mkdtemp(prefix="listener-report-bench-"))
    for fmt in ("md", "html", "pdf"):
        began = time.perf_counter()
        digest = build_digest(ws, "", start, end)
        built = time.perf_counter() - began
        write_digest(digest, fmt, out / f"digest.{fmt}")
        seconds = round(time.perf_counter() - began, 2)
        figures.append(
            {"bench": "report", "figure": f"digest_{fmt}", "value": seconds, "unit": "s", "raw_sqlite": raw,
             "target": f"< {TARGET_S:.0f} s", "ok": seconds < TARGET_S, "mentions": mentions,
             "counting_s": round(built, 2), "bytes": (out / f"digest.{fmt}").stat().st_size}
        )  # fmt: skip
    began = time.perf_counter()
    packets = build_packets(ws, "", start, end)
    for group, packet in packets.items():
        write_digest(packet, "pdf", out / f"{group}.pdf")
    seconds = round(time.perf_counter() - began, 2)
    figures.append(
        {"bench": "report", "figure": "packets_pdf", "value": seconds, "unit": "s", "raw_sqlite": raw,
         "target": f"< {TARGET_S:.0f} s per packet", "ok": seconds < TARGET_S * max(1, len(packets)),
         "mentions": mentions, "packets": len(packets)}
    )  # fmt: skip
    ws.close()
    return figures

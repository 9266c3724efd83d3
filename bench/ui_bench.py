"""The window on the imported workspace: first rows painted from process start, a search and
a view switch repainted, and peak memory after scrolling the list end to end."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

PROBE = r"""
import json, os, resource, sys, time
started = float(sys.argv[2])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from listener_app.ui.app import application, make_window, open_for_window

app = application()
window = make_window(open_for_window(sys.argv[1]))
window.resize(1500, 900)
window.show()
figures = {}

def paint_ms(action):
    begin = time.perf_counter()
    action()
    window.table.viewport().repaint()
    QApplication.processEvents()
    return round((time.perf_counter() - begin) * 1000, 1)

def run():
    window.table.viewport().repaint()
    figures["first_paint_ms"] = round((time.time() - started) * 1000)
    figures["search_repaint_ms"] = paint_ms(lambda: window.run_search("battery sentiment:negative"))
    figures["view_switch_ms"] = paint_ms(lambda: window.run_search("status:needs_response"))
    figures["all_view_ms"] = paint_ms(lambda: window.run_search(""))
    bar = window.table.verticalScrollBar()
    while window.model.canFetchMore():
        window.model.fetchMore()
    for step in range(0, bar.maximum() + 1, max(1, bar.maximum() // 400)):
        bar.setValue(step)
        window.table.viewport().repaint()
    figures["rows_scrolled"] = window.model.rowCount()
    # VmHWM, not ru_maxrss: that carries the bench process's own peak across fork and exec
    status = open("/proc/self/status").read()
    figures["peak_rss_mb"] = int(status.split("VmHWM:")[1].split()[0]) // 1024
    # a relearn the window started runs in a process of its own: its peak, once it has ended
    began = time.perf_counter()
    while window.relearning._running is not None and time.perf_counter() - began < 300:
        QApplication.processEvents()
        time.sleep(0.05)
    figures["relearn_s"] = round(time.perf_counter() - began, 1)
    figures["learning_process_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(json.dumps(figures), flush=True)
    window.close()

QTimer.singleShot(0, run)
app.exec()
window.deleteLater()
app.processEvents()
"""


def _probe(db: Path) -> dict[str, object]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(db), str(started)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("{")), None)
    if line is None:
        raise RuntimeError(result.stderr[-400:])
    return json.loads(line)  # type: ignore[no-any-return]


def _forget_models(db: Path) -> int:
    """The workspace as an import of labelled mentions (or an older version) leaves it: labels
    set by hand and no model learned from them, which the window learns on opening."""
    conn = sqlite3.connect(db)
    with conn:
        forgotten = conn.execute("DELETE FROM learned_models").rowcount
        conn.execute("DELETE FROM settings WHERE key LIKE 'learning.%'")
    conn.close()
    return forgotten


TARGETS = {
    "first_paint_ms": 1500,
    "search_repaint_ms": 200,
    "view_switch_ms": 200,
    "all_view_ms": 200,
    "peak_rss_mb": 400,
}


def run(db: Path) -> list[dict[str, object]]:
    """The window opened twice: first as it opens a workspace whose labels no model has learned
    yet (it learns from them on its task thread meanwhile, once), then as it opens every time after."""
    out: list[dict[str, object]] = []
    forgotten = _forget_models(db)
    for opening in ("first_open_learning", "open"):
        figures = _probe(db)
        for name, bar in TARGETS.items():
            out.append(
                {"bench": "ui", "figure": name if opening == "open" else f"{opening}_{name}", "value": figures[name],
                 "unit": "MB" if name.endswith("mb") else "ms", "raw_sqlite": None, "target": f"< {bar}",
                 "ok": figures[name] < bar, "rows_scrolled": figures["rows_scrolled"],
                 **({"models_forgotten": forgotten} if opening != "open" else {})}
            )  # fmt: skip
        if opening != "open":
            out.append({"bench": "ui", "figure": "first_open_learning_process_peak_rss_mb",
                        "value": figures["learning_process_peak_rss_mb"], "unit": "MB", "raw_sqlite": None,
                        "target": None, "relearn_still_running_after_scroll_s": figures["relearn_s"]})  # fmt: skip
    return out

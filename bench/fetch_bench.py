"""A local feed of 10,000 items fetched through the window's fetcher into a fresh workspace
(stored, tracker-matched, scored): items per second, and the longest stall of the GUI thread
meanwhile, measured by a 10 ms QTimer probe (target: under 50 ms)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ITEMS = 10_000

PROBE = r"""
import json, os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QTimer
from listener_app.ui.app import application, make_window, open_for_window
from listener_app.workspace import Workspace

app = application()
with Workspace.open(sys.argv[1]) as setup:
    setup.trackers.create("Acme", "acme OR \"acme phone\"", "brand")
    setup.sources.add("rss", "Big feed", {"url": sys.argv[2]})
window = make_window(open_for_window(sys.argv[1]))
window.show()
from listener_app.domain.processes import warm_pool
warm_pool()  # what the app does in the background a second after start-up
gaps, last = [0.0], [time.perf_counter()]

def tick():
    now = time.perf_counter()
    gaps.append(now - last[0])
    last[0] = now

probe = QTimer()
probe.setInterval(10)
probe.timeout.connect(tick)
started = [0.0]

def done(results):
    elapsed = time.perf_counter() - started[0]
    print(json.dumps({"items": sum(r.fetched for r in results), "new": sum(r.new for r in results),
                      "seconds": elapsed, "max_stall_ms": max(gaps[1:]) * 1000, "error": results[0].error}), flush=True)
    window.close()

def go():
    window.fetcher.http.min_interval = 0
    window.fetcher.all_done.connect(done)
    last[0] = started[0] = time.perf_counter()
    probe.start()
    window.fetcher.fetch()

QTimer.singleShot(500, go)
app.exec()
window.deleteLater()
app.processEvents()
"""


def _feed() -> bytes:
    items = "".join(
        f"<item><title>Acme phone post {n}</title><link>https://blog.example/post/{n}</link>"
        f"<guid>post-{n}</guid><pubDate>Fri, 20 Nov 2026 08:{n % 60:02d}:00 GMT</pubDate>"
        f"<description>&lt;p&gt;My acme phone battery lasted {n % 48} hours, {'love it' if n % 3 else 'not great'}.&lt;/p&gt;</description></item>"
        for n in range(ITEMS)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()
    )


def run(_db: Path) -> list[dict[str, object]]:
    body = _feed()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LISTENER_HOME=folder)
        result = subprocess.run(
            [sys.executable, "-c", PROBE, str(Path(folder) / "fetch.listener.db"), url],
            capture_output=True, text=True, env=env, timeout=600,
        )  # fmt: skip
    server.shutdown()
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("{")), None)
    if line is None:
        return [{"bench": "fetch", "error": result.stderr[-400:]}]
    figures = json.loads(line)
    return [
        {"bench": "fetch", "figure": "fetch_10k_feed_rate", "value": round(figures["items"] / figures["seconds"]),
         "unit": "items/s", "raw_sqlite": None, "target": "report", "ok": figures["error"] is None and figures["new"] == ITEMS},
        {"bench": "fetch", "figure": "gui_longest_stall_during_fetch", "value": round(figures["max_stall_ms"], 1),
         "unit": "ms", "raw_sqlite": None, "target": "< 50 ms", "ok": figures["max_stall_ms"] < 50},
    ]  # fmt: skip

from __future__ import annotations

from datetime import UTC, datetime

from listener_app.core.demo import build_demo, demo_items
from listener_app.db import search
from listener_app.db.stats import workspace_stats

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_deterministic():
    first, _ = demo_items(seed=3, count=300, now=NOW)
    second, _ = demo_items(seed=3, count=300, now=NOW)
    assert [(i.external_id, i.text) for i in first] == [(i.external_id, i.text) for i in second]


def test_demo_workspace_is_lived_in(ws):
    report = build_demo(ws, count=600, now=NOW)
    assert report.mentions == 600
    stats = workspace_stats(ws)
    assert len(stats["by_source"]) >= 6
    assert stats["by_status"]["new"] < 600 and stats["by_status"].get("done", 0) > 0
    assert set(stats["by_sentiment"]) >= {"negative", "neutral", "positive"}
    assert search.count(ws, "has:thread") > 0
    assert search.count(ws, "tracker:Acme") > 100
    assert search.count(ws, "tag:billing") > 0
    assert search.count(ws, "sentiment:negative battery") > 0
    assert ws.scalar("SELECT count(*) FROM tags WHERE shortcut IS NOT NULL") == 9

"""Dashboard counts on a read-only reader stay true after another connection writes."""

from __future__ import annotations

from listener_app.domain.models import Item
from listener_app.store import analytics, open_store
from listener_app.workspace.ingest import ingest_items


def _posts(start, n, text):
    return [
        Item(
            source="rss",
            external_id=str(start + i),
            text=f"{text} #{i}",
            published_at="2026-03-01",
            status="new",
        )
        for i in range(n)
    ]


def test_terms_and_phrases_follow_what_another_connection_writes(ws):
    ingest_items(ws, _posts(0, 12, "battery life is short"), score=False)
    reader = open_store(ws.path, readonly=True)
    try:
        phrases = {p["phrase"]: p["mentions"] for p in analytics.top_phrases(reader, "status:new")}
        assert phrases.get("battery life") == 12
        assert "screen cracked" not in phrases
        assert analytics.top_phrases(reader, "status:new")[0]["mentions"] == 12  # asked again: the same
        ingest_items(ws, _posts(100, 20, "screen cracked again"), score=False)  # the writer's connection
        phrases = {p["phrase"]: p["mentions"] for p in analytics.top_phrases(reader, "status:new")}
        assert phrases.get("screen cracked") == 20 and phrases.get("battery life") == 12
        terms = {t["word"]: t["mentions"] for t in analytics.top_terms(reader, "status:new")}
        assert terms.get("screen") == 20 and terms.get("battery") == 12
    finally:
        reader.close()

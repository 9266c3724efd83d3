"""Scoring stored mentions: `rescore` after an import without sentiment, on every core."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from itertools import islice

from listener_app.domain import processes
from listener_app.domain.auto_labels import auto_labels
from listener_app.domain.demo_posts import posts
from listener_app.domain.intent import classify_intent
from listener_app.domain.models import Item
from listener_app.domain.sentiment import score_text
from listener_app.workspace import scoring
from listener_app.workspace.ingest import ingest_items


def test_rescore_on_every_core_labels_as_the_scorer_does(ws, monkeypatch):
    monkeypatch.setattr(scoring, "PARALLEL_THRESHOLD", 500)  # worker processes for 600 mentions
    texts = [
        post.text
        for post in islice(posts(random.Random(3), datetime(2026, 3, 1, tzinfo=UTC), authors=50), 600)
    ]
    items = [
        Item(source="reddit", external_id=f"r-{n}", text=text, published_at="2026-03-01")
        for n, text in enumerate(texts)
    ]
    ingest_items(ws, items, score=False)
    ws.execute(
        "UPDATE mentions SET sentiment = 'negative', sentiment_origin = 'manual' WHERE external_id = 'r-0'"
    )

    assert scoring.rescore(ws) == 599
    stored = {row[0]: tuple(row[1:]) for row in ws.execute(
        "SELECT external_id, sentiment, sentiment_score, intent FROM mentions")}  # fmt: skip
    assert stored.pop("r-0")[0] == "negative"  # a label set by hand stays
    for n, text in enumerate(texts[1:], 1):
        sentiment = score_text(text)
        assert stored[f"r-{n}"] == (sentiment.label, sentiment.score, classify_intent(text, sentiment))


def test_fetched_mentions_are_labelled_in_the_shared_pool_as_here(ws, monkeypatch):
    """Sentiment and intent alike in the window's pool of background processes."""
    monkeypatch.setattr(processes, "PARALLEL_MIN", 100)
    texts = [
        post.text
        for post in islice(posts(random.Random(4), datetime(2026, 3, 1, tzinfo=UTC), authors=50), 300)
    ]
    ingest_items(
        ws,
        [
            Item(source="rss", external_id=f"f-{n}", text=t, published_at="2026-03-01")
            for n, t in enumerate(texts)
        ],
        score=False,
    )
    ids = [row[0] for row in ws.execute("SELECT id FROM mentions ORDER BY id")]
    try:
        with ws.transaction():
            scoring.score_mentions(ws, ids)
    finally:
        processes.shutdown_pool()
    stored = [
        tuple(row)
        for row in ws.execute("SELECT sentiment, sentiment_score, intent FROM mentions ORDER BY id")
    ]
    assert stored == [tuple(labels) for labels in auto_labels(texts)]

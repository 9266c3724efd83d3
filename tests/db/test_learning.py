from __future__ import annotations

from listener_app.core.ingest import ingest_items
from listener_app.core.models import Item
from listener_app.db import learning

NEGATIVE = [
    "refund still missing after weeks",
    "billing charged me twice, refund please",
    "refund denied again",
]
POSITIVE = ["love the new camera", "support agent was lovely and quick", "camera photos look amazing"]


def _items(texts, label, start):
    return [
        Item(
            source="rss",
            external_id=str(start + i),
            text=f"{t} #{i}",
            published_at="2026-02-01",
            sentiment=label,
        )
        for i, t in enumerate(texts * 4)
    ]


def _set_manual_sentiment(ws, mention_id, label):
    with ws.transaction():
        ws.execute(
            "UPDATE mentions SET sentiment = ?, sentiment_origin = 'manual' WHERE id = ?", (label, mention_id)
        )


def test_learns_from_manual_labels_and_suggests(ws):
    ingest_items(ws, _items(NEGATIVE, "negative", 0) + _items(POSITIVE, "positive", 100), score=False)
    ingest_items(
        ws,
        [Item(source="rss", external_id="new", text="where is my refund", published_at="2026-02-02")],
        score=False,
    )
    learning.relearn(ws)
    new_id = ws.scalar("SELECT id FROM mentions WHERE external_id = 'new'")
    label, confidence = learning.suggestions(ws, new_id)["sentiment"]
    assert label == "negative" and confidence > 0.6


def test_a_new_label_moves_counts_incrementally(ws):
    ingest_items(ws, _items(NEGATIVE, "negative", 0) + _items(POSITIVE, "positive", 100), score=False)
    learning.relearn(ws)
    before = learning.load_models(ws)["sentiment"].docs.copy()
    mention_id = ws.scalar("SELECT id FROM mentions WHERE sentiment = 'negative' LIMIT 1")
    _set_manual_sentiment(ws, mention_id, "positive")
    assert learning.sync(ws, [mention_id]) == 1
    after = learning.load_models(ws)["sentiment"].docs
    assert after["negative"] == before["negative"] - 1 and after["positive"] == before["positive"] + 1
    assert learning.sync(ws, [mention_id]) == 0  # nothing changed since


def test_no_suggestions_before_enough_labels(ws):
    ingest_items(ws, _items(NEGATIVE[:1], "negative", 0)[:2], score=False)
    learning.relearn(ws)
    assert learning.suggestions(ws, 1) == {}


def test_apply_learned_marks_labels_as_learned(ws):
    items = _items(NEGATIVE, "negative", 0) + _items(POSITIVE, "positive", 100)
    items.append(
        Item(source="rss", external_id="new", text="refund denied, charged twice", published_at="2026-02-02")
    )
    ingest_items(ws, items, score=False)
    learning.relearn(ws)
    assert learning.apply_learned(ws, threshold=0.6) >= 1
    row = ws.execute("SELECT sentiment, sentiment_origin FROM mentions WHERE external_id = 'new'").fetchone()
    assert tuple(row) == ("negative", "learned")
    assert ws.scalar("SELECT count(*) FROM mentions WHERE sentiment_origin = 'manual'") == 24

from __future__ import annotations

import json

import pytest

from listener_app.domain.models import Item
from listener_app.store import learning
from listener_app.workspace.ingest import ingest_items
from listener_app.workspace.learning import clear_learned

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


def _new(text, external_id):
    return Item(source="rss", external_id=external_id, text=text, published_at="2026-02-02")


def test_confident_suggestions_apply_to_new_mentions_when_the_setting_is_on(ws):
    ingest_items(ws, _items(NEGATIVE, "negative", 0) + _items(POSITIVE, "positive", 100), score=False)
    learning.relearn(ws)
    ingest_items(ws, [_new("refund denied, charged twice", "off")], score=False)
    assert ws.scalar("SELECT sentiment_origin FROM mentions WHERE external_id = 'off'") is None
    learning.set_auto_apply(ws, 0.6)
    assert learning.auto_apply_threshold(ws) == 0.6
    ingest_items(
        ws, [_new("refund denied, charged twice", "on"), _new("camera looks amazing", "on2")], score=True
    )
    rows = dict(
        ws.execute(
            "SELECT external_id, sentiment || '/' || sentiment_origin FROM mentions WHERE external_id LIKE 'on%'"
        )
    )
    assert rows == {"on": "negative/learned", "on2": "positive/learned"}
    assert (
        ws.scalar("SELECT sentiment_origin FROM mentions WHERE external_id = 'off'") is None
    )  # only new ones
    learning.set_auto_apply(ws, None)
    assert learning.auto_apply_threshold(ws) is None


def test_an_impossible_confidence_is_refused(ws):
    with pytest.raises(ValueError, match=r"at least 0\.5"):
        learning.set_auto_apply(ws, 1.5)


def test_learned_labels_can_be_taken_back(ws):
    ingest_items(ws, _items(NEGATIVE, "negative", 0) + _items(POSITIVE, "positive", 100), score=False)
    ingest_items(ws, [_new("refund denied, charged twice", "new")], score=True)
    auto = ws.execute("SELECT sentiment, sentiment_score FROM mentions WHERE external_id = 'new'").fetchone()
    learning.relearn(ws)
    assert learning.apply_learned(ws, threshold=0.5) >= 1
    assert ws.scalar("SELECT sentiment_origin FROM mentions WHERE external_id = 'new'") == "learned"
    assert clear_learned(ws) == 1
    row = ws.execute(
        "SELECT sentiment, sentiment_score, sentiment_origin FROM mentions WHERE external_id = 'new'"
    ).fetchone()
    assert tuple(row) == (*auto, "auto")  # the scorer's own verdict again
    assert ws.scalar("SELECT count(*) FROM mentions WHERE sentiment_origin = 'manual'") == 24  # untouched


def test_the_summary_says_what_each_model_learned_and_what_it_still_needs(ws):
    ingest_items(ws, _items(NEGATIVE, "negative", 0)[:5], score=False)
    learning.relearn(ws)
    summary = {m["model"]: m for m in learning.model_summary(ws)}
    assert summary["sentiment"]["labels"] == {"negative": 5} and not summary["sentiment"]["ready"]
    assert summary["sentiment"]["needs"] == 3 + 8  # three more negatives and eight of another label
    assert summary["intent"]["labels"] == {} and summary["intent"]["needs"] == 16
    ingest_items(ws, _items(NEGATIVE, "negative", 10) + _items(POSITIVE, "positive", 100), score=False)
    learning.relearn(ws)
    summary = {m["model"]: m for m in learning.model_summary(ws)}
    assert summary["sentiment"]["ready"] and summary["sentiment"]["needs"] == 0


def test_a_manual_label_is_learned_with_the_verdict_it_corrects(ws):
    ingest_items(ws, [_new("the app asks for my location again", "a")], score=True)
    mention_id = ws.scalar("SELECT id FROM mentions WHERE external_id = 'a'")
    _set_manual_sentiment(ws, mention_id, "negative")  # the scorer's neutral is gone from the row
    learning.sync(ws, [mention_id])
    feats = json.loads(ws.scalar("SELECT features FROM learn_docs WHERE model = 'sentiment'"))
    assert "~auto:neutral" in feats and "~auto:neutral:0" in feats  # the scorer ran again on the text
    assert "~auto:complaint" in feats  # and the intent classifier


ASKS = ["location", "contacts", "microphone", "photos", "camera", "calendar", "files", "messages", "wifi"]
COLOURS = ["blue", "red", "green", "black", "white", "silver", "gold", "pink", "grey"]


def _labelled(texts, label, start):
    return [
        Item(source="rss", external_id=str(start + i), text=t, published_at="2026-02-01", sentiment=label)
        for i, t in enumerate(texts)
    ]


def test_apply_replaces_the_scorer_only_where_the_strategist_corrected_it(ws):
    ingest_items(
        ws,
        _labelled([f"the app asks for my {a} again #{i}" for i, a in enumerate(ASKS * 2)], "negative", 0)
        + _labelled([f"ordered the {c} one today #{i}" for i, c in enumerate(COLOURS * 2)], "neutral", 100)
        + _labelled([f"{t} #{i}" for i, t in enumerate(POSITIVE * 6)], "positive", 200),
        score=False,
    )
    learning.relearn(ws)
    ingest_items(
        ws,
        [_new("the app asks for my bluetooth", "asks"), _new("ordered the purple one today", "order")],
        score=True,
    )
    assert ws.scalar("SELECT sentiment FROM mentions WHERE external_id = 'asks'") == "neutral"  # the scorer
    learning.apply_learned(ws, threshold=0.8)
    rows = dict(
        ws.execute("SELECT external_id, sentiment FROM mentions WHERE external_id IN ('asks', 'order')")
    )
    assert rows == {"asks": "negative", "order": "neutral"}


def test_labels_that_agree_with_the_scorer_never_replace_it(ws):
    ingest_items(ws, _items(NEGATIVE, "negative", 0) + _items(POSITIVE, "positive", 100), score=False)
    ingest_items(
        ws, [_new("my refund for the camera", "x"), _new("support for the camera, lovely", "y")], score=True
    )
    auto = dict(ws.execute("SELECT external_id, sentiment FROM mentions WHERE external_id IN ('x', 'y')"))
    learning.relearn(ws)
    learning.apply_learned(ws, threshold=0.5)
    assert (
        dict(ws.execute("SELECT external_id, sentiment FROM mentions WHERE external_id IN ('x', 'y')"))
        == auto
    )


def test_what_an_older_version_learned_is_learned_again(ws):
    ingest_items(ws, _items(NEGATIVE, "negative", 0) + _items(POSITIVE, "positive", 100), score=False)
    assert not learning.needs_relearn(ws)  # nothing learned yet: nothing to redo
    learning.relearn(ws)
    assert not learning.needs_relearn(ws)
    from listener_app.store.settings import set_setting

    set_setting(ws, learning.FEATURES_KEY, None)  # counted by a version before the verdict features
    assert learning.needs_relearn(ws)
    learning.relearn(ws)
    assert not learning.needs_relearn(ws)


def test_applying_reuses_the_models_until_a_label_changes_them(ws):
    ingest_items(ws, _items(NEGATIVE, "negative", 0) + _items(POSITIVE, "positive", 100), score=False)
    learning.relearn(ws)
    first = learning.applying_models(ws)
    assert learning.applying_models(ws) is first  # nothing learned since: not read again
    mention_id = ws.scalar("SELECT id FROM mentions WHERE sentiment = 'negative' LIMIT 1")
    _set_manual_sentiment(ws, mention_id, "positive")
    learning.sync(ws, [mention_id])
    again = learning.applying_models(ws)
    assert again is not first
    assert again["sentiment"].docs["positive"] == first["sentiment"].docs["positive"] + 1

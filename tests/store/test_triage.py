from __future__ import annotations

import time

import pytest

from listener_app.domain.errors import UserError
from listener_app.domain.models import Item
from listener_app.store import events, notes, open_store, triage
from listener_app.store.tags import create_tag
from listener_app.workspace.ingest import ingest_items


@pytest.fixture
def filled(ws):
    ingest_items(
        ws,
        [
            Item(source="rss", external_id=str(n), text=f"post {n}", published_at="2026-01-01")
            for n in range(500)
        ],
        score=False,
    )
    return ws


def statuses(ws):
    return [r[0] for r in ws.execute("SELECT status FROM mentions ORDER BY id")]


def test_bulk_status_is_one_undo_step_that_restores_mixed_statuses(filled):
    triage.set_status(filled, range(1, 101), "done")
    triage.set_status(filled, range(50, 151), "monitoring")
    before = statuses(filled)
    changes = triage.set_status(filled, range(1, 501), "ignored")
    assert len(changes.mentions) == 500 and set(statuses(filled)) == {"ignored"}
    assert events.last_event_label(filled) == "set status to ignored (500 mentions)"
    events.undo(filled)
    assert statuses(filled) == before
    events.redo(filled)
    assert set(statuses(filled)) == {"ignored"}


def test_undo_survives_a_restart(tmp_path):
    path = tmp_path / "w.db"
    ws = open_store(path)
    ingest_items(ws, [Item(source="rss", external_id="1", text="x", published_at="2026-01-01")], score=False)
    triage.set_status(ws, [1], "needs_response")
    ws.close()
    ws = open_store(path)
    assert events.undo(ws) is not None
    assert ws.scalar("SELECT status FROM mentions") == "new"
    assert events.undo(ws) is None
    ws.close()


def test_new_action_clears_redo(filled):
    triage.set_starred(filled, [1], True)
    events.undo(filled)
    triage.set_status(filled, [2], "done")
    assert events.next_redo_label(filled) is None


def test_toggle_tag_like_mail_labels(filled):
    billing = create_tag(filled, "billing")
    triage.add_tags(filled, [1], [billing])
    triage.toggle_tag(filled, [1, 2], billing)  # not all have it: add to the rest
    assert filled.scalar("SELECT count(*) FROM mention_tags") == 2
    triage.toggle_tag(filled, [1, 2], billing)  # all have it: remove
    assert filled.scalar("SELECT count(*) FROM mention_tags") == 0
    events.undo(filled)
    assert filled.scalar("SELECT count(*) FROM mention_tags") == 2
    with pytest.raises(UserError, match="No tag with id"):
        triage.add_tags(filled, [1], [999])


def test_manual_sentiment_wins_and_undo_restores_the_automatic_one(filled):
    with filled.transaction():
        filled.execute(
            "UPDATE mentions SET sentiment = 'positive', sentiment_score = 0.6, sentiment_origin = 'auto' WHERE id = 1"
        )
    triage.set_sentiment(filled, [1], "negative")
    assert tuple(
        filled.execute(
            "SELECT sentiment, sentiment_score, sentiment_origin FROM mentions WHERE id = 1"
        ).fetchone()
    ) == ("negative", -1.0, "manual")
    events.undo(filled)
    assert tuple(
        filled.execute(
            "SELECT sentiment, sentiment_score, sentiment_origin FROM mentions WHERE id = 1"
        ).fetchone()
    ) == ("positive", 0.6, "auto")


def test_note_autosave_is_one_undo_step(filled):
    note_id, _ = notes.add_note(filled, 1, "call")
    notes.update_note(filled, note_id, "call back")
    notes.update_note(filled, note_id, "call back tomorrow")
    assert notes.notes_for(filled, 1)[0]["body"] == "call back tomorrow"
    events.undo(filled)
    assert notes.notes_for(filled, 1) == []
    events.redo(filled)
    assert notes.notes_for(filled, 1)[0]["body"] == "call back tomorrow"


def test_history_names_the_rule(filled):
    triage.set_status(filled, [3], "needs_response", origin="rule:Billing")
    assert events.history(filled, 3)[0]["origin"] == "rule:Billing"


def test_bulk_action_on_10k_is_fast(tmp_path):
    ws = open_store(tmp_path / "big.db")
    ingest_items(
        ws,
        (Item(source="rss", external_id=str(n), text="x", published_at="2026-01-01") for n in range(10_000)),
        score=False,
    )
    started = time.perf_counter()
    triage.set_status(ws, range(1, 10_001), "done")
    events.undo(ws)
    assert time.perf_counter() - started < 5  # generous: the bench measures the real figure
    ws.close()

"""The Workspace facade: each write is one transaction returning what it changed."""

from __future__ import annotations

import pytest

from listener_app.domain.changes import Changes
from listener_app.domain.errors import UserError
from listener_app.domain.models import Item
from listener_app.domain.playbook import Assessment, assess
from listener_app.workspace import Workspace
from listener_app.workspace.ingest import ingest_items


@pytest.fixture
def ws(tmp_path):
    workspace = Workspace.open(tmp_path / "facade.listener.db")
    ingest_items(
        workspace.store,
        [
            Item("rss", str(n), f"post number {n} about the battery", published_at="2026-03-01")
            for n in range(6)
        ],
        score=False,
    )
    yield workspace
    workspace.close()


def test_triage_returns_the_mentions_it_changed_and_one_undo_step(ws):
    ids = ws.search("battery")
    changes = ws.set_status(ids[:2], "done")
    assert changes.mentions == frozenset(ids[:2]) and changes.event_id and not changes.labels
    assert ws.undo_label() == "set status to done (2 mentions)"
    assert ws.undo().mentions == frozenset(ids[:2])
    assert ws.count("status:new") == 6
    assert ws.redo() is not None and ws.count("status:done") == 2


def test_a_tag_named_for_the_first_time_is_created_with_a_free_key(ws):
    ids = ws.search("battery")[:3]
    changes = ws.toggle_tag(ids, "Battery life")
    assert changes.tags and changes.labels and changes.mentions == frozenset(ids)
    tag = ws.tags.by_name("Battery life")
    assert tag["shortcut"] == "1"
    assert ws.toggle_tag([ids[0]], "billing").tags  # the next new tag takes the next key
    assert ws.tags.by_name("billing")["shortcut"] == "2"
    untagged = ws.toggle_tag(ids, tag["id"])  # every one has it: toggling takes it off
    assert ws.count('tag:"Battery life"') == 0 and untagged.labels


def test_a_manual_label_counts_for_learning_in_the_same_transaction(ws):
    ids = ws.search("battery")
    ws.set_sentiment(ids[:1], "negative")
    summary = {m.model: m for m in ws.learning.summary()}
    assert summary["sentiment"].labels == {"negative": 1} and ws.learning.behind() == 1
    ws.undo()  # the label is taken back: so is what learning counts of it
    summary = {m.model: m for m in ws.learning.summary()}
    assert summary["sentiment"].labels == {} and ws.learning.behind() == 2


def test_respond_keeps_the_assessment_and_the_status_together(ws):
    mention = ws.search("battery")[0]
    assessment = assess({"spam": False, "question": True})
    assert isinstance(assessment, Assessment)
    changes = ws.respond(mention, "needs_response", assessment)
    assert changes.mentions == frozenset([mention])
    assert ws.store.scalar("SELECT outcome FROM assessments WHERE mention_id = ?", (mention,))
    with pytest.raises(UserError):
        ws.respond(mention, "answered", assessment)  # not a status: nothing is written


def test_a_note_is_added_edited_and_removed(ws):
    mention = ws.search("battery")[0]
    created = ws.save_note(mention, "Call back")
    assert created.mentions == frozenset([mention]) and created.created_id is not None
    ws.save_note(mention, "Call back on Monday", created.created_id)
    assert [n["body"] for n in ws.notes(mention)] == ["Call back on Monday"]
    ws.save_note(mention, "  ", created.created_id)
    assert ws.notes(mention) == []


def test_views_refuse_a_malformed_search_and_the_sidebar_counts_them(ws):
    with pytest.raises(UserError):
        ws.views.save("Broken", "stauts:new")
    saved = ws.views.save("Battery", "battery")
    assert saved.views and saved.created_id
    view = ws.sidebar()["views"][0]
    assert (view["name"], view["count"]) == ("Battery", 6)
    assert ws.views.delete(saved.created_id).views and ws.views.list() == []


def test_changes_merge_and_say_when_lists_must_reload():
    a = Changes.of([1, 2], labels=True, event_id=3)
    b = Changes(tags=True, created_id=9)
    merged = a | b
    assert merged.mentions == frozenset([1, 2]) and merged.labels and merged.tags
    assert (merged.event_id, merged.created_id) == (3, 9)
    assert not Changes() and Changes(views=True) and not Changes(views=True).touches_mentions()
    assert Changes(all_mentions=True).touches_mentions()

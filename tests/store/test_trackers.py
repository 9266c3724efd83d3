from __future__ import annotations

import pytest

from listener_app.domain.errors import UserError
from listener_app.domain.tasks import Cancelled, TaskState
from listener_app.domain.trackers import TrackerQueryError
from listener_app.store import search
from listener_app.store.trackers import (
    create_tracker,
    delete_tracker,
    list_trackers,
    match_mentions,
    rerun_trackers,
    update_tracker,
)

POSTS = [
    ("I love my acme phone", "en"),
    ("acmephone is great", "en"),
    ("acme is hiring engineers", "en"),
    ("Acme phone job opening in Leeds", "en"),
    ("the acme battery lasts days", "en"),
    ("battery of my acme died", "en"),
    ("zenith mobile is better than acme", "en"),
    ("nothing to see here", "en"),
    ("mon téléphone acme est génial", "fr"),
    ("new acme batteries", "en"),
]


def add_mentions(ws, posts, start=0):
    """Mentions inserted with plain SQL (and indexed for full text as the ingest code does)."""
    ids = []
    with ws.transaction():
        for n, (text, lang) in enumerate(posts, start):
            cursor = ws.execute(
                "INSERT INTO mentions (source, external_id, text, lang, published_at, fetched_at) "
                "VALUES ('rss', ?, ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                (str(n), text, lang),
            )
            ids.append(cursor.lastrowid)
            ws.execute("INSERT INTO mentions_fts (rowid, text) VALUES (?, ?)", (cursor.lastrowid, text))
    return ids


@pytest.fixture
def posts(ws):
    add_mentions(ws, POSTS)
    return ws


def linked(ws, name):
    return [
        r[0]
        for r in ws.execute(
            "SELECT m.text FROM mention_trackers mk JOIN trackers k ON k.id = mk.tracker_id "
            "JOIN mentions m ON m.id = mk.mention_id WHERE k.name = ? ORDER BY m.id",
            (name,),
        )
    ]


def test_rerun_links_what_the_tracker_matches(posts):
    create_tracker(posts, "Acme", '"acme phone" OR acmephone -job -hiring')
    create_tracker(posts, "Battery", "acme NEAR/2 battery", "topic")
    assert rerun_trackers(posts) == 4
    assert linked(posts, "Acme") == ["I love my acme phone", "acmephone is great"]
    # "batteries" is another word: the full-text stemmer picks it, the local match leaves it out.
    assert linked(posts, "Battery") == ["the acme battery lasts days", "battery of my acme died"]
    assert search.count(posts, "tracker:Battery") == 2


def test_languages_limit_a_tracker(posts):
    create_tracker(posts, "FR", "acme", languages=["fr"])
    rerun_trackers(posts)
    assert linked(posts, "FR") == ["mon téléphone acme est génial"]


def test_new_mentions_are_matched_as_they_arrive(posts):
    create_tracker(posts, "Zenith", "zenith OR nova", "competitor")
    rerun_trackers(posts)
    new = add_mentions(posts, [("Nova is cheaper", "en"), ("nothing", "en")], start=100)
    assert match_mentions(posts, new) == 1
    assert match_mentions(posts, new) == 0  # already linked
    assert linked(posts, "Zenith") == ["zenith mobile is better than acme", "Nova is cheaper"]


def test_mentions_matched_as_they_arrive_are_those_a_rerun_links(ws, monkeypatch):
    """New mentions are matched a chunk at a time, each chunk asking the full-text index for its
    stretch of ids alone: in chunks of three, with mentions already stored before, between and
    after them (which match too, but are not new), the links are those of a full rerun."""
    import listener_app.store.trackers as trackers

    monkeypatch.setattr(trackers, "CHUNK", 3)
    create_tracker(ws, "Acme", '"acme phone" OR acmephone OR battery -job -hiring')
    ids = add_mentions(ws, POSTS * 2)
    new = ids[1::2] + ids[-3:]  # scattered, then neighbours, given unsorted and repeated
    match_mentions(ws, [*reversed(new), new[0]])
    matched = {r[0] for r in ws.execute("SELECT mention_id FROM mention_trackers")}
    rerun_trackers(ws)
    every = {r[0] for r in ws.execute("SELECT mention_id FROM mention_trackers")}
    assert matched == every & set(new) and len(matched) == 4 and len(every) == 8


def test_update_rerun_and_counts(posts):
    tracker = create_tracker(posts, "Acme", "acmephone")
    rerun_trackers(posts)
    assert update_tracker(posts, tracker, query="acme -hiring", name="ACME brand", languages="en")
    assert not update_tracker(posts, tracker, role="competitor")
    rerun_trackers(posts, [tracker])
    [row] = list_trackers(posts)
    assert (row["name"], row["role"], row["languages"], row["count"]) == (
        "ACME brand",
        "competitor",
        ["en"],
        6,
    )
    assert delete_tracker(posts, "acme BRAND")
    assert not delete_tracker(posts, tracker)
    assert posts.scalar("SELECT count(*) FROM mention_trackers") == 0


def test_mistakes_are_user_errors(posts):
    with pytest.raises(TrackerQueryError, match="Unclosed quote"):
        create_tracker(posts, "A", '"acme')
    create_tracker(posts, "A", "acme")
    with pytest.raises(UserError, match="already a tracker named 'a'"):
        create_tracker(posts, "a", "zenith")
    with pytest.raises(UserError, match="role is one of"):
        create_tracker(posts, "B", "zenith", role="friend")
    with pytest.raises(UserError, match="not a language code"):
        create_tracker(posts, "C", "zenith", languages=["english!"])
    assert [t["name"] for t in list_trackers(posts)] == ["A"]


def test_rerun_reports_progress_in_chunks_and_can_be_cancelled(ws, monkeypatch):
    import listener_app.store.trackers as module

    monkeypatch.setattr(module, "RERUN_CHUNK", 3)
    add_mentions(ws, [(f"acme post {n}", "en") for n in range(10)])
    create_tracker(ws, "Acme", "acme")
    seen = []
    state = TaskState(on_progress=lambda s: seen.append((s.done, s.total)))
    assert rerun_trackers(ws, state=state) == 10
    assert seen[0] == (0, 10) and seen[-1] == (10, 10) and len(seen) >= 5

    stopping = TaskState()
    stopping.on_progress = lambda s: s.cancel() if s.done >= 3 else None
    ws.execute("DELETE FROM mention_trackers WHERE mention_id > 5")
    with pytest.raises(Cancelled):
        rerun_trackers(ws, state=stopping)
    assert ws.scalar("SELECT count(*) FROM mention_trackers") == 5  # left as it was

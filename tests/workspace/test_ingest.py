from __future__ import annotations

import sqlite3

import pytest

from listener_app.domain.models import AuthorRef, Item
from listener_app.domain.tasks import Cancelled, TaskState
from listener_app.store.mentions import CONTENT_COLUMNS, update_mentions
from listener_app.workspace.ingest import ingest_items


def _item(n: int, **kw) -> Item:
    base = dict(
        source="rss",
        external_id=f"id-{n}",
        text=f"Post number {n} about the acme phone",
        published_at="2026-03-01T10:00:00Z",
        url=f"https://blog.example.com/post/{n}?utm_source=alerts",
        author=AuthorRef(handle=f"user{n % 3}", display_name=f"User {n % 3}", reach=100 * n),
    )
    base.update(kw)
    return Item(**base)


def test_insert_normalizes_and_links_authors(ws):
    html = '<p>Love the <b>Acme</b> &amp; friends<script>steal()</script><img src="https://t.co/p.gif" width=1></p>'
    report = ingest_items(ws, [_item(1, text=html)], score=False)
    assert report.inserted == 1
    row = ws.execute("SELECT m.*, a.handle FROM mentions m JOIN authors a ON a.id = m.author_id").fetchone()
    assert row["text"] == "Love the Acme & friends"
    assert row["url"] == "https://blog.example.com/post/1"
    assert row["published_at"] == "2026-03-01T10:00:00Z"
    assert row["handle"] == "user1"
    assert ws.scalar("SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH 'friends'") == 1


def test_a_later_post_without_a_follower_count_keeps_the_one_an_earlier_post_gave(ws):
    """Within one batch as against the stored author: what a later post leaves empty stays."""
    later = AuthorRef(handle="user1", display_name=None, reach=None)
    ingest_items(ws, [_item(1), _item(4, author=later)], score=False)
    assert tuple(ws.execute("SELECT display_name, reach FROM authors WHERE handle = 'user1'").fetchone()) == (
        "User 1", 100,
    )  # fmt: skip


def test_reingest_keeps_triage_work(ws):
    ingest_items(ws, [_item(1)], score=False)
    mention_id = ws.scalar("SELECT id FROM mentions")
    with ws.transaction():
        ws.execute(
            "UPDATE mentions SET status='done', starred=1, sentiment='negative', sentiment_origin='manual' WHERE id=?",
            (mention_id,),
        )
        ws.execute("INSERT INTO tags (name, created_at) VALUES ('billing', 'x')")
        ws.execute("INSERT INTO mention_tags (tag_id, mention_id) VALUES (1, ?)", (mention_id,))
        ws.execute(
            "INSERT INTO notes (mention_id, body, created_at, updated_at) VALUES (?, 'call back', 'x', 'x')",
            (mention_id,),
        )
    report = ingest_items(
        ws, [_item(1, text="Edited post about the acme phone", metrics={"likes": 5})], score=False
    )
    assert (report.inserted, report.updated) == (0, 1)
    row = ws.execute("SELECT * FROM mentions").fetchone()
    assert row["text"] == "Edited post about the acme phone"
    assert (row["status"], row["starred"], row["sentiment"], row["sentiment_origin"]) == (
        "done",
        1,
        "negative",
        "manual",
    )
    assert ws.scalar("SELECT count(*) FROM mention_tags") == 1
    assert ws.scalar("SELECT count(*) FROM notes") == 1
    assert ws.scalar("SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH 'edited'") == 1
    assert ws.scalar("SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH 'number'") == 0


def test_edited_posts_of_one_batch_are_searched_as_edited(ws):
    """Edits stored together, in one statement in order of id, whatever the batch's order: the
    full-text index holds the new words and none of the old (and checks whole)."""
    ingest_items(ws, [_item(n) for n in range(40)], score=False)
    edited = [_item(n, text=f"Edited post {n} about the battery") for n in reversed(range(0, 40, 2))]
    assert ingest_items(ws, edited, score=False).updated == 20
    ws.execute("INSERT INTO mentions_fts (mentions_fts) VALUES ('integrity-check')")
    assert ws.scalar("SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH 'battery'") == 20
    assert ws.scalar("SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH 'number'") == 20
    assert ws.scalar("SELECT text FROM mentions WHERE external_id = 'id-38'").startswith("Edited post 38")


@pytest.mark.parametrize("ours_first", [True, False])
def test_a_mention_edited_twice_in_one_batch_takes_the_later_text_and_is_ours_if_either_says(ws, ours_first):
    ingest_items(ws, [_item(1)], score=False)
    url = "https://blog.example.com/post/1"
    first = _item(2, source="hackernews", external_id="h-1", url=url, text="First edit", ours=ours_first)
    later = _item(3, source="mastodon", external_id="m-1", url=url, text="Later edit", ours=not ours_first)
    assert ingest_items(ws, [first, later], score=False).updated == 2
    row = ws.execute("SELECT text, ours, status FROM mentions").fetchone()
    assert tuple(row) == ("Later edit", 1, "done")
    assert ws.scalar("SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH 'later'") == 1
    assert ws.scalar("SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH 'first'") == 0


def test_an_update_that_fails_leaves_nothing_behind(ws):
    """update_mentions stages its rows in a temporary table: an error drops it with the rest."""
    ingest_items(ws, [_item(1)], score=False)
    columns = ", ".join(CONTENT_COLUMNS)
    row = dict(ws.execute(f"SELECT id, ours, {columns} FROM mentions").fetchone())
    with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"), ws.transaction():
        update_mentions(ws, [{**row, "text": None}])
    with ws.transaction():
        update_mentions(ws, [{**row, "text": "Edited once it worked"}])
    assert ws.scalar("SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH 'worked'") == 1


def test_same_url_from_another_source_is_one_mention(ws):
    ingest_items(ws, [_item(1)], score=False)
    report = ingest_items(
        ws, [_item(1, source="google_alerts", external_id="tag:google.com,2026:999")], score=False
    )
    assert report.inserted == 0
    assert ws.scalar("SELECT count(*) FROM mentions") == 1


def test_same_url_same_source_distinct_ids_stay_distinct(ws):
    items = [_item(n, url="https://apps.apple.com/app/id1") for n in range(3)]
    assert ingest_items(ws, items, score=False).inserted == 3


def test_bad_items_are_reported_and_the_rest_goes_in(ws):
    items = [_item(1), _item(2, text="  ", title=None), _item(3, published_at="not a date"), _item(4)]
    report = ingest_items(ws, items, score=False)
    assert report.inserted == 2
    assert [(e.index, e.message) for e in report.errors] == [
        (1, "no text"),
        (2, "unrecognised date 'not a date'"),
    ]


def test_twice_adds_nothing(ws):
    items = [_item(n) for n in range(50)]
    ingest_items(ws, items, score=False, batch_size=7)
    report = ingest_items(ws, items, score=False, batch_size=7)
    assert report.inserted == 0 and report.unchanged == 50
    assert ws.scalar("SELECT count(*) FROM mentions") == 50


def test_huge_post_is_capped_with_the_cut_recorded(ws):
    ingest_items(ws, [_item(1, text="word " * 2_000_000)], score=False)
    length, original = ws.execute("SELECT length(text), original_length FROM mentions").fetchone()
    assert length <= 20_002 and original == len(("word " * 2_000_000).strip())


def test_imported_labels_are_manual(ws):
    item = _item(
        1,
        sentiment="Negative",
        intent="complaint",
        tags=["billing", "Billing", "vip"],
        notes=["refund asked"],
    )
    ingest_items(ws, [item], score=False)
    row = ws.execute("SELECT sentiment, sentiment_origin, intent, intent_origin FROM mentions").fetchone()
    assert tuple(row) == ("negative", "manual", "complaint", "manual")
    assert ws.scalar("SELECT count(*) FROM mention_tags") == 2
    assert ws.scalar("SELECT body FROM notes") == "refund asked"


def test_cancel_keeps_committed_batches(ws):
    state = TaskState()
    seen = []

    def stop_after_first(report):
        seen.append(report.inserted)
        state.cancel()

    with pytest.raises(Cancelled):
        ingest_items(
            ws,
            (_item(n) for n in range(30)),
            score=False,
            batch_size=10,
            state=state,
            on_batch=stop_after_first,
        )
    assert ws.scalar("SELECT count(*) FROM mentions") == 10


def test_bulk_ingest_finds_duplicates_across_batches_and_commit_groups(ws, monkeypatch):
    """The bulk path skips lookups for keys surely not stored (SeenKeys) and commits several
    batches at once: duplicates in later batches, earlier rows and cross-source URLs are still
    found, and the read indexes come back."""
    import listener_app.workspace.ingest as ingest

    monkeypatch.setattr(ingest, "BULK_BATCH_SIZE", 3)
    monkeypatch.setattr(ingest, "BULK_TRANSACTION_ROWS", 7)
    ingest_items(ws, [_item(0, text="Stored before the import")], score=False)
    items = [_item(n) for n in range(1, 20)]
    items += [
        _item(0, text="Stored before, edited"),  # an update of a mention from before the import
        _item(5, text="Post number 5, edited"),  # a duplicate key from an earlier batch
        _item(1, source="hackernews", external_id="hn-1"),  # the same URL from another source kind
        _item(2, source="rss", external_id="other-2"),  # same URL, same kind, own id: kept apart
    ]
    report = ingest_items(ws, items, score=False, bulk=True, batch_size=1)
    assert (report.inserted, report.updated, report.unchanged) == (20, 2, 1)
    assert ws.scalar("SELECT count(*) FROM mentions") == 21
    assert ws.scalar("SELECT text FROM mentions WHERE external_id = 'id-5'") == "Post number 5, edited"
    assert ws.scalar("SELECT text FROM mentions WHERE external_id = 'id-0'") == "Stored before, edited"
    indexes = {r[0] for r in ws.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"mentions_published", "mentions_status"} <= indexes
    assert ws.scalar("PRAGMA foreign_keys") == 1


def test_seen_keys_never_misses_a_stored_key_or_a_cross_source_url(ws):
    from listener_app.store.rows import url_key
    from listener_app.workspace.ingest import SeenKeys, key_hash

    ingest_items(ws, [_item(n) for n in range(50)], score=False)

    def check(seen, source, external_id, url=None, derived=False):
        hashes = [key_hash(source, external_id)], [url_key(url) if url else -1], bytes([derived])
        return bool(seen.maybe_stored([source], *hashes))

    def maybe(source, external_id, url=None, derived=False):
        return check(SeenKeys.of(ws), source, external_id, url, derived)

    assert all(maybe("rss", f"id-{n}") for n in range(50))
    url = "https://blog.example.com/post/7"
    assert maybe("hackernews", "hn-7", url)  # the same URL from another kind may be the same post
    assert maybe("rss", "derived", url, derived=True)  # an id derived from the URL matches by URL
    assert not maybe("rss", "own-7", url)  # the same kind with its own id stays apart
    fresh = SeenKeys.of(ws)
    new = [("rss", f"new-{n}", f"https://elsewhere.example/{n}") for n in range(1000)]
    assert sum(check(fresh, s, e, u) for s, e, u in new) < 20
    assert all(check(fresh, s, e, u) for s, e, u in new)  # now stored

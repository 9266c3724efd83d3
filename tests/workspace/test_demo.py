from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from listener_app.store import search
from listener_app.store.stats import workspace_stats
from listener_app.workspace.demo import build_demo, demo_items, demo_posts

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_same_seed_and_now_give_the_same_mentions_and_another_seed_does_not():
    first, plan = demo_items(seed=3, count=400, now=NOW)
    second, again = demo_items(seed=3, count=400, now=NOW)
    other, _ = demo_items(seed=4, count=400, now=NOW)
    fields = [(i.source, i.external_id, i.text, i.url, i.published_at, i.author) for i in first]
    assert fields == [(i.source, i.external_id, i.text, i.url, i.published_at, i.author) for i in second]
    assert plan == again
    assert [i.text for i in other] != [i.text for i in first]


def test_every_mention_has_text_author_date_and_a_source_shaped_permalink():
    items, _ = demo_items(count=1000, now=NOW)
    assert len(items) == 1000
    assert len({(i.source, i.external_id) for i in items}) == 1000
    for item in items:
        assert item.text.strip() and item.author and item.author.handle
        assert NOW - timedelta(days=61) <= item.published_at < NOW
    urls = {i.source: i.url for i in items}
    assert urls["hackernews"].startswith("https://news.ycombinator.com/item?id=")
    assert urls["reddit"].startswith("https://www.reddit.com/r/") and "/comments/" in urls["reddit"]
    assert "/@" in urls["mastodon"] and urls["bluesky"].startswith("https://bsky.app/profile/")
    assert Counter(i.lang for i in items)["en"] > 900 and {"de", "fr", "es"} <= {i.lang for i in items}


def test_kinds_threads_repeat_authors_and_influencers():
    items, _ = demo_items(count=3000, now=NOW)
    kinds = Counter(i.source for i in items)
    assert set(kinds) == {
        "rss",
        "hackernews",
        "mastodon",
        "reddit",
        "appstore",
        "stackexchange",
        "youtube",
        "bluesky",
    }
    assert min(kinds.values()) > 50
    by_id = {(i.source, i.external_id) for i in items}
    replies = [i for i in items if i.parent_external_id]
    assert len(replies) > 300
    assert all((i.source, i.parent_external_id) in by_id for i in replies)
    posts_per_author = Counter((i.source, i.author.handle) for i in items)
    assert posts_per_author.most_common(1)[0][1] >= 15  # regulars come back
    reaches = sorted({(i.source, i.author.handle): i.author.reach or 0 for i in items}.values())
    assert reaches[len(reaches) // 2] < 500 and reaches[-1] >= 50_000
    assert all(i.metrics.get("rating") in (1, 2, 3, 4, 5) for i in items if i.source == "appstore")
    assert any("<p>" in i.text for i in items if i.source == "rss")
    assert max(len(i.text) for i in items) > 800 and min(len(i.text) for i in items) < 60


def test_an_outage_day_stands_out():
    posts = demo_posts(count=3000, now=NOW)
    per_day = Counter(p.published.date() for p in posts)
    (peak, peak_count), (_, runner_up) = per_day.most_common(2)
    assert peak_count > 2.5 * runner_up
    complaints = sum(p.intent == "complaint" for p in posts if p.published.date() == peak)
    usual = sum(p.intent == "complaint" for p in posts if p.published.date() != peak) / (
        len(posts) - peak_count
    )
    assert complaints / peak_count > usual + 0.05  # a burst of complaints, not just more of everything


@pytest.mark.parametrize("count", [600])
def test_the_demo_workspace_is_lived_in(ws, count):
    report = build_demo(ws, count=count, now=NOW)
    assert report.mentions == count and sum(report.sources.values()) == count
    stats = workspace_stats(ws)
    assert len(stats["by_source"]) == 8
    assert 0 < stats["by_status"]["new"] < count * 0.8 and stats["by_status"]["done"] > 0
    for status in ("needs_response", "monitoring", "responded"):
        assert stats["by_status"][status] > 0
    for label in ("negative", "neutral", "positive"):
        assert stats["by_sentiment"][label] > count * 0.08
    for intent in ("question", "complaint", "praise", "suggestion", "other"):
        assert search.count(ws, f"intent:{intent}") > count * 0.02, intent
    assert search.count(ws, "has:thread") > 0
    assert search.count(ws, "tracker:Acme") > count / 3
    assert search.count(ws, "tracker:Zenith") > 0 and search.count(ws, "tracker:Nova") > 0
    assert search.count(ws, "tag:billing") > 0 and search.count(ws, "is:starred") > 0
    assert search.count(ws, "has:note") > 0 and search.count(ws, "is:unread") > 0
    assert search.count(ws, "sentiment:negative battery") > 0
    assert ws.scalar("SELECT count(*) FROM tags WHERE shortcut IS NOT NULL") == 9
    assert ws.scalar("SELECT count(*) FROM views") == 3 and ws.scalar("SELECT count(*) FROM sources") == 8
    assert ws.scalar("SELECT count(*) FROM mentions WHERE sentiment_origin = 'manual'") > 0
    assert ws.scalar("SELECT count(*) FROM events") == 0  # nothing on the undo stack


def test_the_demo_already_suggests_from_its_own_labels(ws):
    from listener_app.workspace.learning import Learning

    build_demo(ws, count=600, now=NOW)
    learning = Learning(ws)
    assert any(m.estimate is not None for m in learning.summary())
    unlabelled = [
        r[0] for r in ws.execute("SELECT id FROM mentions WHERE sentiment_origin = 'auto' LIMIT 50")
    ]
    models = learning.models()
    assert any(learning.suggestions(mention_id, models) for mention_id in unlabelled)
    assert search.count(ws, "is:asked") > 0  # and has questions ready

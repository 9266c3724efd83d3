from __future__ import annotations

from listener_app.core.ingest import ingest_items
from listener_app.core.models import AuthorRef, Item
from listener_app.db import authors


def _post(n: int, handle: str, sentiment: str, reach: int, likes: int = 0) -> Item:
    return Item(
        source="mastodon",
        external_id=f"{handle}-{n}",
        text=f"post {n} by {handle}",
        published_at=f"2026-03-{n + 1:02d}T12:00:00Z",
        author=AuthorRef(handle=handle, display_name=handle.title(), reach=reach),
        sentiment=sentiment,
        metrics={"likes": likes},
    )


def _author_id(ws, handle):
    return next(a["id"] for a in authors.top_authors(ws, limit=50) if a["handle"] == handle)


def test_profiles_roles_and_influence(ws):
    items = [_post(n, "fan", "positive", 200, likes=3) for n in range(4)]
    items += [_post(n, "critic", "negative", 90_000, likes=400) for n in range(3)] + [
        _post(9, "critic", "neutral", 90_000)
    ]
    items += [
        _post(n, "mixed", s, 10) for n, s in enumerate(["positive", "negative", "positive", "negative"])
    ]
    ingest_items(ws, items, score=False)

    fan = authors.author_profile(ws, _author_id(ws, "fan"))
    assert (fan["mention_count"], fan["positive_count"], fan["role"]) == (4, 4, "advocate")
    assert fan["first_seen"] == "2026-03-01T12:00:00Z" and fan["last_seen"] == "2026-03-04T12:00:00Z"
    critic = authors.author_profile(ws, _author_id(ws, "critic"))
    assert critic["role"] == "detractor"
    assert authors.author_profile(ws, _author_id(ws, "mixed"))["role"] is None
    assert 0 <= fan["influence"] < critic["influence"] <= 100
    assert [a["handle"] for a in authors.top_authors(ws, role="advocate")] == ["fan"]
    assert [a["handle"] for a in authors.top_authors(ws, role="detractor")] == ["critic"]
    assert [m["month"] for m in critic["sentiment_by_month"]] == ["2026-03"]


def test_vip_list(ws):
    ingest_items(ws, [_post(1, "ceo", "neutral", 5)], score=False)
    author_id = _author_id(ws, "ceo")
    authors.set_vip(ws, author_id, True)
    assert [a["handle"] for a in authors.top_authors(ws, role="vip")] == ["ceo"]


def test_bulk_ingest_refreshes_authors_once_at_the_end(ws):
    ingest_items(ws, [_post(n, "fan", "positive", 200) for n in range(5)], score=False, bulk=True)
    assert authors.author_profile(ws, _author_id(ws, "fan"))["mention_count"] == 5
    assert {r[0] for r in ws.execute("SELECT name FROM sqlite_master WHERE type='index'")} >= {
        "mentions_published",
        "mentions_status",
    }

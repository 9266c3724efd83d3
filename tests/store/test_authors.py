from __future__ import annotations

from collections import Counter

from listener_app.domain import people
from listener_app.domain.models import AuthorRef, Item
from listener_app.store import authors
from listener_app.workspace.ingest import ingest_items


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
    assert [p.start for p in authors.sentiment_over_time(ws, critic["id"]).periods] == [
        "2026-02-23",
        "2026-03-02",
        "2026-03-09",
    ]


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


# ---------------------------------------------------------------- sentiment over time


def _dated(handle: str, days_and_sentiments: list[tuple[str, str | None]]) -> list[Item]:
    return [
        Item(
            source="mastodon",
            external_id=f"{handle}-{n}",
            text=f"post {n} by {handle}",
            published_at=f"{day}T09:30:00Z",
            author=AuthorRef(handle=handle),
            sentiment=sentiment,
        )
        for n, (day, sentiment) in enumerate(days_and_sentiments)
    ]


def _plain_counts(ws, author_id):
    rows = ws.execute(
        "SELECT coalesce(sentiment, 'unscored'), count(*) FROM mentions WHERE author_id = ? GROUP BY 1",
        (author_id,),
    )
    return dict(rows.fetchall())


def test_sentiment_over_time_by_week_fills_the_empty_weeks(ws):
    ingest_items(
        ws,
        _dated(
            "weekly",
            [
                ("2026-03-04", "negative"),  # a Wednesday: its week starts Monday 2 March
                ("2026-03-08", "negative"),  # Sunday, the same week
                ("2026-03-09", "positive"),
                ("2026-03-25", "neutral"),
                ("2026-04-01", None),
                ("2026-04-01", "positive"),
            ],
        ),
        score=False,
    )
    ingest_items(ws, _dated("other", [("2026-03-16", "positive")]), score=False)
    author_id = _author_id(ws, "weekly")
    series = authors.sentiment_over_time(ws, author_id)

    assert series.unit == "week" and series.first_seen == "2026-03-04"
    assert [(p.start, p.end) for p in series.periods] == [
        ("2026-03-02", "2026-03-09"),
        ("2026-03-09", "2026-03-16"),
        ("2026-03-16", "2026-03-23"),
        ("2026-03-23", "2026-03-30"),
        ("2026-03-30", "2026-04-06"),
    ]
    assert [dict(p.counts) for p in series.periods] == [
        {"negative": 2, "neutral": 0, "positive": 0, "unscored": 0},
        {"negative": 0, "neutral": 0, "positive": 1, "unscored": 0},
        {"negative": 0, "neutral": 0, "positive": 0, "unscored": 0},  # the other author's week
        {"negative": 0, "neutral": 1, "positive": 0, "unscored": 0},
        {"negative": 0, "neutral": 0, "positive": 1, "unscored": 1},
    ]
    totals = sum((p.counts for p in series.periods), Counter())
    assert totals == _plain_counts(ws, author_id)
    assert series.total == authors.author_profile(ws, author_id)["mention_count"] == 6
    assert series.scored == 5


def test_sentiment_over_time_by_month_past_six_months(ws):
    ingest_items(ws, _dated("steady", [("2026-01-01", "positive"), ("2026-07-03", "negative")]), score=False)
    ingest_items(
        ws,
        _dated(
            "long",
            [("2025-11-30", "positive"), ("2025-12-01", "neutral"), ("2026-02-14", "negative")]
            + [("2026-06-10", "negative")] * 3,
        ),
        score=False,
    )
    ingest_items(ws, _dated("longer", [("2026-01-01", "positive"), ("2026-07-04", "negative")]), score=False)
    assert authors.sentiment_over_time(ws, _author_id(ws, "steady")).unit == "week"  # 183 days
    assert authors.sentiment_over_time(ws, _author_id(ws, "longer")).unit == "month"  # 184 days
    long_id = _author_id(ws, "long")
    series = authors.sentiment_over_time(ws, long_id)

    assert series.unit == "month"
    assert [(p.start, p.end) for p in series.periods][:2] == [
        ("2025-11-01", "2025-12-01"),
        ("2025-12-01", "2026-01-01"),
    ]
    assert [p.start[:7] for p in series.periods] == [
        "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06",
    ]  # fmt: skip
    assert [p.total for p in series.periods] == [1, 1, 0, 1, 0, 0, 0, 3]
    assert sum((p.counts for p in series.periods), Counter()) == _plain_counts(ws, long_id)


def test_sentiment_over_time_is_one_query_on_the_covering_index(ws):
    ingest_items(ws, _dated("fan", [("2026-03-02", "positive"), ("2026-03-20", None)]), score=False)
    author_id = _author_id(ws, "fan")
    statements = []
    ws.conn.set_trace_callback(statements.append)
    try:
        authors.sentiment_over_time(ws, author_id)
    finally:
        ws.conn.set_trace_callback(None)
    assert len(statements) == 1
    plan = " ".join(r[3] for r in ws.execute(f"EXPLAIN QUERY PLAN {statements[0]}"))
    assert "COVERING INDEX mentions_author_sentiment" in plan
    assert authors.sentiment_over_time(ws, 999_999).periods == []


def _series(*counts_per_period: dict[str, int]) -> people.SentimentSeries:
    periods = []
    for n, counts in enumerate(counts_per_period):
        period = people.Period(f"2026-01-{n + 1:02d}", f"2026-01-{n + 2:02d}")
        period.counts.update(counts)
        periods.append(period)
    return people.SentimentSeries("week", periods, "2026-01-01")


def test_trend_compares_the_recent_half_with_the_earlier_one():
    happy, sour = {"positive": 3}, {"negative": 2, "neutral": 1}
    assert _series(happy, sour).trend() == "more negative"
    assert _series(sour, happy).trend() == "more positive"
    # With an odd number of periods the middle one counts for neither half.
    assert _series(happy, {"positive": 99}, sour).trend() == "more negative"
    assert _series(happy, {"positive": 2, "neutral": 1}).trend() is None  # net 1.0 -> 0.67: not clearly
    assert _series({"positive": 2}, {"negative": 2}).trend() is None  # too few scored to say
    assert _series(happy, {"negative": 2, "unscored": 5}).trend() is None  # unscored ones do not count
    assert _series(happy).trend() is None  # one period has no halves

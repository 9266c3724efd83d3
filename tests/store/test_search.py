from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from listener_app.domain.models import AuthorRef, Item
from listener_app.domain.query import QueryError
from listener_app.store import open_store, search
from listener_app.store.tags import ensure_tags
from listener_app.workspace.ingest import ingest_items

POSTS = [
    ("battery died after one day", "negative", "dana", 50_000, "2026-01-01"),
    ("love the battery life", "positive", "lee", 20, "2026-01-02"),
    ("acme phone job opening, we are hiring", "neutral", "hr", 5, "2026-01-03"),
    ("the acme phone is great", "positive", "dana", 50_000, "2026-01-04"),
    ("refund please, charged twice", "negative", "sam", 300, "2026-01-05"),
    ("Où est le remboursement?", "negative", "zoé", 10, "2026-01-06"),
]


@pytest.fixture
def filled(ws):
    items = [
        Item(source="mastodon" if i % 2 else "rss", external_id=str(i), text=text, published_at=date,
             author=AuthorRef(handle=handle, reach=reach), sentiment=sentiment, lang="fr" if "Où" in text else "en")
        for i, (text, sentiment, handle, reach, date) in enumerate(POSTS)
    ]  # fmt: skip
    ingest_items(ws, items, score=False)
    with ws.transaction():
        billing = ensure_tags(ws, ["billing"])["billing"]
        ws.execute("INSERT INTO mention_tags (tag_id, mention_id) VALUES (?, 5)", (billing,))
    return ws


def texts(ws, query, **kw):
    ids = search.mention_ids(ws, query, **kw)
    return [ws.scalar("SELECT text FROM mentions WHERE id = ?", (i,)) for i in ids]


def test_free_text_newest_first(filled):
    assert texts(filled, "battery") == ["love the battery life", "battery died after one day"]
    assert texts(filled, "batt* sort:oldest") == ["battery died after one day", "love the battery life"]
    assert texts(filled, "remboursement") == ["Où est le remboursement?"]  # accents folded
    assert texts(filled, "remboursement") == texts(filled, "REMBOURSEMENT")


def test_the_tracker_example(filled):
    assert texts(filled, '"acme phone" OR acmephone -job -hiring') == ["the acme phone is great"]


def test_filters_combine(filled):
    assert texts(filled, "sentiment:negative battery") == ["battery died after one day"]
    assert len(texts(filled, "-battery")) == 4
    assert texts(filled, "tag:billing") == ["refund please, charged twice"]
    assert len(texts(filled, "-tag:billing")) == 5
    assert texts(filled, "reach>=50k sort:oldest") == [
        "battery died after one day",
        "the acme phone is great",
    ]
    assert texts(filled, "author:@Dana battery") == ["battery died after one day"]
    assert texts(filled, "lang:fr") == ["Où est le remboursement?"]
    assert texts(filled, "after:2026-01-05") == ["Où est le remboursement?", "refund please, charged twice"]
    assert texts(filled, "battery OR tag:billing") == [
        "refund please, charged twice",
        "love the battery life",
        "battery died after one day",
    ]
    assert search.count(filled, "source:mastodon") == 3
    assert search.count(filled, "") == 6
    assert texts(filled, "battery", limit=1, offset=1) == ["battery died after one day"]


def test_unknown_names_are_errors_not_empty_results(filled):
    with pytest.raises(QueryError, match="No tag named 'biling' at column 1 — did you mean 'tag:billing'"):
        search.mention_ids(filled, "tag:biling")
    with pytest.raises(QueryError, match="No mentions from source 'mastadon'"):
        search.count(filled, "source:mastadon")
    with pytest.raises(QueryError, match="No author '@nobody'"):
        search.count(filled, "author:nobody")


def test_matching_ids_among(filled):
    assert search.matching_ids(filled, "sentiment:negative", [1, 2, 5]) == [1, 5]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    query=st.sampled_from(
        [
            "battery",
            "-battery",
            "battery OR tag:billing",
            '"acme phone" -job',
            "author:@Dana battery",
            "-acme sentiment:negative",
            "sentiment:negative",
        ]
    ),
    among=st.lists(st.integers(1, 8), max_size=8),
)
def test_matching_ids_among_are_those_the_search_matches(filled, query, among):
    """Among given mentions (the full-text index asked for their stretch of ids alone), a search
    matches what it matches among all, negations and alternatives too."""
    assert search.matching_ids(filled, query, among) == sorted(
        set(search.matching_ids(filled, query)) & set(among)
    )


def test_completions(filled):
    assert search.completions(filled, "sent") == ["sentiment:"]
    assert search.completions(filled, "refund tag:b") == ["tag:billing"]
    assert "source:mastodon" in search.completions(filled, "source:")
    assert search.completions(filled, "-status:n") == ["-status:new", "-status:needs_response"]


@pytest.fixture(scope="module")
def shared_ws(tmp_path_factory):
    ws = open_store(tmp_path_factory.mktemp("h") / "h.db")
    ingest_items(
        ws,
        [
            Item(source="rss", external_id=str(i), text=t, published_at="2026-01-01")
            for i, (t, *_) in enumerate(POSTS)
        ],
        score=False,
    )
    yield ws
    ws.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("ab \"()-*:OR stau>=1é?'\\")), max_size=40))
def test_no_query_reaches_sqlite_as_a_syntax_error(shared_ws, text):
    try:
        search.mention_ids(shared_ws, text, limit=5)
        search.count(shared_ws, text)
    except QueryError:
        pass
    except sqlite3.Error as error:  # pragma: no cover - the property under test
        raise AssertionError(f"{text!r} reached SQLite as {error}") from error

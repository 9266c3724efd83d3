from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from listener_app.core.ingest import ingest_items
from listener_app.core.models import Item
from listener_app.core.trackers import TrackerQueryError, compile_tracker, parse, server_queries
from listener_app.db import open_workspace, search
from listener_app.db.trackers import create_tracker, list_trackers, rerun_trackers

POSTS = [
    "I love my acme phone",
    "acmephone is great",
    "acme is hiring engineers",
    "Acme job opening in Leeds",
    "the acme battery lasts days",
    "battery of my acme died",
    "zenith mobile is better than acme",
    "nothing to see here",
]


@pytest.fixture
def posts(ws):
    ingest_items(
        ws,
        [
            Item(source="rss", external_id=str(n), text=t, published_at="2026-01-01")
            for n, t in enumerate(POSTS)
        ],
        score=False,
    )
    return ws


def matched(ws, query):
    create_tracker(ws, "T", query)
    rerun_trackers(ws)
    ids = [r[0] for r in ws.execute("SELECT mention_id FROM mention_trackers ORDER BY mention_id")]
    return [POSTS[int(ws.scalar("SELECT external_id FROM mentions WHERE id = ?", (i,)))] for i in ids]


def test_the_product_example(posts):
    assert matched(posts, '"acme phone" OR acmephone -job -hiring') == [
        "I love my acme phone",
        "acmephone is great",
    ]


def test_near_and_not(posts):
    assert matched(posts, "acme NEAR/2 battery") == ["the acme battery lasts days", "battery of my acme died"]


def test_and_not_parentheses(ws):
    ingest_items(
        ws,
        [
            Item(source="rss", external_id=str(n), text=t, published_at="2026-01-01")
            for n, t in enumerate(POSTS)
        ],
        score=False,
    )
    assert matched(ws, "acme AND (battery OR phone) NOT died") == [
        "I love my acme phone",
        "the acme battery lasts days",
    ]


def test_tracker_filter_and_counts(posts):
    create_tracker(posts, "Zenith", '"zenith mobile"', "competitor")
    rerun_trackers(posts)
    assert search.count(posts, "tracker:Zenith") == 1
    assert list_trackers(posts)[0]["count"] == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "at least one word"), ("-job", "not only words to leave out"), ('"acme', "Unclosed quote"), ("(acme", "Unclosed '\\('"),
     ("acme OR", "Expected a word"), ("acme NEAR/3", "needs a word after it")],
)  # fmt: skip
def test_mistakes_point_at_the_problem(text, message):
    with pytest.raises(TrackerQueryError, match=message):
        parse(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab "()-:*NEARO/3 AND')), max_size=40))
def test_any_string_parses_or_raises(text):
    with contextlib.suppress(TrackerQueryError):
        compile_tracker(text)


WORDS = st.sampled_from(["acme", "phone", "battery", "job", "zenith"])
QUERIES = st.recursive(
    WORDS | WORDS.map(lambda w: f'"{w} phone"'),
    lambda inner: st.tuples(inner, st.sampled_from([" OR ", " ", " -"]), inner).map(
        lambda t: f"({t[0]}{t[1]}{t[2]})"
    ),
    max_leaves=5,
)


@pytest.fixture(scope="module")
def agreement_ws(tmp_path_factory):
    ws = open_workspace(tmp_path_factory.mktemp("t") / "t.db")
    ingest_items(
        ws,
        [
            Item(source="rss", external_id=str(n), text=t, published_at="2026-01-01")
            for n, t in enumerate(POSTS)
        ],
        score=False,
    )
    yield ws
    ws.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(QUERIES, st.sampled_from(["hackernews", "mastodon", "github", "bluesky"]))
def test_server_translation_is_never_narrower_than_the_local_match(agreement_ws, query, kind):
    """Every post the tracker matches locally contains all the words of at least one of the
    server queries: an API that returns posts containing those words returns it."""
    try:
        expression = compile_tracker(query)
    except TrackerQueryError:
        return
    local = {
        r[0]
        for r in agreement_ws.execute(
            "SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?", [expression]
        )
    }
    alternatives = [alt for q in server_queries(query, kind) for alt in q.split(" OR ")]
    for rowid in local:
        text = agreement_ws.scalar("SELECT text FROM mentions WHERE id = ?", (rowid,)).lower()
        words_ok = any(
            all(w.strip('()"') in text for w in alt.replace('"', " ").split() if w.strip('()"'))
            for alt in alternatives
        )
        assert words_ok, (query, kind, text, alternatives)

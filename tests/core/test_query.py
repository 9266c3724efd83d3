from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listener_app.core.query import And, Filter, Not, Or, QueryError, Text, parse


def test_words_phrases_or_and_negation():
    query = parse('"acme phone" OR acmephone -job -hiring')
    assert query.node == And(
        (
            Or((Text("acme phone", phrase=True), Text("acmephone"))),
            Not(Text("job")),
            Not(Text("hiring")),
        )
    )
    assert query.terms == ("acme phone", "acmephone")


def test_filters_are_canonical():
    query = parse('status:needs-response tag:"wrong charge" -tag:spam reach>10k sort:oldest Sentiment:NEG')
    assert query.sort == "oldest"
    nodes = query.node.nodes
    assert nodes[0] == Filter("status", "needs_response", position=0)
    assert nodes[1].value == "wrong charge"
    assert nodes[2] == Not(Filter("tag", "spam", position=42))
    assert (nodes[3].key, nodes[3].op, nodes[3].value) == ("reach", ">", 10_000)
    assert nodes[4].value == "negative"


def test_dates():
    assert parse("after:2026-01-01").node.value == "2026-01-01T00:00:00Z"
    assert parse("before:2026-02").node.value == "2026-02-01T00:00:00Z"
    assert parse("after:7d").node.value.endswith("T00:00:00Z")


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("stauts:new", "Unknown filter 'stauts:' — did you mean 'status:'?", 1),
        ("battery sentiment:bad", "'sentiment:' expects negative, neutral or positive", 9),
        ("after:2026-13-01", "Invalid date 'after:2026-13-01'", 1),
        ('refund "wrong charge', "Unclosed quote", 8),
        ("battery OR", "'OR' needs something to search for on both sides", 9),
        ("(refund OR battery", "Unclosed '('", 1),
        ("refund)", "')' without a matching '('", 7),
        ("reach>lots", "'reach>' expects a number", 1),
        ("status:", "'status:' needs a value", 1),
        ("!!!", "has no letters or digits", 1),
        ("sort:relevance", "needs words to search for", 1),
    ],
)
def test_malformed_queries_point_at_the_problem(text, message, column):
    with pytest.raises(QueryError) as info:
        parse(text)
    assert message in info.value.message
    assert info.value.position + 1 == column
    assert f"(at column {column})" in str(info.value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_string_parses_or_raises_query_error(text):
    try:
        parse(text)
    except QueryError as error:
        assert 0 <= error.position <= len(text) + 1

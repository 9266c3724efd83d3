from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listener_app.domain.query import And, Filter, Not, Or, QueryError, Text, parse


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
    assert f"at column {column}" in str(info.value)


def test_the_error_reads_as_one_line():
    with pytest.raises(QueryError) as info:
        parse("stauts:new battery")
    assert str(info.value) == "Unknown filter 'stauts:' at column 1 — did you mean 'status:'?"
    assert info.value.message == "Unknown filter 'stauts:' — did you mean 'status:'?"
    with pytest.raises(QueryError, match='put them in quotes: "colour:red"'):
        parse("colour:red")


def test_keys_values_and_aliases_are_forgiving():
    assert parse("STATUS:Needs-Response").node == Filter("status", "needs_response", position=0)
    assert parse("status:needs_response").node.value == "needs_response"
    assert parse("from:@Dana").node == Filter("author", "Dana", position=0)
    assert parse("is:Starred").node.value == "starred"
    assert parse("reach>=1.5k").node == Filter("reach", 1500, ">=", 0)
    assert parse("after:today").node.value.endswith("T00:00:00Z")


def test_a_pasted_link_is_searched_as_words():
    assert parse("https://acme.com/help battery").node.nodes[0] == Text("https://acme.com/help", phrase=True)


def test_prefix_and_negated_phrase():
    assert parse('batt* -"wrong charge"').node == And(
        (Text("batt", prefix=True), Not(Text("wrong charge", phrase=True)))
    )


def test_more_filter_keys_can_be_registered(monkeypatch):
    import listener_app.domain.query as query

    monkeypatch.setattr(query, "FILTERS", dict(query.FILTERS))
    monkeypatch.setattr(query, "KEY_ALIASES", dict(query.KEY_ALIASES))
    query.register_filter("team", lambda value, position, key: value.lower(), aliases=("dept",))
    assert parse("dept:Support").node == Filter("team", "support", position=0)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_string_parses_or_raises_query_error(text):
    try:
        parse(text)
    except QueryError as error:
        assert 0 <= error.position <= len(text) + 1

from __future__ import annotations

import re
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from listener_app.domain.trackers import (
    TRANSLATORS,
    BoolOp,
    Negation,
    Term,
    TrackerQueryError,
    compile_tracker,
    matches,
    parse,
    server_queries,
    to_fts,
    to_hackernews,
    to_reddit,
    to_youtube,
    words,
)

EXAMPLE = '"acme phone" OR acmephone -job -hiring'


def hit(query: str, text: str, title: str | None = None, lang: str | None = None) -> bool:
    return matches(compile_tracker(query), title, text, lang)


def test_the_product_example():
    assert hit(EXAMPLE, "I love my Acme Phone!")
    assert hit(EXAMPLE, "acmephone is great")
    assert not hit(EXAMPLE, "acme phone job opening")  # OR binds tighter: the exclusions apply to both
    assert not hit(EXAMPLE, "Acmephone is hiring")
    assert not hit(EXAMPLE, "acme makes a phone")  # a phrase is consecutive words


def test_precedence_matches_the_search_bar():
    assert parse("a OR b c") == BoolOp("AND", (BoolOp("OR", (Term("a", False, ("a",)), Term("b", False, ("b",)))), Term("c", False, ("c",))))  # fmt: skip
    assert parse("a AND b") == parse("a b")
    assert parse("NOT a b") == parse("b -a").__class__(
        "AND", (Negation(Term("a", False, ("a",))), Term("b", False, ("b",)))
    )


def test_words_are_whole_folded_and_as_written():
    assert hit("cafe", "Un CAFÉ, s'il vous plaît")  # accents and case folded
    assert hit("café", "best cafe in town")
    assert not hit("acme", "acmeville is a town")  # word boundaries
    assert hit("acme", "#acme (acme's)")  # punctuation is a boundary
    assert not hit("battery", "new batteries")  # plural forms are not matched: write both
    assert hit("battery OR batteries", "new batteries")
    assert hit("acme-phone", "the acme phone")  # a hyphenated word is a phrase of its parts


def test_phrases_stay_within_a_field():
    assert hit('"acme phone"', "phone case", title="Review of acme")  is False  # fmt: skip
    assert hit('"acme phone"', "great", title="My ACME phone")
    assert hit("acme phone", "phone case", title="Review of acme")  # plain words: any field


def test_near():
    query = "acme NEAR/2 battery"
    assert hit(query, "the acme battery lasts")
    assert hit(query, "battery of my acme died")  # either order, two words between
    assert not hit(query, "battery x y z acme")
    assert hit('"acme phone" NEAR/1 "battery life"', "acme phone: great battery life")
    assert not hit("acme NEAR/0 acme", "acme")  # two occurrences are needed
    assert hit("acme NEAR battery", "acme " + "x " * 10 + "battery")  # bare NEAR is NEAR/10


def test_and_not_parentheses():
    query = "acme AND (battery OR phone) NOT died"
    assert hit(query, "acme battery lasts days")
    assert not hit(query, "battery of my acme died")
    assert hit("acme -(job hiring)", "acme job fair")  # only both together are excluded
    assert not hit("acme -(job hiring)", "acme job: hiring now")


def test_languages():
    tracker = compile_tracker("acme", ["en", "pt-br"])
    assert matches(tracker, None, "acme", "en-GB")
    assert matches(tracker, None, "acme", "PT_BR")
    assert matches(tracker, None, "acme", None)  # unknown language: kept
    assert not matches(tracker, None, "acme", "fr")


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("", "at least one word", 1),
        ("-job -hiring", "not only words to leave out", 1),
        ("acme OR -job", "Each OR branch needs a word", 9),
        ('acme "phone', "Unclosed quote", 6),
        ("(acme", "Unclosed '('", 1),
        ("acme)", "')' without a matching '('", 5),
        ("acme OR", "'OR' needs a word or phrase on its right", 8),
        ("OR acme", "'OR' needs a word or phrase on its left", 1),
        ("acme AND", "'AND' needs a word or phrase on its right", 9),
        ("acme NEAR/3", "needs a word after it", 12),
        ("NEAR/3 acme", "needs a word or phrase before it", 1),
        ("(a b) NEAR/3 c", "joins two words or phrases", 1),
        ("a NEAR/3 b NEAR/3 c", "Join NEAR pairs with AND", 12),
        ("acme NEAR/1000 b", "at most 100 words", 6),
        ("acme ()", "Empty parentheses", 6),
        ("acme !!!", "'!!!' has no letters or digits", 6),
        ("acme NOT", "needs a word, a phrase or '(' after it", 9),
        ("(" * 30 + "a" + ")" * 30, "Too many nested parentheses", 25),
    ],
)
def test_mistakes_point_at_the_problem(text, message, column):
    with pytest.raises(TrackerQueryError) as info:
        parse(text)
    assert message in info.value.message
    assert info.value.position + 1 == column


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list('ab "()-:*NEAROT/3 ')), max_size=40)
    | st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
)
def test_any_string_parses_or_raises(text):
    try:
        tracker = compile_tracker(text)
    except TrackerQueryError as error:
        assert 0 <= error.position <= len(text)
        return
    assert isinstance(matches(tracker, "a title", "some ab text"), bool)
    for kind in TRANSLATORS:
        assert all(q.strip() for q in server_queries(text, kind))


def test_translations():
    assert to_hackernews(EXAMPLE) == ['"acme phone"', "acmephone"]  # no OR: one query each
    assert to_youtube(EXAMPLE) == ['"acme phone"|acmephone']
    assert to_reddit("(acme OR zenith) battery") == ["(acme battery) OR (zenith battery)"]
    assert to_youtube("(acme OR zenith) battery") == ["acme battery", "zenith battery"]
    assert to_hackernews("acme NEAR/3 battery -job") == ["acme battery"]  # exclusions stay local
    assert to_hackernews("from:acme") == ['"from acme"']  # no user syntax reaches the server
    assert to_hackernews("acme (acme OR zenith)") == ["acme"]  # covered alternatives dropped


def test_translations_stay_small_and_broader():
    query = "(a OR b OR c) (d OR e) (f OR g) (h OR i)"
    queries = to_hackernews(query)
    assert 1 < len(queries) <= 16
    assert all(len(q.split()) < 4 for q in queries)  # a part was left out: broader, never narrower
    long = " OR ".join(f"word{i}" for i in range(100))
    assert all(len(q) <= 400 for q in to_reddit(long))
    assert {w for q in to_reddit(long) for w in q.split(" OR ")} == {f"word{i}" for i in range(100)}


# ---------------------------------------------------------------- properties

VOCAB = ["acme", "phone", "battery", "job", "zenith", "café"]
ATOMS = st.sampled_from(VOCAB) | st.sampled_from(VOCAB).map(lambda w: f'"{w} phone"')
QUERIES = st.recursive(
    ATOMS,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from([" OR ", " ", " AND ", " -", " NOT "]), inner).map(
            lambda t: f"({t[0]}{t[1]}{t[2]})"
        ),
        st.tuples(ATOMS, st.integers(0, 3), ATOMS).map(lambda t: f"{t[0]} NEAR/{t[1]} {t[2]}"),
    ),
    max_leaves=6,
)
TEXTS = st.lists(
    st.sampled_from([*VOCAB, "Acme", "PHONE", "cafe", "batteries", "the", "a", "-", ",", "#acme", "ACME's"]),
    max_size=12,
).map(" ".join)


def _model_has(item: str, fields: list[list[str]]) -> bool:
    wanted = words(item)
    return any(
        field[i : i + len(wanted)] == wanted for field in fields for i in range(len(field) - len(wanted) + 1)
    )


def model_returns(kind: str, query: str, title: str, text: str) -> bool:
    """A simple model of a search API: OR where the API has it (Reddit ` OR `, YouTube `|`),
    otherwise every word and "phrase" must be present; a phrase within one field."""
    if kind == "reddit":
        branches = [b.strip("()") for b in query.split(" OR ")]
    elif kind == "youtube":
        branches = query.split("|")
    else:
        branches = [query]
    fields = [words(title), words(text)]
    return any(
        all(_model_has(item, fields) for item in re.findall(r'"[^"]*"|\S+', branch)) for branch in branches
    )


@settings(max_examples=200, deadline=None)
@given(QUERIES, TEXTS, TEXTS, st.sampled_from(sorted(TRANSLATORS)))
def test_server_translation_is_never_narrower_than_the_local_match(query, title, text, kind):
    try:
        tracker = compile_tracker(query)
    except TrackerQueryError:
        return
    if matches(tracker, title, text):
        returned = [q for q in server_queries(query, kind) if model_returns(kind, q, title, text)]
        assert returned, (query, kind, title, text, server_queries(query, kind))


@pytest.fixture(scope="module")
def fts():
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE f USING fts5 (title, text, tokenize='porter unicode61 remove_diacritics 2')"
    )
    yield conn
    conn.close()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(QUERIES, TEXTS, TEXTS)
def test_the_full_text_preselection_is_never_narrower(fts, query, title, text):
    """rerun_trackers asks FTS5 for candidates, then matches them locally: FTS5 must not miss."""
    try:
        tracker = compile_tracker(query)
    except TrackerQueryError:
        return
    fts.execute("DELETE FROM f")
    fts.execute("INSERT INTO f (rowid, title, text) VALUES (1, ?, ?)", (title, text))
    found = fts.execute("SELECT count(*) FROM f WHERE f MATCH ?", [to_fts(tracker.node)]).fetchone()[0]
    if matches(tracker, title, text):
        assert found == 1, (query, title, text, to_fts(tracker.node))

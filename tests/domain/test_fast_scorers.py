"""The scorer gives exactly what it gave before it was made faster: the same sentiment label,
score (to four decimals) and intent on both ground-truth sets and on the demo's posts as on
commit 1282dcc (tests/fixtures/scoring/reference.tsv.gz), and its two lexicon parts give the
libraries' own figures on those texts and on generated ones built to reach every rule."""

from __future__ import annotations

from functools import lru_cache

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from textblob.en import sentiment as textblob_sentiment
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from listener_app.domain import pattern_polarity
from listener_app.domain.intent import classify_intent
from listener_app.domain.pattern_polarity import _FACES, _text, polarity, tokens
from listener_app.domain.sentiment import (
    _IRONIC_THANKS,
    _IRONIC_THANKS_NEEDS,
    _KEY_OF,
    _PHRASE_RULES,
    _SARCASM,
    _SARCASM_NEEDS,
    _found,
    _phrases_rewritten,
    _sub_from_key,
    _vader,
    prepare,
    score_text,
)
from listener_app.domain.vader_compound import _but_weighted, compound
from tests.domain import scoring_reference


def _outputs() -> tuple[list[list[str]], list[list[str]]]:
    """(expected, got) rows of (set, text hash, label, score, intent) for the sets present here
    (the ground-truth files live outside the repository)."""
    got = []
    for name, text in scoring_reference.texts():
        sentiment = score_text(text)
        got.append(
            scoring_reference.line(
                name, text, sentiment.label, sentiment.score, classify_intent(text, sentiment)
            ).split("\t")
        )
    present = {row[0] for row in got}
    expected = [line.split("\t") for line in scoring_reference.read()]
    return [row for row in expected if row[0] in present], got


def _mismatches(expected: list[list[str]], got: list[list[str]], columns: slice) -> list[str]:
    assert [row[:2] for row in got] == [row[:2] for row in expected], "the reference texts changed"
    return [
        f"{e[0]} {e[1]}: {e[columns]} became {g[columns]}"
        for e, g in zip(expected, got, strict=True)
        if e[columns] != g[columns]
    ]


def test_sentiment_and_intent_are_those_of_the_reference() -> None:
    """Intent is compared too: a deliberate change to intent (or sentiment) regenerates the
    fixture with `python -m tests.domain.scoring_reference` in the same commit."""
    expected, got = _outputs()
    assert len(got) >= 3000
    sentiment = _mismatches(expected, got, slice(2, 4))
    assert not sentiment, f"{len(sentiment)} sentiment changes, first: {sentiment[:5]}"
    intent = _mismatches(expected, got, slice(4, 5))
    assert not intent, f"{len(intent)} intent changes, first: {intent[:5]}"


def test_lexicon_parts_match_the_libraries_on_the_reference_texts() -> None:
    """On the texts as the scorer hands them over (prepared)."""
    analyzer = _vader()
    for text in (prepare(text)[0] for _, text in scoring_reference.texts()):
        assert compound(analyzer, text) == analyzer.polarity_scores(text)["compound"], text
        assert polarity(text) == textblob_sentiment(text)[0], text


# Words and marks that reach the rules: boosters, dampeners, negations, "no", "least", "but",
# idioms, capitals, contractions, abbreviations, quotes, emoticons spaced and not, emoji, "(!)".
_PIECES = (
    "good", "bad", "great", "GREAT", "love", "hate", "awful", "nice", "horrible", "ok", "no", "not", "never",
    "Never", "so", "this", "without", "doubt", "least", "at", "very", "VERY", "kind", "of", "sort", "kinda",
    "but", "BUT", "but,", "the", "shit", "bomb", "bad", "ass", "yeah", "right", "kiss", "death", "to", "die",
    "for", "isn't", "don't", "n't", "it's", "I'm", "we'll", "they've", "really", "extremely", "barely",
    "slightly", "or", "nor", "just", "enough", "really", "quickly", "nicely", "!", "!!", "?", "??", "????",
    "...", ".", ",", '"', "'", "“", "”", "‘", "’", "e.g.", "U.S.", "Mr.", "etc.", "T.", "(!)", "( ! )", "(",
    ")", ":)", ": )", ":-(", ":(", ": (", ";)", ":'(", "xD", "XD", "<3", "♥", ">:D", "=(", ":/", ":\\",
    "😍", "👍", "💔", "😡", "🙂", "\n\n", "\r\n", "\n", "END-OF-SENTENCE", "café", "ſure", "K",
)  # fmt: skip
# A few words that meet in the rules, so that short random texts combine them often.
_DENSE = (
    "good", "bad", "GREAT", "not", "no", "never", "so", "this", "very", "VERY", "least", "at", "but", "kind", "of",
    "!", ":", ")",
)  # fmt: skip


def _joined(pieces: tuple[str, ...], max_size: int) -> st.SearchStrategy[str]:
    words = st.lists(st.sampled_from(pieces), max_size=max_size)
    return words.flatmap(
        lambda chosen: st.lists(
            st.sampled_from((" ", " ", "", "  ", "\t")), min_size=len(chosen), max_size=len(chosen)
        ).map(lambda gaps: "".join(p + g for p, g in zip(chosen, gaps, strict=True)))
    )


_TEXTS = st.one_of(_joined(_PIECES, 25), _joined(_DENSE, 8), st.text(max_size=80))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
@example("not very good")
@example("a b this good")
@example("the thing never so good")
@example("it was at least good, not least bad")
def test_lexicon_parts_match_the_libraries_on_generated_texts(text: str) -> None:
    analyzer = _vader()
    assert compound(analyzer, text) == analyzer.polarity_scores(text)["compound"]
    assert polarity(text) == textblob_sentiment(text)[0]


# (Texts where searching in lower case differs, with "ſupport", get every rule as written.)
_NEAR_SUPPORT = (
    "support", "Support", "SUPPORT", "supportive", "support,", "wrote", "to", "chatted", "with", "emailed",
    "Acme", "(Acme", "O'Brien", "said", "said,", "saidx", "never", "just", "justice", "team", "x", "-",
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_NEAR_SUPPORT), st.sampled_from((" ", "  ", "\t", "\n", "\u00a0", "", ","))
        ),
        max_size=10,
    ).map(lambda pieces: "".join(word + gap for word, gap in pieces))
)
@example("I wrote to support")
@example("chatted with\tSupport, Acme support said no")
@example("emailed support support justice Acme support\u00a0said")
def test_a_rule_that_minds_case_rewrites_around_its_key_as_in_the_whole_text(text: str) -> None:
    for pattern in _KEY_OF:
        word = next(word for _, rule, word in _PHRASE_RULES if rule is pattern)
        assert _sub_from_key(pattern, word, text, text.lower()) == pattern.sub(word, text)


# Words of the phrase rules and of the sarcasm patterns, in several cases, beside characters other
# than ASCII: some that ignoring case takes for an ASCII letter ("ſ" for "s", the Kelvin sign for
# "k"), some it does not.
_NEAR_PHRASES = (
    "doesn't", "DOESN'T", "didnt", "work", "Working", "worKs", "no", "reply", "still", "refund", "never",
    "heard", "back", "on", "hold", "save", "ſave", "your", "money", "returned", "it", "İt", "without", "any",
    "fuss", "can't", "recommend", "enough", "been", "better", "at", "best", "would", "be", "nicer", "if", "tech",
    "support", "Support", "ſupport", "wo", "n't", "yeah", "Yeah,", "right", "ſure", "jan", "thanks", "a", "lot",
    "just", "great,", "oh", "joy", "/s", "#sarcasm", "late", "stuck", "café", "ı", "🙄", "😒", "naïve",
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(_joined(_NEAR_PHRASES, 12))
@example("The app worKs no longer, still no reply 🙄")
@example("ſave your money, naïve me")
def test_phrases_and_sarcasm_are_found_in_lower_case_where_the_patterns_find_them(text: str) -> None:
    plain = text
    for _, pattern, word in _PHRASE_RULES:
        plain = pattern.sub(word, plain)
    assert _phrases_rewritten(text) == plain
    for pattern, needs in ((_SARCASM, _SARCASM_NEEDS), (_IRONIC_THANKS, _IRONIC_THANKS_NEEDS)):
        assert _found(pattern, text, needs) == (pattern.search(text) is not None)


# The characters of pattern's emoticons, spaced and not, beside paragraph breaks (which end a
# sentence, though a ")" after one joins the sentence before it) and the sarcasm mark.
_FACE_PIECES = (
    *sorted({char for face in _FACES for char in face}),
    "good",
    "bad",
    "not",
    "(!)",
    "( ! )",
    "\n\n",
    ".",
    "!",
)


@settings(max_examples=1000, deadline=None)
@given(_joined(_FACE_PIECES, 14))
@example("= \n\n) ) ")
@example("8  \n\n \n\n) X♥ !(  \n\n\\  ")
@example("\\ sb' not 8\n\n  ) ")
def test_emoticons_split_by_the_tokenizer_are_joined_as_the_library_joins_them(text: str) -> None:
    library = [word for word in " ".join(_text.find_tokens(text)).split() if word != _text.EOS]
    assert tokens(text) == library
    assert polarity(text) == textblob_sentiment(text)[0]


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(("but", "BUT", "good", "bad", "x")),
            st.sampled_from((0, 0.0, 1.0, 2.0, 0.5, 1.5, 3.0, 0.75, 2.25, -1.0, -2.0, -0.5, -1.5, 4.5)),
        ),
        max_size=20,
    ).filter(lambda pairs: any(word.lower() == "but" for word, _ in pairs))
)
@example([("good", 2.0), ("x", 1.0), ("but", 0), ("bad", 2.0), ("good", 1.0)])
def test_the_but_rule_weighs_as_the_library_does_quirks_included(pairs: list[tuple[str, float]]) -> None:
    """Values that repeat, and that a weighting makes equal to a later word's (1.0 halved is 0.5)."""
    words = [word for word, _ in pairs]
    sentiments = [value for _, value in pairs]
    expected = SentimentIntensityAnalyzer._but_check(words, list(sentiments))
    assert _but_weighted([word.lower() for word in words], sentiments) == expected


def test_tokens_split_from_the_cache_are_split_as_the_library_splits_them(monkeypatch) -> None:
    """Punctuated tokens repeat: split once, then read from a cache that keeps the last few."""
    kept = lru_cache(maxsize=3)(pattern_polarity._split_off_punctuation.__wrapped__)
    monkeypatch.setattr(pattern_polarity, "_split_off_punctuation", kept)
    texts = [
        "It broke. Again. It broke.",
        "'Great', they said... U.S. Mr. e.g. it.",
        "(wow) 'ok' it. Again.",
    ] * 2
    for text in texts:
        library = [word for word in " ".join(_text.find_tokens(text)).split() if word != _text.EOS]
        assert tokens(text) == library
    assert 0 < kept.cache_info().currsize <= 3

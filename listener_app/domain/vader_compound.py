"""VADER's compound score, the same figure `SentimentIntensityAnalyzer.polarity_scores(text)
["compound"]` gives (vaderSentiment 3.3.2), in about a third of the time.

The library lower-cases the whole word list again for every sentiment word it checks for a
negation or an idiom (quadratic in the length of a post), builds the emoji-free text one
character at a time and computes three proportions nobody here reads. This follows its rules
step by step on one lower-cased word list, quirks included (`_but_weighted`).
tests/domain/test_fast_scorers.py compares the two on the ground-truth sets, the demo's posts and
generated texts full of boosters, negations and idioms.
"""

from __future__ import annotations

import math
import re
import string

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
)

_NEGATE = frozenset(NEGATE)
_PUNCTUATION = string.punctuation
_SO_THIS = ("so", "this")
# Boosters made of several words ("kind of"): only they can match the n-grams the idiom rule
# builds, and only words of them can start one.
_NGRAM_BOOSTERS = {key: value for key, value in BOOSTER_DICT.items() if " " in key}
_IDIOM_WORDS = frozenset(word for key in (*SPECIAL_CASES, *_NGRAM_BOOSTERS) for word in key.split())


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _without_emoji(text: str, emojis: dict[str, str]) -> str:
    """Emoji replaced by their descriptions, spaced as the library spaces them (a space before a
    description unless one is there, none after). The library reads the text one character at a
    time, so only the table's one-character emoji are ever replaced; only the characters that
    can be one are looked up (a post with an accent took 18 us, character by character)."""

    def described(match: re.Match[str]) -> str:
        char = match.group()
        description = emojis.get(char)
        if description is None:
            return char
        start = match.start()
        return description if start == 0 or text[start - 1] == " " else " " + description

    return _NON_ASCII.sub(described, text)


def _negated(word: str) -> bool:
    return word in _NEGATE or "n't" in word


def _idioms(valence: float, lower: list[str], i: int) -> float:
    """The library's _special_idioms_check, on the lower-cased words (i >= 3)."""
    window = lower[i - 3 : i + 3]
    if _IDIOM_WORDS.isdisjoint(window):
        return valence  # no idiom or multi-word booster can match
    onezero = f"{lower[i - 1]} {lower[i]}"
    twoonezero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
    twoone = f"{lower[i - 2]} {lower[i - 1]}"
    threetwoone = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
    threetwo = f"{lower[i - 3]} {lower[i - 2]}"
    for sequence in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if sequence in SPECIAL_CASES:
            valence = SPECIAL_CASES[sequence]
            break
    if len(lower) - 1 > i:
        zeroone = f"{lower[i]} {lower[i + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
    if len(lower) - 1 > i + 1:
        zeroonetwo = f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"
        if zeroonetwo in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroonetwo]
    for ngram in (threetwoone, threetwo, twoone):
        if ngram in BOOSTER_DICT:
            valence = valence + BOOSTER_DICT[ngram]
    return valence


def _negation(valence: float, lower: list[str], start: int, i: int) -> float:
    """The library's _negation_check: the word `start + 1` places before the sentiment word."""
    if start == 0:
        if _negated(lower[i - 1]):
            valence = valence * N_SCALAR
    elif start == 1:
        if lower[i - 2] == "never" and lower[i - 1] in _SO_THIS:
            valence = valence * 1.25
        elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
            pass
        elif _negated(lower[i - 2]):
            valence = valence * N_SCALAR
    else:
        if (lower[i - 3] == "never" and lower[i - 2] in _SO_THIS) or lower[i - 1] in _SO_THIS:
            valence = valence * 1.25
        elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
            pass
        elif _negated(lower[i - 3]):
            valence = valence * N_SCALAR
    return valence


def _valence(
    words: list[str], lower: list[str], i: int, lexicon: dict[str, float], cap_differs: bool
) -> float:
    """The library's sentiment_valence for the word at `i` (a lexicon word)."""
    item, item_lower = words[i], lower[i]
    last = len(words) - 1
    valence = lexicon[item_lower]
    if item_lower == "no" and i != last and lower[i + 1] in lexicon:
        valence = 0.0
    if (
        (i > 0 and lower[i - 1] == "no")
        or (i > 1 and lower[i - 2] == "no")
        or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor"))
    ):
        valence = lexicon[item_lower] * N_SCALAR
    if cap_differs and item.isupper():
        valence = valence + C_INCR if valence > 0 else valence - C_INCR
    for start in range(3):
        if i > start and lower[i - (start + 1)] not in lexicon:
            before = lower[i - (start + 1)]
            scalar = 0.0
            if before in BOOSTER_DICT:  # the library's scalar_inc_dec
                scalar = BOOSTER_DICT[before]
                if valence < 0:
                    scalar *= -1
                if words[i - (start + 1)].isupper() and cap_differs:
                    scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
            if start == 1 and scalar != 0:
                scalar = scalar * 0.95
            if start == 2 and scalar != 0:
                scalar = scalar * 0.9
            valence = valence + scalar
            valence = _negation(valence, lower, start, i)
            if start == 2:
                valence = _idioms(valence, lower, i)
    if i > 1 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        if lower[i - 2] != "at" and lower[i - 2] != "very":
            valence = valence * N_SCALAR
    elif i > 0 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        valence = valence * N_SCALAR
    return valence


def _but_weighted(lower: list[str], sentiments: list[float]) -> list[float]:
    """The library's _but_check: each word's sentiment counts half before the first "but" and
    one and a half after it, with its quirk: for each word in turn, the first word with the same
    sentiment so far is the one changed (so of two words scored alike, the first is changed
    twice). Its copy looked that first word up among all words for every word of the post and
    moved the list's items to change one (41 us a post with a "but"); this looks only among the
    words with a sentiment, for them alone: a zero changed stays zero, and no lookup can find it."""
    but = lower.index("but")
    positions = [position for position, value in enumerate(sentiments) if value]
    originals = [sentiments[position] for position in positions]  # each read before any change
    values = list(originals)  # as changed so far
    weighted = list(sentiments)
    for value in originals:
        at = values.index(value)
        position = positions[at]
        if position != but:
            values[at] = weighted[position] = value * (0.5 if position < but else 1.5)
    return weighted


def compound(analyzer: SentimentIntensityAnalyzer, text: str) -> float:
    """polarity_scores(text)["compound"] of `analyzer` (its lexicon and emoji table)."""
    if not text.isascii():
        text = _without_emoji(text, analyzer.emojis)
    text = text.strip()
    # each token without the punctuation around it, unless that leaves two characters or fewer
    words = [token if len(bare := token.strip(_PUNCTUATION)) <= 2 else bare for token in text.split()]
    if not words:
        return 0.0
    lower = list(map(str.lower, words))
    lexicon = analyzer.lexicon
    capitals = sum(map(str.isupper, words))
    cap_differs = 0 < len(words) - capitals < len(words)
    last = len(words) - 1
    sentiments: list[float] = [0] * len(lower)  # most words are in no lexicon: only those are read
    for i in [i for i, word in enumerate(lower) if word in lexicon]:
        word = lower[i]
        if word not in BOOSTER_DICT and not (i < last and word == "kind" and lower[i + 1] == "of"):
            sentiments[i] = _valence(words, lower, i, lexicon, cap_differs)
    if "but" in lower:
        sentiments = _but_weighted(lower, sentiments)
    total = float(sum(sentiments))
    emphasis = min(text.count("!"), 4) * 0.292
    questions = text.count("?")
    emphasis += (questions * 0.18 if questions <= 3 else 0.96) if questions > 1 else 0
    if total > 0:
        total += emphasis
    elif total < 0:
        total -= emphasis
    score = total / math.sqrt(total * total + 15)
    return round(max(-1.0, min(1.0, score)), 4)

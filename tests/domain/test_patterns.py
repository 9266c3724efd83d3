"""Cue patterns as trees of shared beginnings find a match exactly where the plain alternation does."""

from __future__ import annotations

import ast
import random
import re
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from listener_app.domain import intent
from listener_app.domain.patterns import Finder, any_of, lower_case_matches, split_alternatives

WORDS = (
    "broken", "broke", "bug", "still", "no", "reply", "refund", "please", "add", "would", "be", "great", "thanks",
    "love", "why", "is", "my", "order", "where", "can't", "log", "in", "3", "weeks", "later", "$20", "fee", "again",
    "so-called", '"premium"', "plan", "anyone", "know", "how", "do", "i", "🙄", "paid", "for", "a", "room", "got",
    "the", "car", "park", ",", ".", "?", "!", "\n", "café", "wish", "it", "had", "more", "sizes", "hiring",
    "been", "waiting", "2nd", "10", "1O", "times", "mins", "x2", "£35", "a$20", "#jobs", "x#jobs", ".again",
    "x.again", "(broken", "-still", "naïve", "❤", "😍", "_love", "é", "",
)  # fmt: skip


def _texts(count: int, seed: int) -> list[str]:
    """Words joined by a space, or now and then by nothing, a comma or a line break."""
    rnd = random.Random(seed)
    return [
        "".join(
            rnd.choice(WORDS) + rnd.choice((" ", " ", " ", "", ",", "\n")) for _ in range(rnd.randint(0, 25))
        )
        for _ in range(count)
    ]


def _plain_sources() -> dict[str, str]:
    """The plain source each of intent's `NAME = cues(source)` or `NAME = Finder(source)` was made
    from, read from the module."""
    found = {}
    for node in ast.parse(Path(intent.__file__).read_text(encoding="utf-8")).body:
        call = node.value if isinstance(node, ast.Assign) else None
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id in ("cues", "Finder")
        ):
            name = node.targets[0].id  # type: ignore[union-attr]
            found[name] = eval(compile(ast.Expression(call.args[0]), "intent", "eval"), vars(intent))
    return found


PLAIN = _plain_sources()


def test_split_alternatives_keeps_groups_classes_and_escapes_whole() -> None:
    assert split_alternatives(r"a|(?:b|c)d|[|(]e|\|f|") == ["a", "(?:b|c)d", "[|(]e", r"\|f", ""]
    assert split_alternatives(r"[]|]x|y") == ["[]|]x", "y"]


def test_any_of_shares_beginnings_and_distributes_groups() -> None:
    assert any_of([r"\bbroken\b", r"\bbug\b", "x"]) == r"\b(?:b(?:roken\b|ug\b))|x"
    assert any_of([r"(?:^|\s)x"]) == r"\sx|^x"
    assert any_of(["a?b", "ab", "ab"]) == "ab|a?b"  # a quantified first character is not shared
    assert any_of(["a+b", "ac"]) == "a(?:c|a*b)"  # ... but for a greedy "+": "a" then "a*"
    assert any_of([r"\d+ days", r"\d+(?:st|nd) time"]) == r"\d(?:\d* days|\d*(?:st|nd) time)"
    assert any_of([r"\d+?x", r"\d+y"]) == r"\d\d*y|\d+?x"
    assert any_of([r"\.x", r"\.y"]) == r"\.(?:x|y)"  # an escaped character or class is one element
    assert any_of([r"\x41b", r"\x41c", r"\1a", r"\1b"]) == r"\x41b|\x41c|\1a|\1b"  # longer escapes are not
    assert any_of([r"(?:been )?waiting", "went"]) == "been waiting|w(?:aiting|ent)"  # an optional group
    assert any_of([r"(?:a )??b", "c"]) == r"c|(?:a )??b"  # (not a lazy one)


def test_every_cue_pattern_of_intent_is_compared() -> None:
    assert len(PLAIN) >= 12


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_intent_cues_match_where_their_plain_pattern_does(name: str) -> None:
    faster = getattr(intent, name)
    tree = re.compile(faster.source) if isinstance(faster, Finder) else faster
    plain = re.compile(PLAIN[name], tree.flags)
    assert plain.pattern != tree.pattern
    for text in _texts(3000, seed=len(name)):
        assert (tree.search(text) is None) == (plain.search(text) is None), text
        assert (tree.match(text) is None) == (plain.match(text) is None), text
        if isinstance(faster, Finder):
            assert faster.found(text) == (plain.search(text) is not None), text
            assert faster.found_at_start(text) == (plain.match(text) is not None), text


# Sources that reach each way Finder searches for a part: after a word boundary, a word
# character (or a group of alternatives that open with one, or a digit repeated) or something
# else (a character, an escaped one, a class, a group that may be skipped, a look behind that
# sees before the text, a start); at the start; a character other than ASCII; a back reference
# (the tree stays whole).
_FINDER_SOURCES = (
    r"\bfoo|\b(?:ba|ca)r\b|\b\d{1,2}x|\b#bar|\b[.!]\s*baz|\b\.qux|\bo(?<!^o)y|\b^zed|^qux|🙄|[❤😍]x|z_",
    r"\b(?:x|#)y|\b\s*foo|\b\Bfoo|\b[^a]b|\b[a-c]d|\b\w+ much\?*\s*$|\b(?:ab)*#c",
    r"(a)\1|\bfoo",
    r"\b(?P<x>a)b(?P=x)|\bé+t|\b_a",
    r"(b)c|(a)\2|\bfoo",
    r"é?z|[❤😍]*y|😍+x|[é]{0,2}q",
)
_FINDER_PIECES = (
    "foo", "bar", "car", "ba", "#", "#bar", ".", "!", " ", "\n", "baz", "qux", "x", "y", "o", "oy", "zed", "12",
    "123", "🙄", "❤", "😍", "a", "aa", "b", "d", "é", "ét", "_", "_a", "much", "?", "z_", "ab", "#c", "z", "q",
)  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_FINDER_PIECES), max_size=12).map("".join))
@example("#bar")
@example("x#bar 12x")
@example("zed")
@example("a aa")
def test_a_finder_finds_a_match_where_the_plain_pattern_does(text: str) -> None:
    for source in _FINDER_SOURCES:
        finder = Finder(source)
        assert finder.found(text) == (re.search(source, text) is not None), (source, text)
        assert finder.found_at_start(text) == (re.match(source, text) is not None), (source, text)


def test_a_real_question_is_found_as_the_pattern_finds_it() -> None:
    pattern = re.compile(r"\w[^?\n]{3,300}\?")
    rnd = random.Random(7)
    texts = _texts(2000, seed=3) + [
        "".join(rnd.choice("ab ?\n.é_") for _ in range(rnd.randint(0, 60))) for _ in range(5000)
    ]
    texts += [
        "a" * n + "\n" * m + "b" * k + "?"
        for n in (0, 1, 299, 300, 301)
        for m in (0, 1)
        for k in (0, 3, 4, 302)
    ]
    for text in texts:
        assert intent._real_question(text) == (pattern.search(text) is not None), repr(text)


def test_lower_case_matches_knows_every_character_that_ignoring_case_takes_for_an_ascii_letter() -> None:
    """Among all characters, those for which searching a lower-cased text is not searching the
    text with IGNORECASE: one that matches an ASCII letter, or whose lower case is not one
    character, is ASCII, or is a word character, a space or a digit where it was not."""
    letter = re.compile("[a-z]", re.IGNORECASE)
    kinds = [re.compile(kind) for kind in (r"\w", r"\s", r"\d")]
    odd = []
    for code in range(0x80, sys.maxunicode + 1):
        char = chr(code)
        lower = char.lower()
        if letter.fullmatch(char) is not None or (
            lower != char
            and (
                len(lower) != 1
                or lower.isascii()
                or any((kind.fullmatch(char) is None) != (kind.fullmatch(lower) is None) for kind in kinds)
            )
        ):
            odd.append(char)
    assert odd == ["\u0130", "\u0131", "\u017f", "\u212a"]
    assert not any(lower_case_matches(f"Café {char}") for char in odd)
    assert lower_case_matches("Café 🙄 ÆØÅ") and lower_case_matches("plain")

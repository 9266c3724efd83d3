"""Faster cue patterns for questions of "is any of these somewhere in the text?".

Python's `re` tries the alternatives of an alternation one after another at every position of
the text; a pattern of two hundred cues written one after another (intent's families of cues)
costs tens of microseconds per post. `any_of` writes the same alternation as a tree of shared
beginnings ("broken|broke|bug" as "b(?:roke(?:n|)|ug)", "\\bfoo|\\bbar" as "\\b(?:foo|bar)"), so
that at each position one look at the next character rules out most cues at once.

The tree matches at a position exactly when some alternative does (the set of texts each
position matches is the same), but not always the same stretch of text: use the result for
whether and where a match starts (`search(...) is not None`, `match`), not for what it matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_SPECIAL = set("\\.^$*+?{}[]|()")
_QUANTIFIERS = set("*+?{")
_BOUNDARY = r"\b"
_LONG_ESCAPES = set("xuUN")  # escapes of more than one character after the backslash (and digits)
DISTRIBUTED_CHARS = 2000


def split_alternatives(source: str) -> list[str]:
    """The top-level alternatives of a pattern's source ('a|(?:b|c)|d' -> ['a', '(?:b|c)', 'd'])."""
    parts, start = [], 0
    for at, char, depth in _syntax(source):
        if char == "|" and depth == 0:
            parts.append(source[start:at])
            start = at + 1
    parts.append(source[start:])
    return parts


def _syntax(source: str) -> Iterator[tuple[int, str, int]]:
    """(position, character, depth in groups after it) of each character of `source` that is
    neither escaped nor in a character class."""
    depth, at = 0, 0
    while at < len(source):
        char = source[at]
        if char == "\\":
            at += 2
            continue
        if char == "[":
            at = _class_end(source, at)
            continue
        depth += 1 if char == "(" else -1 if char == ")" else 0
        yield at, char, depth
        at += 1


def _class_end(source: str, at: int) -> int:
    """The position after the character class that opens at `at`."""
    at += 1
    if at < len(source) and source[at] == "^":
        at += 1
    if at < len(source) and source[at] == "]":  # a ']' first is a member
        at += 1
    while at < len(source) and source[at] != "]":
        at += 2 if source[at] == "\\" else 1
    return at + 1


def _distributed(alternative: str) -> list[str] | None:
    """The alternatives of a group followed by the rest ('(?:a|b)c' -> ['ac', 'bc']) when the
    alternative opens with a non-capturing group that no quantifier but a greedy "?" follows
    (and copying the rest adds at most DISTRIBUTED_CHARS), else None."""
    end = _group_end(alternative)
    if end is None:
        return None
    body, rest = split_alternatives(alternative[3 : end - 1]), alternative[end:]
    if rest[:1] == "?" and rest[1:2] not in ("?", "+"):  # an optional group: '(?:a )?b' -> ['a b', 'b']
        body, rest = [*body, ""], rest[1:]
    elif rest[:1] in _QUANTIFIERS:
        return None
    if len(rest) * (len(body) - 1) > DISTRIBUTED_CHARS:
        return None
    return [part + rest for part in body]


def _group_end(alternative: str) -> int | None:
    """The position after the non-capturing group the alternative opens with, if it does."""
    if not alternative.startswith("(?:"):
        return None
    return next((at + 1 for at, char, depth in _syntax(alternative) if char == ")" and depth == 0), None)


def _first(alternative: str) -> str | None:
    """The alternative's first element when it is a word boundary, one plain character or one
    escaped character or class (\\d, \\s, \\.) that no quantifier but a greedy "+" follows (what
    a tree of shared beginnings can share: "\\d+x" is "\\d" then "\\d*x"), else None."""
    if alternative.startswith(_BOUNDARY):
        return _BOUNDARY
    if alternative[:1] == "\\":
        first = alternative[:2]
        if len(first) < 2 or first[1] in _LONG_ESCAPES or first[1].isdigit():
            return None
    elif not alternative or alternative[0] in _SPECIAL:
        return None
    else:
        first = alternative[0]
    after = alternative[len(first) : len(first) + 2]
    if after[:1] in _QUANTIFIERS and (after[:1] != "+" or after[1:] in ("?", "+")):
        return None
    return first


def any_of(alternatives: list[str]) -> str:
    """The alternation of `alternatives` (pattern sources) as a tree of shared beginnings; an
    alternative that opens with a group '(?:a|b)c' counts as its alternatives 'ac', 'bc'."""
    flat: list[str] = []
    pending = list(reversed(alternatives))
    while pending:
        alternative = pending.pop()
        parts = _distributed(alternative)
        if parts is None:
            flat.append(alternative)
        else:
            pending += reversed(parts)
    shared: dict[str, list[str]] = {}
    others: list[str] = []
    for alternative in dict.fromkeys(flat):
        first = _first(alternative)
        if first is None:
            others.append(alternative)
        else:
            rest = alternative[len(first) :]
            if rest[:1] == "+":  # "x+..." shares "x", then "x*..."
                rest = first + "*" + rest[1:]
            shared.setdefault(first, []).append(rest)
    return "|".join([_branch(first, rests) for first, rests in shared.items()] + others)


def _branch(first: str, rests: list[str]) -> str:
    inner = any_of(rests)
    return first + (inner if [inner] == rests else f"(?:{inner})")


def cues(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source)` as a tree of shared beginnings (see the module's note)."""
    return re.compile(any_of(split_alternatives(source)), flags)


# The characters besides ASCII letters that re.IGNORECASE matches to an ASCII letter (dotted and
# dotless I, long s, the Kelvin sign); the first is also the one character whose lower case is two
# characters. tests/domain/test_patterns.py finds them among every character.
_FOLDING_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


def lower_case_matches(text: str) -> bool:
    """Whether searching `text.lower()` for a pattern written in lower-case ASCII (without
    IGNORECASE) finds a match exactly when searching `text` with IGNORECASE does: true unless the
    text holds a character that ignoring case matches to an ASCII letter. (Lowering the others
    keeps each one character, not ASCII, and a word character, a space or a digit as it was.)"""
    return text.isascii() or _FOLDING_TO_ASCII.search(text) is None

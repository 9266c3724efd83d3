"""Faster cue patterns for questions of "is any of these somewhere in the text?".

Python's `re` tries the alternatives of an alternation one after another at every position of
the text; a pattern of two hundred cues written one after another (intent's families of cues)
costs tens of microseconds per post. `any_of` writes the same alternation as a tree of shared
beginnings ("broken|broke|bug" as "b(?:roke(?:n|)|ug)", "\\bfoo|\\bbar" as "\\b(?:foo|bar)"), so
that at each position one look at the next character rules out most cues at once.

The tree matches at a position exactly when some alternative does (the set of texts each
position matches is the same), but not always the same stretch of text: use the result for
whether and where a match starts (`search(...) is not None`, `match`), not for what it matched.

`Finder` asks "is any of these somewhere in the text?" faster still. A search tries the pattern
at every position of the text; where the pattern opens with a word boundary ("\\b(?:broken|..."),
each try is cheap but there is one per character (about 17 ns). Searching instead for a
character that is not a word character followed by the rest ("\\W(?:broken|...") in the text
after a space, `re` skips in one quick loop to the next such character (a space, a comma), the
only places where a word can begin.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

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
    """(position, character, depth in groups after it) of each "(", ")" and "|" of `source`
    that is neither escaped nor in a character class (found by a pattern that skips the other
    characters: building intent's trees took twice as long a character at a time)."""
    depth, at = 0, 0
    while (token := _STRUCTURE.search(source, at)) is not None:
        char, at = token.group(), token.end()
        if char[0] == "\\":
            continue
        if char == "[":
            at = _class_end(source, token.start())
            continue
        depth += 1 if char == "(" else -1 if char == ")" else 0
        yield token.start(), char, depth


_STRUCTURE = re.compile(r"\\.|[\[()|]", re.DOTALL)


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


class Finder:
    """Whether `re.compile(source)` matches somewhere in a text (`found`), or at its start
    (`found_at_start`), found faster (see the module's note). The alternatives of the source's
    tree (`source`, what `cues` compiles) are searched for in parts: those that open with a word
    boundary before a word character, after a non-word character in the text after a space;
    those that open with "^", at the start only; those that open with a character other than
    ASCII, only in a text that has one; each other one by itself, so that `re` skips ahead to
    the characters it can open with (a word boundary before a character that is not a word
    character is looked for behind that character: "\\b#jobs" as "#(?<=\\w#)jobs")."""

    __slots__ = ("_non_ascii", "_others", "_start", "_words", "source")

    def __init__(self, source: str) -> None:
        self.source = any_of(split_alternatives(source))
        parts = _parts(self.source)
        self._words = _compiled(r"\W(?:{})", parts.words)
        self._start = _compiled("^(?:{})", parts.starts)
        self._non_ascii = _compiled("{}", parts.non_ascii)
        self._others = tuple(re.compile(other) for other in parts.others)

    def found(self, text: str) -> bool:
        if self._words is not None and self._words.search(" " + text) is not None:
            return True
        if self._start is not None and self._start.match(text) is not None:
            return True
        if self._non_ascii is not None and not text.isascii() and self._non_ascii.search(text) is not None:
            return True
        return any(other.search(text) is not None for other in self._others)

    def found_at_start(self, text: str) -> bool:
        return (
            (self._words is not None and self._words.match(" " + text) is not None)
            or (self._start is not None and self._start.match(text) is not None)
            or (self._non_ascii is not None and self._non_ascii.match(text) is not None)
            or any(other.match(text) is not None for other in self._others)
        )


class _Parts(NamedTuple):
    words: list[str]
    starts: list[str]
    non_ascii: list[str]
    others: list[str]


def _compiled(form: str, alternatives: list[str]) -> re.Pattern[str] | None:
    return re.compile(form.format("|".join(alternatives))) if alternatives else None


def _parts(tree: str) -> _Parts:
    """A tree's alternatives as Finder searches for them: what follows the word boundary in
    those that open with one and then a word character (but where a look behind could see the
    space Finder puts first), what follows "^" in those that open with it, those that open with
    a character other than ASCII, and the others. A tree with a back reference stays whole
    (apart, its groups would be numbered anew)."""
    parts = _Parts([], [], [], [])
    if _BACK_REFERENCE.search(tree) is not None:
        parts.others.append(tree)
        return parts
    for alternative in split_alternatives(tree):
        if alternative.startswith("^"):
            parts.starts.append(alternative[1:])
        elif _opens_with_other_than_ascii(alternative):
            parts.non_ascii.append(alternative)
        elif not alternative.startswith(_BOUNDARY):
            parts.others.append(alternative)
        else:
            rest = alternative[len(_BOUNDARY) :]
            for part in split_alternatives(rest[3:-1]) if _group_end(rest) == len(rest) else [rest]:
                if _opens_with_word(part) and _LOOKS_BACK.search(part) is None:
                    parts.words.append(part)
                elif part.startswith("^"):
                    parts.starts.append(f"{_BOUNDARY}(?:{part})")
                else:
                    parts.others.append(_boundary_behind(part))
    return parts


def _boundary_behind(part: str) -> str:
    """`\\b(?:part)` with the word boundary looked for behind the part's first character when
    that is surely not a word character (then the boundary is a word character before it)."""
    first = _leading(part)
    if first is None or not _not_word(first):
        return f"{_BOUNDARY}(?:{part})"
    return f"{first}(?<=\\w{first}){part[len(first) :]}"


def _leading(part: str) -> str | None:
    """The part's first element when it is one character, an escaped one or a class, and no
    quantifier follows it (each match opens with one character that it matches), else None."""
    first = part[: _class_end(part, 0)] if part[:1] == "[" else _first(part)
    if first is None or first == _BOUNDARY or part[len(first) : len(first) + 1] in _QUANTIFIERS:
        return None
    return first


def _members(element: str) -> str | None:
    """The characters a leading element matches, where it lists them: the character itself, the
    one escaped, or a class of plain characters (None for a range, a negated class, or an escape
    such as \\d, \\s or \\B)."""
    if element[:1] == "[":
        members = element[1:-1]
        return None if not members or members[0] == "^" or "\\" in members or "-" in members else members
    if element[:1] == "\\":
        return None if element[1:].isalnum() else element[1:]
    return element


def _not_word(element: str) -> bool:
    """Whether a leading element matches only characters that are not word characters."""
    if element in (r"\s", r"\W"):
        return True
    members = _members(element)
    return members is not None and not any(_WORD.fullmatch(char) for char in members)


def _opens_with_word(part: str) -> bool:
    """Whether every match of `part` opens with a word character."""
    if part.startswith("(?:"):
        end = _group_end(part)
        if end is None or part[end : end + 1] in ("?", "*") or part[end : end + 2] == "{0":
            return False
        return all(_opens_with_word(inner) for inner in split_alternatives(part[3 : end - 1]))
    first = _first(part)
    if first is None:  # a quantified first element: "\d{1,2}" opens with a digit all the same
        return _AT_LEAST_ONE_WORD.match(part) is not None
    return _WORD.fullmatch(first) is not None


def _opens_with_other_than_ascii(alternative: str) -> bool:
    """Whether every match of `alternative` opens with a character other than ASCII: its leading
    element is one such character, or a class of them only ("[❤😍]")."""
    first = _leading(alternative)
    members = None if first is None else _members(first)
    return bool(members) and not any(char.isascii() for char in members)


_WORD = re.compile(r"\w|\\[wd]")  # a word character, or a class of them
_AT_LEAST_ONE_WORD = re.compile(r"(?:\w|\\[wd])(?:\+|\{[1-9])")
_LOOKS_BACK = re.compile(r"\(\?<[=!]")
_BACK_REFERENCE = re.compile(r"\\[1-9]|\(\?P=")


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

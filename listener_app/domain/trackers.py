"""Tracker queries: named boolean queries that decide which mentions belong to a brand or topic.

    "acme phone" OR acmephone -job -hiring        ("acme phone" OR acmephone) AND NOT job AND NOT hiring
    (refund OR chargeback) AND acme
    acme NEAR/3 battery                           at most 3 words between them, either order
    acme NOT (job OR hiring)

Grammar (OR binds tighter than AND, as in the search bar: `a OR b c` is `(a OR b) AND c`):

    query  := and
    and    := or (["AND"] or)*
    or     := near ("OR" near)*
    near   := unary ["NEAR/n" unary]          (both sides a word or a phrase; bare NEAR is NEAR/10)
    unary  := "NOT" unary | "-" atom | atom
    atom   := "(" and ")" | "phrase" | word

Matching (`matches`) is local, over the title and the text: case-insensitive, accents folded,
on word boundaries (a word is a run of letters and digits, as in SQLite's unicode61 tokenizer).
Words match **as written**: `battery` does not match `batteries` (write `battery OR batteries`).
That keeps the local match no broader than a server's word search, so the translations for
the sources' own search APIs (`server_queries`) can be shown never to be narrower. A phrase
matches consecutive words within one field.

Every OR branch needs a word to look for (`acme OR -job` would match almost every post and
cannot be asked of any server); a query that is only exclusions is refused the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from listener_app.domain.errors import PositionedError

MAX_QUERY_CHARS = 1000
MAX_DEPTH = 24
DEFAULT_NEAR = 10
MAX_NEAR = 100


class TrackerQueryError(PositionedError):
    """A malformed tracker query."""


# ---------------------------------------------------------------- words


_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents (canonical decomposition, combining marks dropped)."""
    if text.isascii():  # nothing to decompose or drop: most posts, and a character at a time below
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def words(text: str) -> list[str]:
    """The folded words of a text: runs of letters and digits."""
    return _WORD.findall(fold(text))


# ---------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Term:
    text: str  # as typed (whitespace collapsed)
    phrase: bool
    words: tuple[str, ...] = ()  # folded; more than one means "consecutive"
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Near:
    left: Term
    right: Term
    distance: int


@dataclass(frozen=True)
class BoolOp:
    op: str  # AND, OR
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Negation:
    node: Node
    position: int = field(default=0, compare=False)


Node = Term | Near | BoolOp | Negation

_TOKEN = re.compile(r'\s+|\(|\)|-?"[^"]*"?|-?[^\s()"]+')
_NEAR = re.compile(r"NEAR(?:/(\d+))?")
_OPERATORS = ("AND", "OR", "NOT")


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(text) if not m.group().isspace()]
        self.index = 0
        self.length = len(text)
        self.depth = 0

    def peek(self, ahead: int = 0) -> str | None:
        i = self.index + ahead
        return self.tokens[i][0] if i < len(self.tokens) else None

    def position(self) -> int:
        return self.tokens[self.index][1] if self.index < len(self.tokens) else self.length

    def error(self, message: str, position: int | None = None) -> TrackerQueryError:
        return TrackerQueryError(message, self.position() if position is None else position)

    def parse(self) -> Node:
        if not self.tokens:
            raise self.error("A tracker needs at least one word to look for", 0)
        node = self.and_expr()
        if self.peek() == ")":
            raise self.error("')' without a matching '('")
        return node

    def and_expr(self) -> Node:
        parts: list[Node] = []
        while (tok := self.peek()) is not None and tok != ")":
            if tok == "AND":
                if not parts:
                    raise self.error("'AND' needs a word or phrase on its left")
                self.index += 1
                if self.peek() in (None, ")", "AND", "OR"):
                    raise self.error("'AND' needs a word or phrase on its right")
                continue
            if tok == "OR":
                raise self.error("'OR' needs a word or phrase on its left")
            parts.append(self.or_expr())
        if not parts:
            raise self.error("Expected a word, a phrase or '('")
        return parts[0] if len(parts) == 1 else BoolOp("AND", tuple(parts))

    def or_expr(self) -> Node:
        parts = [self.near_expr()]
        while self.peek() == "OR":
            self.index += 1
            if self.peek() in (None, ")", "AND", "OR"):
                raise self.error("'OR' needs a word or phrase on its right")
            parts.append(self.near_expr())
        return parts[0] if len(parts) == 1 else BoolOp("OR", tuple(parts))

    def near_expr(self) -> Node:
        start = self.position()
        left = self.unary()
        near = _NEAR.fullmatch(self.peek() or "")
        if near is None:
            return left
        near_position = self.position()
        if not isinstance(left, Term):
            raise self.error(f"'{near.group()}' joins two words or phrases", start)
        self.index += 1
        distance = int(near.group(1)) if near.group(1) else DEFAULT_NEAR
        if distance > MAX_NEAR:
            raise self.error(f"'{near.group()}': the distance is at most {MAX_NEAR} words", near_position)
        if self.peek() in (None, ")", *_OPERATORS):
            raise self.error(f"'{near.group()}' needs a word after it")
        right_position = self.position()
        right = self.unary()
        if not isinstance(right, Term):
            raise self.error(f"'{near.group()}' joins two words or phrases", right_position)
        if _NEAR.fullmatch(self.peek() or ""):
            raise self.error("Join NEAR pairs with AND: a NEAR/3 b AND b NEAR/3 c")
        return Near(left, right, distance)

    def unary(self) -> Node:
        tok, position = self.peek(), self.position()
        if tok is None or tok in ("AND", "OR", ")"):
            raise self.error("Expected a word, a phrase or '('")
        if _NEAR.fullmatch(tok):
            raise self.error(f"'{tok}' needs a word or phrase before it")
        self.index += 1
        if tok == "NOT" or (tok == "-" and self.peek() == "("):
            if self.peek() in (None, ")", *_OPERATORS):
                raise self.error(f"'{tok}' needs a word, a phrase or '(' after it")
            return Negation(self.unary(), position)
        if tok.startswith("-") and len(tok) > 1:
            return Negation(self.term(tok[1:], position + 1), position)
        if tok == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error("Too many nested parentheses", position)
            if self.peek() == ")":
                raise self.error("Empty parentheses", position)
            node = self.and_expr()
            if self.peek() != ")":
                raise self.error("Unclosed '('", position)
            self.index += 1
            self.depth -= 1
            return node
        return self.term(tok, position)

    def term(self, tok: str, position: int) -> Term:
        phrase = tok.startswith('"')
        if phrase:
            if len(tok) < 2 or not tok.endswith('"'):
                raise self.error("Unclosed quote", position)
            tok = tok[1:-1]
        found = tuple(words(tok))
        if not found:
            raise self.error(f"'{tok}' has no letters or digits to look for", position)
        return Term(" ".join(tok.split()), phrase, found, position)


def _anchored(node: Node) -> bool:
    """Whether every way of matching the node needs some word to be present."""
    if isinstance(node, Term | Near):
        return True
    if isinstance(node, Negation):
        return False
    if node.op == "AND":
        return any(_anchored(child) for child in node.nodes)
    return all(_anchored(child) for child in node.nodes)


def _check_anchored(node: Node) -> None:
    if isinstance(node, BoolOp):
        if node.op == "OR":
            for child in node.nodes:
                if not _anchored(child):
                    position = child.position if isinstance(child, Negation) else 0
                    raise TrackerQueryError(
                        "Each OR branch needs a word to look for: an exclusion alone would match "
                        "almost every post",
                        position,
                    )
        for child in node.nodes:
            if _anchored(child):
                _check_anchored(child)


def parse(text: str) -> Node:
    """Parse a tracker query; raises TrackerQueryError (with .position) when it is malformed."""
    if len(text) > MAX_QUERY_CHARS:
        raise TrackerQueryError(f"A tracker query is at most {MAX_QUERY_CHARS} characters", MAX_QUERY_CHARS)
    node = _Parser(text).parse()
    _check_anchored(node)
    if not _anchored(node):
        raise TrackerQueryError(
            "A tracker needs at least one word to look for, not only words to leave out", 0
        )
    return node


# ---------------------------------------------------------------- local matching


@dataclass(frozen=True)
class CompiledTracker:
    query: str
    node: Node
    languages: frozenset[str] = frozenset()  # empty: any language


def compile_tracker(query: str, languages: Iterable[str] | None = None) -> CompiledTracker:
    langs = frozenset(lang.strip().lower().replace("_", "-") for lang in languages or () if lang.strip())
    return CompiledTracker(query, parse(query), langs)


class _Doc:
    """A mention's fields as folded words, with where each word occurs."""

    def __init__(self, fields: Sequence[str | None]) -> None:
        self.fields = [words(f) for f in fields if f]
        self.present = {w for f in self.fields for w in f}
        self._where: list[dict[str, list[int]]] | None = None

    def where(self) -> list[dict[str, list[int]]]:
        if self._where is None:
            self._where = []
            for tokens in self.fields:
                index: dict[str, list[int]] = {}
                for i, token in enumerate(tokens):
                    index.setdefault(token, []).append(i)
                self._where.append(index)
        return self._where

    def spans(self, term: Term, field_no: int) -> list[int]:
        """Start positions of the term in one field."""
        first, *rest = term.words
        tokens = self.fields[field_no]
        return [
            i
            for i in self.where()[field_no].get(first, ())
            if all(i + k + 1 < len(tokens) and tokens[i + k + 1] == w for k, w in enumerate(rest))
        ]

    def has(self, term: Term) -> bool:
        if not all(w in self.present for w in term.words):
            return False
        return len(term.words) == 1 or any(self.spans(term, f) for f in range(len(self.fields)))

    def near(self, node: Near) -> bool:
        if not (self.has(node.left) and self.has(node.right)):
            return False
        left_len, right_len = len(node.left.words), len(node.right.words)
        for f in range(len(self.fields)):
            for a in self.spans(node.left, f):
                for b in self.spans(node.right, f):
                    gap = b - (a + left_len) if b >= a + left_len else a - (b + right_len)
                    if 0 <= gap <= node.distance:
                        return True
        return False


def _eval(node: Node, doc: _Doc) -> bool:
    if isinstance(node, Term):
        return doc.has(node)
    if isinstance(node, Near):
        return doc.near(node)
    if isinstance(node, Negation):
        return not _eval(node.node, doc)
    if node.op == "AND":
        return all(_eval(child, doc) for child in node.nodes)
    return any(_eval(child, doc) for child in node.nodes)


def language_ok(languages: frozenset[str], lang: str | None) -> bool:
    """A tracker with languages takes mentions in one of them, or of unknown language."""
    if not languages or not lang:
        return True
    lang = lang.strip().lower().replace("_", "-")
    return lang in languages or lang.split("-")[0] in languages


def matches(compiled: CompiledTracker, title: str | None, text: str | None, lang: str | None = None) -> bool:
    """Whether a mention belongs to the tracker (see the module docstring for the rules)."""
    return language_ok(compiled.languages, lang) and _eval(compiled.node, _Doc((title, text)))


# ---------------------------------------------------------------- FTS5 pre-selection


def _fts_term(term: Term) -> str:
    return '"' + " ".join(term.words).replace('"', '""') + '"'


def to_fts(node: Node) -> str:
    """An FTS5 expression that matches at least every mention the tracker matches.

    Exclusions are left out (FTS5's stemming would exclude `jobs` for `-job`, which the local
    match keeps); the stemmer only makes the rest broader. The local match decides."""
    if isinstance(node, Term):
        return _fts_term(node)
    if isinstance(node, Near):
        return f"NEAR({_fts_term(node.left)} {_fts_term(node.right)}, {node.distance})"
    assert isinstance(node, BoolOp), "a negation has no positive FTS5 form"
    children = [to_fts(c) for c in node.nodes if _anchored(c)]
    return "(" + f" {node.op} ".join(children) + ")"


# ---------------------------------------------------------------- server-side translation

MAX_ALTERNATIVES = 16
MAX_SERVER_QUERY_CHARS = 400


@dataclass(frozen=True)
class Alternative:
    """One way of matching: all these terms present (what a server can be asked)."""

    terms: tuple[Term, ...]


def _dnf(node: Node) -> list[Alternative]:
    """Disjunctive form of the positive part, never narrower than the node.

    Exclusions become "anything" (servers are never asked to exclude: their word matching may
    stem or correct typos, and an exclusion applied more broadly than ours would lose posts).
    Where an AND would multiply into more than MAX_ALTERNATIVES, the later parts are left out,
    which is broader still; an OR of many branches keeps them all."""
    if isinstance(node, Term):
        return [Alternative((node,))]
    if isinstance(node, Near):
        return [Alternative((node.left, node.right))]
    if isinstance(node, Negation):
        return [Alternative(())]
    if node.op == "OR":
        return list(dict.fromkeys(alt for child in node.nodes for alt in _dnf(child)))
    parts = [_dnf(c) for c in node.nodes if _anchored(c)]
    kept, size = set(), 1
    for i in sorted(range(len(parts)), key=lambda i: len(parts[i])):  # the smallest first
        if not kept or size * len(parts[i]) <= MAX_ALTERNATIVES:
            kept.add(i)
            size *= len(parts[i])
    combined = [Alternative(())]
    for i in sorted(kept):  # in the order written
        combined = [Alternative(tuple(dict.fromkeys(a.terms + b.terms))) for a in combined for b in parts[i]]
    return list(dict.fromkeys(combined))


def alternatives(query: str | Node) -> list[Alternative]:
    """The tracker's alternatives, without any that another one already covers."""
    alts = _dnf(parse(query) if isinstance(query, str) else query)
    keys = [frozenset(a.terms) for a in alts]
    return [a for a, k in zip(alts, keys, strict=True) if not any(o < k for o in keys)]


def _render(term: Term) -> str:
    """A term in server syntax: its words only (no user punctuation can become an operator)."""
    spoken = _WORD.findall(term.text.lower()) or list(term.words)  # accents kept, as typed
    return spoken[0] if len(spoken) == 1 else '"' + " ".join(spoken) + '"'


def _each(alts: list[Alternative]) -> list[str]:
    return [" ".join(_render(t) for t in alt.terms) for alt in alts]


def _joined(parts: list[str], separator: str) -> list[str]:
    """OR-joined queries, split so none is longer than a server accepts."""
    out: list[str] = []
    for part in parts:
        if out and len(out[-1]) + len(separator) + len(part) <= MAX_SERVER_QUERY_CHARS:
            out[-1] += separator + part
        else:
            out.append(part)
    return out


def to_hackernews(query: str | Node) -> list[str]:
    """Algolia's `query`: words are ANDed, "quotes" make a phrase, there is no OR: one query
    per alternative."""
    return _each(alternatives(query))


def to_mastodon(query: str | Node) -> list[str]:
    """Mastodon's status search: words ANDed, "phrases"; no OR."""
    return _each(alternatives(query))


def to_stackexchange(query: str | Node) -> list[str]:
    """Stack Exchange /search/advanced `q`: free text, all words required; no OR."""
    return _each(alternatives(query))


def to_bluesky(query: str | Node) -> list[str]:
    """Bluesky searchPosts `q`: implicit AND, "phrases"; OR is not documented."""
    return _each(alternatives(query))


def to_github(query: str | Node) -> list[str]:
    """GitHub issue search: words ANDed, "phrases"; OR only in the newer advanced search."""
    return _each(alternatives(query))


def to_reddit(query: str | Node) -> list[str]:
    """Reddit search: AND implicit, OR and parentheses."""
    parts = [f"({q})" if " " in q and not q.startswith('"') else q for q in _each(alternatives(query))]
    return _joined(parts, " OR ")


def to_youtube(query: str | Node) -> list[str]:
    """YouTube search `q`: `a|b` is OR, "phrases". Single-term alternatives share one query;
    an alternative of several terms gets its own (how `|` groups with spaces is unspecified)."""
    rendered = _each(alternatives(query))
    single = [q for q in rendered if " " not in q or (q.startswith('"') and q.count('"') == 2)]
    several = [q for q in rendered if q not in single]
    return _joined(single, "|") + several


TRANSLATORS = {
    "hackernews": to_hackernews,
    "mastodon": to_mastodon,
    "stackexchange": to_stackexchange,
    "bluesky": to_bluesky,
    "github": to_github,
    "reddit": to_reddit,
    "youtube": to_youtube,
}


def server_queries(query: str | Node, kind: str) -> list[str]:
    """Search strings for a source kind's API that together return at least every post the
    tracker matches (they may return more: fetched posts are matched locally again). A kind
    with no translator of its own gets one plain query per alternative."""
    return TRANSLATORS.get(kind, to_hackernews)(query)

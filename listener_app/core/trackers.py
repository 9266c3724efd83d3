"""Tracker queries: named boolean queries that decide which mentions belong to a brand or topic.

    "acme phone" OR acmephone -job -hiring
    (refund OR chargeback) AND acme
    acme NEAR/3 battery
    acme NOT (job OR hiring)

Words and "phrases"; AND (also implied by a space), OR, NOT and -word; parentheses; NEAR/n
(both words within n words of each other). Matching is case- and accent-insensitive and, like
the search bar, matches word forms (battery / batteries): a tracker compiles to an FTS5
expression run against the workspace's full-text index, so `tracker:` and a search for the
same words always agree. `server_queries` translates a tracker into what a source's own
search API understands; those results are always checked locally again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from listener_app.core.errors import PositionedError


class TrackerQueryError(PositionedError):
    """A malformed tracker query."""


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool


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


Node = Term | Near | BoolOp | Negation

_TOKEN = re.compile(r'\s+|\(|\)|-?"[^"]*"?|NEAR/\d+|-?[^\s()"]+')


def _tokens(text: str) -> list[tuple[str, int]]:
    out = []
    for match in _TOKEN.finditer(text):
        if not match.group().isspace():
            out.append((match.group(), match.start()))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0
        self.length = len(text)

    def peek(self) -> str | None:
        return self.tokens[self.index][0] if self.index < len(self.tokens) else None

    def position(self) -> int:
        return self.tokens[self.index][1] if self.index < len(self.tokens) else self.length

    def parse(self) -> Node:
        if not self.tokens:
            raise TrackerQueryError("A tracker needs at least one word to look for", 0)
        node = self.or_expr()
        if self.peek() is not None:
            raise TrackerQueryError(f"Unexpected '{self.peek()}'", self.position())
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while self.peek() == "OR":
            self.index += 1
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else BoolOp("OR", tuple(parts))

    def and_expr(self) -> Node:
        parts = [self.unary()]
        while (tok := self.peek()) is not None and tok not in ("OR", ")"):
            if tok == "AND":
                self.index += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else BoolOp("AND", tuple(parts))

    def unary(self) -> Node:
        tok = self.peek()
        position = self.position()
        if tok is None or tok in ("OR", "AND", ")"):
            raise TrackerQueryError("Expected a word, a phrase or '('", position)
        if tok == "NOT":
            self.index += 1
            return Negation(self.unary())
        if tok.startswith("-") and len(tok) > 1:
            self.index += 1
            return Negation(self.term(tok[1:], position + 1))
        if tok == "(":
            self.index += 1
            node = self.or_expr()
            if self.peek() != ")":
                raise TrackerQueryError("Unclosed '('", position)
            self.index += 1
            return node
        self.index += 1
        left = self.term(tok, position)
        if (near := self.peek()) is not None and near.startswith("NEAR/"):
            self.index += 1
            right_tok, right_position = self.peek(), self.position()
            if right_tok is None or right_tok in ("OR", "AND", "NOT", "(", ")"):
                raise TrackerQueryError(f"'{near}' needs a word after it", right_position)
            self.index += 1
            return Near(left, self.term(right_tok, right_position), int(near[5:]))
        return left

    def term(self, tok: str, position: int) -> Term:
        if tok.startswith('"'):
            if len(tok) < 2 or not tok.endswith('"'):
                raise TrackerQueryError("Unclosed quote", position)
            tok, phrase = tok[1:-1], True
        else:
            phrase = False
        if not any(ch.isalnum() for ch in tok):
            raise TrackerQueryError(f"'{tok}' has no letters or digits to look for", position)
        return Term(" ".join(tok.split()), phrase)


def parse(text: str) -> Node:
    node = _Parser(text).parse()
    if not _has_positive(node):
        raise TrackerQueryError(
            "A tracker needs at least one word to look for, not only words to leave out", 0
        )
    return node


def _has_positive(node: Node) -> bool:
    if isinstance(node, Term | Near):
        return True
    if isinstance(node, Negation):
        return False
    return any(_has_positive(child) for child in node.nodes)


def _quote(term: Term) -> str:
    return '"' + term.text.replace('"', '""') + '"'


def to_fts(node: Node) -> str:
    """The FTS5 expression for a tracker (every user term quoted: no user syntax reaches FTS5)."""
    if isinstance(node, Term):
        return _quote(node)
    if isinstance(node, Near):
        return f"NEAR({_quote(node.left)} {_quote(node.right)}, {node.distance})"
    if isinstance(node, Negation):  # only reached inside an AND, see below
        return to_fts(node.node)
    positives = [c for c in node.nodes if not isinstance(c, Negation)]
    negatives = [c for c in node.nodes if isinstance(c, Negation)]
    if node.op == "OR":
        if negatives:  # "a OR -b" has no FTS5 form; it means a OR everything-but-b: keep a
            positives = positives or [negatives[0].node]
        return "(" + " OR ".join(to_fts(c) for c in positives) + ")"
    expression = " AND ".join(to_fts(c) for c in positives) if positives else ""
    if negatives:
        expression += " NOT (" + " OR ".join(to_fts(c.node) for c in negatives) + ")"
    return "(" + expression + ")"


def compile_tracker(text: str) -> str:
    return to_fts(parse(text))


# ---------------------------------------------------------------- server-side translation


def _positive_terms(node: Node) -> list[list[Term]]:
    """Disjunctive form of the positive part: any one list of terms together is a way to match."""
    if isinstance(node, Term):
        return [[node]]
    if isinstance(node, Near):
        return [[node.left, node.right]]
    if isinstance(node, Negation):
        return [[]]
    if node.op == "OR":
        return [alt for child in node.nodes for alt in _positive_terms(child)]
    combos: list[list[Term]] = [[]]
    for child in node.nodes:
        combos = [a + b for a in combos for b in _positive_terms(child)][:32]
    return combos


def server_queries(text: str, kind: str) -> list[str]:
    """Search strings for a source's API that together return at least everything the tracker
    matches (they may return more; the local match decides). One string per alternative for
    APIs without OR (Hacker News); one OR-string where the API has OR."""
    alternatives = [alt for alt in _positive_terms(parse(text)) if alt]
    rendered = [" ".join(f'"{t.text}"' if t.phrase else t.text for t in alt) for alt in alternatives]
    unique = list(dict.fromkeys(rendered))
    if kind in OR_CAPABLE and len(unique) > 1:
        return [" OR ".join(f"({q})" if " " in q else q for q in unique)]
    return unique


OR_CAPABLE = frozenset({"youtube", "github", "reddit"})  # search APIs that understand OR

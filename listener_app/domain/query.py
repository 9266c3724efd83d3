"""The search language: parsing a query into a small tree (no SQL here; db.search compiles it).

    query    := or_expr*                       terms side by side are ANDed
    or_expr  := unary ("OR" unary)*
    unary    := "-" atom | atom
    atom     := "(" query ")" | filter | "phrase" | word | word*
    filter   := key ":" value | "reach" op number      (op: > >= < <= =)

Free text (words, phrases, prefixes) is full-text search; filters are listed in FILTERS. Every
malformed query raises QueryError with the character position of the problem.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from difflib import get_close_matches

from listener_app.domain.errors import PositionedError
from listener_app.domain.models import INTENTS, SENTIMENTS, STATUSES
from listener_app.domain.normalize import format_utc

MAX_QUERY_CHARS = 2000
MAX_TERMS = 64
# A prefix (`batt*`) is looked up as every word it starts, in every mention that has one: `w*`
# matches thousands of words in a big workspace (7.9 s at 205k mentions), and 64 prefixes
# OR'ed took 12.1 s. A one-letter prefix finds nothing a person could read through anyway.
MIN_PREFIX_CHARS = 2
MAX_PREFIXES = 16
MAX_REACH = 10**18  # past any audience, and inside SQLite's integers


class QueryError(PositionedError):
    """A malformed search. `.message` is what to show beside the search bar (with any hint),
    `.position` the 0-based character it points at; str() reads
    "Unknown filter 'stauts:' at column 1 — did you mean 'status:'?"."""

    def __init__(self, message: str, position: int, hint: str = "") -> None:
        super().__init__(message + hint, position)
        self.args = (f"{message} at column {position + 1}{hint}",)


# ---------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Text:
    """A word, a word prefix (`batt*`) or a phrase ("battery life")."""

    value: str
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class Filter:
    key: str  # the canonical key: status, tag, sentiment, ...
    value: str | int | float  # canonical value (a status name, a tag name, a UTC timestamp, ...)
    op: str = "="  # for reach: > >= < <= =
    position: int = 0


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class And:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    nodes: tuple[Node, ...]


Node = Text | Filter | Not | And | Or


@dataclass(frozen=True)
class Query:
    text: str
    node: Node | None  # None: everything
    sort: str = "newest"
    terms: tuple[str, ...] = field(default=())  # free-text terms, for highlighting


# ---------------------------------------------------------------- filters

STATUS_ALIASES = {
    "needs-response": "needs_response", "needsresponse": "needs_response", "response": "needs_response",
    "todo": "needs_response", "open": "new", "unread": "new", "answered": "responded", "archived": "done",
    "closed": "done", "spam": "ignored", "ignore": "ignored", "monitor": "monitoring", "watching": "monitoring",
}  # fmt: skip
IS_VALUES = ("starred", "unstarred", "unread", "read", "advocate", "detractor", "vip", "responded", "ours",
             "asked")  # fmt: skip
HAS_VALUES = ("note", "tag", "link", "url", "thread")
SORTS = ("newest", "oldest", "reach", "relevance", "asked")  # asked: the "ask me" order, best first
REACH_OPS = (">=", "<=", ">", "<", "=")


def _enum(allowed: tuple[str, ...], aliases: dict[str, str] | None = None):
    def check(value: str, position: int, key: str) -> str:
        lowered = value.lower().replace(" ", "_")
        lowered = (aliases or {}).get(lowered, lowered)
        if lowered.replace("-", "_") in allowed:
            return lowered.replace("-", "_")
        hint = get_close_matches(lowered, allowed, n=1)
        suggestion = f" — did you mean '{key}:{hint[0]}'?" if hint else ""
        raise QueryError(f"'{key}:' expects {_either(allowed)}", position, suggestion)

    return check


def _either(values: tuple[str, ...]) -> str:
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else values[0]


def _name(value: str, position: int, key: str) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise QueryError(f"'{key}:' needs a value", position)
    return cleaned


def _author(value: str, position: int, key: str) -> str:
    return _name(value.lstrip("@"), position, key)


def _lang(value: str, position: int, key: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?", value):
        raise QueryError(f"'lang:' expects a language code such as en or pt-br, not '{value}'", position)
    return value.lower().replace("_", "-")


_RELATIVE = re.compile(r"(\d{1,4})([dwmy])")


def parse_day(value: str, position: int, key: str, *, today: datetime | None = None) -> str:
    """A date filter value as the UTC timestamp it starts at."""
    now = today or datetime.now(UTC)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    lowered = value.lower()
    if lowered == "today":
        return format_utc(midnight)
    if lowered == "yesterday":
        return format_utc(midnight - timedelta(days=1))
    relative = _RELATIVE.fullmatch(lowered)
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2)
        days = amount * {"d": 1, "w": 7, "m": 30, "y": 365}[unit]
        return format_utc(midnight - timedelta(days=days))
    for pattern, fmt in ((r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"), (r"\d{4}-\d{2}", "%Y-%m"), (r"\d{4}", "%Y")):
        if re.fullmatch(pattern, value):
            try:
                return format_utc(datetime.strptime(value, fmt).replace(tzinfo=UTC))
            except ValueError:
                break
    raise QueryError(f"Invalid date '{key}:{value}'", position, ": use YYYY-MM-DD, today, yesterday or 7d")


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _time(value: str, position: int, key: str) -> str:
    """`time:14`, `time:14h` or `time:14:00`: published in that hour of the day (UTC). (Not
    `hour:`, which would be offered as the correction of a mistyped key such as `colour:`.)"""
    hour = value.lower().removesuffix("h").removesuffix(":00")
    if not hour.isdigit() or not 0 <= int(hour) <= 23:
        raise QueryError(f"'time:' expects an hour of the day (UTC) such as 14h, not '{value}'", position)
    return f"{int(hour):02d}"


def _weekday(value: str, position: int, key: str) -> str:
    day = value.lower()[:3]
    if day not in WEEKDAYS:
        raise QueryError(f"'weekday:' expects mon, tue, wed, thu, fri, sat or sun, not '{value}'", position)
    return day


FILTERS = {
    "status": _enum(STATUSES, STATUS_ALIASES),
    "tag": _name,
    "sentiment": _enum(SENTIMENTS, {"pos": "positive", "neg": "negative", "neu": "neutral"}),
    "intent": _enum(
        INTENTS, {"questions": "question", "complaints": "complaint", "suggestions": "suggestion"}
    ),
    "source": lambda v, p, k: _name(v, p, k).lower(),
    "tracker": _name,
    "author": _author,
    "lang": _lang,
    "after": parse_day,
    "before": parse_day,
    "is": _enum(
        IS_VALUES, {"star": "starred", "new": "unread", "vips": "vip", "us": "ours", "brand": "ours"}
    ),
    "has": _enum(HAS_VALUES, {"notes": "note", "tags": "tag", "links": "link"}),
    "sort": _enum(SORTS, {"new": "newest", "old": "oldest", "latest": "newest", "rank": "relevance"}),
    "time": _time,
    "weekday": _weekday,
}
KEY_ALIASES = {
    "from": "author", "by": "author", "language": "lang", "since": "after", "until": "before", "dow": "weekday",
}  # fmt: skip
ValueCheck = Callable[[str, int, str], str]


def register_filter(key: str, check: ValueCheck, *, aliases: Sequence[str] = ()) -> None:
    """Add a filter key: `check(value, position, key)` returns the canonical value or raises
    QueryError. db.search.register_sql gives it its SQL (for is:/has: values, extend
    IS_VALUES/HAS_VALUES there)."""
    FILTERS[key] = check
    KEY_ALIASES.update(dict.fromkeys(aliases, key))


# ---------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<reach>reach\s*(?P<op>>=|<=|>|<|=|:)\s*(?P<num>[^\s()]*))
  | (?P<filter>(?P<neg>-?)(?P<key>[A-Za-z_]+):(?P<fval>"[^"]*"?|[^\s()"]*))
  | (?P<phrase>-?"[^"]*"?)
  | (?P<word>-?[^\s()"]+)
    """,
    re.VERBOSE | re.IGNORECASE,
)


@dataclass
class _Tok:
    kind: str  # "(", ")", "OR", "atom"
    pos: int
    node: Node | None = None
    negated: bool = False


def _unquote(value: str, position: int) -> str:
    if value.startswith('"'):
        if len(value) < 2 or not value.endswith('"'):
            raise QueryError("Unclosed quote", position)
        return value[1:-1]
    return value


def _filter_node(key: str, raw: str, position: int) -> Filter | Text:
    canonical = KEY_ALIASES.get(key.lower(), key.lower())
    check = FILTERS.get(canonical)
    if check is None and canonical in ("http", "https") and raw.startswith("//"):
        return Text(f"{key}:{raw}", phrase=True)  # a pasted link: search for its words
    if check is None:
        hint = get_close_matches(canonical, [*FILTERS, "reach"], n=1)
        suggestion = (
            f" — did you mean '{hint[0]}:'?"
            if hint
            else f' — to search for the words, put them in quotes: "{key}:{raw}"'
        )
        raise QueryError(f"Unknown filter '{key}:'", position, suggestion)
    value = _unquote(raw, position + len(key) + 1)
    if not value:
        raise QueryError(f"'{key}:' needs a value", position)
    return Filter(canonical, check(value, position, canonical), position=position)


def _reach_node(op: str, number: str, position: int) -> Filter:
    op = "=" if op == ":" else op
    if number[:2] in REACH_OPS or number[:1] in REACH_OPS:  # reach:>1000
        op = number[:2] if number[:2] in REACH_OPS else number[:1]
        number = number[len(op) :]
    multiplier = 1
    if number[-1:].lower() in ("k", "m"):
        multiplier = 1000 if number[-1].lower() == "k" else 1_000_000
        number = number[:-1]
    try:
        amount = float(number) * multiplier
    except ValueError:
        raise QueryError(f"'reach{op}' expects a number, such as reach>1000 or reach>10k", position) from None
    if math.isnan(amount):
        raise QueryError(f"'reach{op}' expects a number, such as reach>1000 or reach>10k", position)
    if abs(amount) > MAX_REACH:  # inf too
        raise QueryError(f"'reach{op}{number}' is too large a number (reach is at most 10^18)", position)
    return Filter("reach", int(amount), op, position)


def _has_searchable(value: str) -> bool:
    return any(ch.isalnum() for ch in value)


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:  # pragma: no cover - the word pattern matches any non-space
            raise QueryError("Cannot read this", position)
        kind = match.lastgroup
        start = position
        position = match.end()
        if kind == "space":
            continue
        if kind in ("lparen", "rparen"):
            out.append(_Tok("(" if kind == "lparen" else ")", start))
        elif kind == "reach":
            out.append(_Tok("atom", start, _reach_node(match.group("op"), match.group("num"), start)))
        elif kind == "filter":
            negated = bool(match.group("neg"))
            node = _filter_node(match.group("key"), match.group("fval"), start + int(negated))
            out.append(_Tok("atom", start, node, negated))
        elif kind == "phrase":
            raw = match.group(0)
            negated = raw.startswith("-")
            value = _unquote(raw[int(negated) :], start + int(negated))
            if not _has_searchable(value):
                raise QueryError('This phrase has no letters or digits to search for: "' + value + '"', start)
            out.append(_Tok("atom", start, Text(" ".join(value.split()), phrase=True), negated))
        else:
            raw = match.group(0)
            if raw == "OR":
                out.append(_Tok("OR", start))
                continue
            negated = raw.startswith("-") and len(raw) > 1
            word = raw[1:] if negated else raw
            prefix = word.endswith("*") and len(word) > 1
            word = word.rstrip("*") if prefix else word
            if not _has_searchable(word):
                if raw in ("-", "*"):
                    raise QueryError(f"'{raw}' must be followed by a word to search for", start)
                raise QueryError(f"'{raw}' has no letters or digits to search for", start)
            if prefix and sum(ch.isalnum() for ch in word) < MIN_PREFIX_CHARS:
                raise QueryError(
                    f"'{word}*' is too short to search for every word it starts: "
                    f"type at least {MIN_PREFIX_CHARS} letters before the *",
                    start,
                )
            out.append(_Tok("atom", start, Text(word, prefix=prefix), negated))
    return out


# ---------------------------------------------------------------- parsing


class _Parser:
    def __init__(self, tokens: list[_Tok], length: int) -> None:
        self.tokens = tokens
        self.index = 0
        self.length = length

    def peek(self) -> _Tok | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def sequence(self, closing: bool) -> list[Node]:
        nodes: list[Node] = []
        while (tok := self.peek()) is not None:
            if tok.kind == ")":
                if not closing:
                    raise QueryError("')' without a matching '('", tok.pos)
                return nodes
            if tok.kind == "OR":
                raise QueryError("'OR' needs something to search for on both sides", tok.pos)
            nodes.append(self.or_expr())
        return nodes

    def or_expr(self) -> Node:
        parts = [self.unary()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.index += 1
            following = self.peek()
            if following is None or following.kind in (")", "OR"):
                raise QueryError("'OR' needs something to search for on both sides", tok.pos)
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def unary(self) -> Node:
        tok = self.peek()
        assert tok is not None
        self.index += 1
        if tok.kind == "(":
            inner = self.sequence(closing=True)
            end = self.peek()
            if end is None or end.kind != ")":
                raise QueryError("Unclosed '('", tok.pos)
            self.index += 1
            if not inner:
                raise QueryError("Empty parentheses", tok.pos)
            return inner[0] if len(inner) == 1 else And(tuple(inner))
        assert tok.node is not None
        return Not(tok.node) if tok.negated else tok.node


def _sort_and_rest(nodes: list[Node]) -> tuple[str, list[Node]]:
    sort = "newest"
    rest = []
    for node in nodes:
        if isinstance(node, Filter) and node.key == "sort":
            sort = str(node.value)
        elif isinstance(node, Not) and isinstance(node.node, Filter) and node.node.key == "sort":
            raise QueryError("'sort:' cannot be negated", node.node.position)
        else:
            rest.append(node)
    return sort, rest


def _check_sort_nesting(node: Node) -> None:
    if isinstance(node, Filter) and node.key == "sort":
        raise QueryError("'sort:' goes at the top level of a search, not inside OR or ( )", node.position)
    if isinstance(node, Not):
        _check_sort_nesting(node.node)
    elif isinstance(node, And | Or):
        for child in node.nodes:
            _check_sort_nesting(child)


def text_terms(node: Node | None) -> list[str]:
    """The positive free-text terms of a tree, for highlighting matches."""
    if node is None or isinstance(node, Not | Filter):
        return []
    if isinstance(node, Text):
        return [node.value]
    return [term for child in node.nodes for term in text_terms(child)]


def parse(text: str) -> Query:
    """Parse a search; raises QueryError (with .position) when it is malformed."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"Searches are at most {MAX_QUERY_CHARS} characters", MAX_QUERY_CHARS)
    tokens = _tokens(text)
    if sum(t.kind == "atom" for t in tokens) > MAX_TERMS:
        raise QueryError(f"Searches have at most {MAX_TERMS} terms", tokens[MAX_TERMS].pos)
    prefixes = [t for t in tokens if isinstance(t.node, Text) and t.node.prefix]
    if len(prefixes) > MAX_PREFIXES:
        raise QueryError(
            f"Searches have at most {MAX_PREFIXES} words ending in * (each stands for every word it starts)",
            prefixes[MAX_PREFIXES].pos,
        )
    nodes = _Parser(tokens, len(text)).sequence(closing=False)
    sort, rest = _sort_and_rest(nodes)
    for node in rest:
        _check_sort_nesting(node)
    if sort == "relevance" and not text_terms(And(tuple(rest))):
        raise QueryError("'sort:relevance' needs words to search for", text.lower().find("sort:"))
    node: Node | None = None if not rest else rest[0] if len(rest) == 1 else And(tuple(rest))
    return Query(text, node, sort, tuple(text_terms(node)))


def quoted(value: str) -> str:
    """A filter value as the search language reads it back."""
    return '"' + value.replace('"', "") + '"' if re.search(r'[\s()"]', value) else value


def within(query: str, *filters: str) -> str:
    """A search narrowed by more filters (they AND with everything at the top level)."""
    return " ".join(part for part in (query.strip(), *filters) if part)


def _nodes(node: Node | None) -> Iterator[Node]:
    if node is None:
        return
    yield node
    if isinstance(node, Not):
        yield from _nodes(node.node)
    elif isinstance(node, And | Or):
        for child in node.nodes:
            yield from _nodes(child)


def customers_only(query: str) -> str:
    """A rule's condition as it is applied: to what customers wrote. The brand's own posts
    (`is:ours`) are context, never inbox work: a rule acts on them only when its condition
    names them. Raises QueryError for a malformed condition."""
    names_ours = any(
        isinstance(n, Filter) and (n.key, n.value) == ("is", "ours") for n in _nodes(parse(query).node)
    )
    return query if names_ours else within(query, "-is:ours")

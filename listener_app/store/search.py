"""Compiling the search language (core.query) to parameterized SQL, and running it.

User text never reaches SQL or FTS5 syntax: every free-text term becomes an FTS5 string
("..." with inner quotes doubled), every value a bound parameter. Free-text terms at the top
level are merged into one FTS5 MATCH (`a AND "b c" NOT (d OR e)`); text inside a mixed OR
becomes its own `id IN (SELECT rowid ... MATCH ?)`.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from listener_app.domain.models import INTENTS, SENTIMENTS, STATUSES
from listener_app.domain.query import (
    FILTERS,
    HAS_VALUES,
    IS_VALUES,
    SORTS,
    WEEKDAYS,
    And,
    Filter,
    Node,
    Not,
    Or,
    Query,
    QueryError,
    Text,
    parse,
)
from listener_app.store.authors import ADVOCATE_SQL, DETRACTOR_SQL
from listener_app.store.connection import Store
from listener_app.store.learning import UNLABELLED_SQL

ORDER = {
    "newest": "m.published_at DESC, m.id DESC",
    "oldest": "m.published_at ASC, m.id ASC",
    "reach": "m.reach DESC NULLS LAST, m.published_at DESC, m.id DESC",
    "asked": "(SELECT a.rank FROM asked a WHERE a.mention_id = m.id) NULLS LAST, m.published_at DESC, m.id DESC",
}
_FTS_IN = "m.id IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?)"


@dataclass
class Compiled:
    where: str  # a condition on `mentions m`
    params: list[Any]
    order: str
    fts: str | None = None  # the top-level MATCH, when there is one (relevance and counts use it)
    only_fts: bool = False  # the condition is nothing but that MATCH
    walk_index: str = "mentions_published"  # the date-ordered index a broad search walks


# ---------------------------------------------------------------- FTS5 strings


def _fts_string(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _fts_atom(node: Text) -> str:
    return _fts_string(node.value) + (" *" if node.prefix else "")


def _fts(node: Node) -> str | None:
    """An FTS5 expression for a text-only subtree, or None when FTS5 cannot say it alone."""
    if isinstance(node, Text):
        return _fts_atom(node)
    if isinstance(node, Or):
        parts = [_fts(child) for child in node.nodes]
        return None if None in parts else "(" + " OR ".join(p for p in parts if p) + ")"
    if isinstance(node, And):
        positives = [_fts(c) for c in node.nodes if not isinstance(c, Not)]
        negatives = [_fts(c.node) for c in node.nodes if isinstance(c, Not)]
        if not positives or None in positives or None in negatives:
            return None
        expression = " AND ".join(p for p in positives if p)
        if negatives:
            expression += " NOT (" + " OR ".join(n for n in negatives if n) + ")"
        return "(" + expression + ")"
    return None


def _text_only(node: Node) -> bool:
    if isinstance(node, Text):
        return True
    if isinstance(node, Not):
        return _text_only(node.node)
    if isinstance(node, And | Or):
        return all(_text_only(c) for c in node.nodes)
    return False


# ---------------------------------------------------------------- filters


class _Compiler:
    def __init__(self, ws: Store) -> None:
        self.ws = ws

    def node(self, node: Node, params: list[Any]) -> str:
        if isinstance(node, Filter):
            build = FILTER_SQL.get(node.key)
            if build is None:  # pragma: no cover - a key registered in core.query without SQL
                raise QueryError(f"'{node.key}:' cannot be used here", node.position)
            return build(self, node, params)
        if isinstance(node, Not):
            return f"NOT ({self.node(node.node, params)})"
        if _text_only(node) and (expression := _fts(node)) is not None:
            params.append(expression)
            return _FTS_IN
        assert isinstance(node, And | Or)
        joiner = " AND " if isinstance(node, And) else " OR "
        return "(" + joiner.join(self.node(child, params) for child in node.nodes) + ")"

    def named_id(self, table: str, key: str, name: str, position: int) -> int:
        row = self.ws.execute(f"SELECT id FROM {table} WHERE name = ?", (name,)).fetchone()
        if row is None:
            names = [r[0] for r in self.ws.execute(f"SELECT name FROM {table} ORDER BY name")]
            raise QueryError(f"No {key} named '{name}'", position, _suggest(name, names, key))
        return int(row[0])


SqlBuilder = Callable[[_Compiler, Filter, list[Any]], str]
FILTER_SQL: dict[str, SqlBuilder] = {}


def register_sql(*keys: str) -> Callable[[SqlBuilder], SqlBuilder]:
    """Give filter keys (see core.query.register_filter) their SQL: a condition on `mentions m`
    with `?` for every value, which the builder appends to `params`."""

    def register(build: SqlBuilder) -> SqlBuilder:
        FILTER_SQL.update(dict.fromkeys(keys, build))
        return build

    return register


@register_sql("status", "sentiment", "intent", "lang")
def _column(c: _Compiler, f: Filter, params: list[Any]) -> str:
    params.append(f.value)
    return f"m.{f.key} = ?"


@register_sql("tag")
def _tag(c: _Compiler, f: Filter, params: list[Any]) -> str:
    params.append(c.named_id("tags", "tag", str(f.value), f.position))
    return "EXISTS (SELECT 1 FROM mention_tags mt WHERE mt.mention_id = m.id AND mt.tag_id = ?)"


@register_sql("tracker")
def _tracker(c: _Compiler, f: Filter, params: list[Any]) -> str:
    params.append(c.named_id("trackers", "tracker", str(f.value), f.position))
    return "EXISTS (SELECT 1 FROM mention_trackers mk WHERE mk.mention_id = m.id AND mk.tracker_id = ?)"


@register_sql("source")
def _source(c: _Compiler, f: Filter, params: list[Any]) -> str:
    kind = str(f.value)
    known = c.ws.scalar("SELECT 1 FROM mentions WHERE source = ? LIMIT 1", (kind,)) or c.ws.scalar(
        "SELECT 1 FROM sources WHERE kind = ? LIMIT 1", (kind,)
    )
    if not known:
        kinds = [r[0] for r in c.ws.execute("SELECT DISTINCT source FROM mentions")]
        raise QueryError(f"No mentions from source '{kind}'", f.position, _suggest(kind, kinds, "source"))
    params.append(kind)
    return "m.source = ?"


@register_sql("author")
def _author(c: _Compiler, f: Filter, params: list[Any]) -> str:
    """By handle or display name (any case); a mention with only a name (from an import)
    is found through the name's full-text column, then compared whole."""
    name = str(f.value)
    ids = [
        r[0]
        for r in c.ws.execute(
            "SELECT id FROM authors WHERE handle = ? COLLATE NOCASE OR display_name = ? COLLATE NOCASE "
            "LIMIT 500",
            (name, name),
        )
    ]
    if ids:
        params.extend(ids)
        return f"m.author_id IN ({','.join('?' * len(ids))})"
    by_name = "author_name : " + _fts_string(name)
    if not c.ws.scalar("SELECT 1 FROM mentions_fts WHERE mentions_fts MATCH ? LIMIT 1", [by_name]):
        raise QueryError(f"No author '@{name}' in this workspace", f.position)
    params.extend([by_name, name])
    return _FTS_IN + " AND m.author_name = ? COLLATE NOCASE"


@register_sql("time")
def _time(c: _Compiler, f: Filter, params: list[Any]) -> str:
    params.append(f.value)
    return "substr(m.published_at, 12, 2) = ?"


_SQLITE_WEEKDAY = {name: str((index + 1) % 7) for index, name in enumerate(WEEKDAYS)}  # %w: 0 is Sunday


@register_sql("weekday")
def _weekday(c: _Compiler, f: Filter, params: list[Any]) -> str:
    params.append(_SQLITE_WEEKDAY[str(f.value)])
    return "strftime('%w', m.published_at) = ?"


@register_sql("after", "before", "reach")
def _compare(c: _Compiler, f: Filter, params: list[Any]) -> str:
    params.append(f.value)
    if f.key == "reach":
        return f"m.reach {f.op} ?"
    return "m.published_at >= ?" if f.key == "after" else "m.published_at < ?"


@register_sql("is")
def _is(c: _Compiler, f: Filter, params: list[Any]) -> str:
    return IS_SQL[str(f.value)]


@register_sql("has")
def _has(c: _Compiler, f: Filter, params: list[Any]) -> str:
    return HAS_SQL[str(f.value)]


IS_SQL = {
    "starred": "m.starred = 1",
    "unstarred": "m.starred = 0",
    "unread": "m.read = 0",
    "read": "m.read = 1",
    "responded": "m.responded_at IS NOT NULL",
    "ours": "m.ours = 1",  # what the brand itself wrote (-is:ours: what customers wrote)
    "vip": "m.author_id IN (SELECT a.id FROM authors a WHERE a.vip = 1)",
    "advocate": f"m.author_id IN (SELECT a.id FROM authors a WHERE {ADVOCATE_SQL})",
    "detractor": f"m.author_id IN (SELECT a.id FROM authors a WHERE {DETRACTOR_SQL})",
    "asked": f"m.id IN (SELECT mention_id FROM asked) AND {UNLABELLED_SQL}",  # until you label it
}
HAS_SQL = {
    "note": "EXISTS (SELECT 1 FROM notes n WHERE n.mention_id = m.id)",
    "tag": "EXISTS (SELECT 1 FROM mention_tags mt WHERE mt.mention_id = m.id)",
    "link": "m.links IS NOT NULL",
    "url": "m.url IS NOT NULL",
    "thread": "(m.thread_external_id IS NOT NULL OR m.parent_external_id IS NOT NULL)",
}


def _suggest(value: str, names: Sequence[str], key: str) -> str:
    close = get_close_matches(value.lower(), [n.lower() for n in names], n=1, cutoff=0.6)
    if close:
        original = next(n for n in names if n.lower() == close[0])
        shown = f'"{original}"' if " " in original else original
        return f" — did you mean '{key}:{shown}'?"
    if names:
        listed = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
        return f" (there are: {listed})"
    return ""


# ---------------------------------------------------------------- compile and run


def as_query(query: str | Query) -> Query:
    return parse(query) if isinstance(query, str) else query


def compile_where(ws: Store, query: str | Query) -> Compiled:
    """The WHERE condition (on `mentions m`), its parameters and the ORDER BY of a search."""
    parsed = as_query(query)
    order = ORDER.get(parsed.sort, ORDER["newest"])
    if parsed.node is None:
        return Compiled("1", [], order)
    conjuncts = list(parsed.node.nodes) if isinstance(parsed.node, And) else [parsed.node]
    positives = [c for c in conjuncts if not isinstance(c, Not) and _text_only(c) and _fts(c) is not None]
    negatives = [
        c.node for c in conjuncts if isinstance(c, Not) and _text_only(c.node) and _fts(c.node) is not None
    ]
    rest = [
        c
        for c in conjuncts
        if not any(c is p for p in positives) and not (isinstance(c, Not) and c.node in negatives)
    ]
    compiler = _Compiler(ws)
    clauses: list[str] = []
    params: list[Any] = []
    fts: str | None = None
    if positives:
        fts = " AND ".join(_fts(p) or "" for p in positives)
        if negatives:
            fts += " NOT (" + " OR ".join(_fts(n) or "" for n in negatives) + ")"
        clauses.append(_FTS_IN)
        params.append(fts)
    elif negatives:
        clauses.append("NOT " + _FTS_IN)
        params.append(" OR ".join(_fts(n) or "" for n in negatives))
    for node in rest:
        clauses.append(compiler.node(node, params))
    keys = {(n.key, n.value) for n in rest if isinstance(n, Filter)}
    walk = (
        "mentions_starred" if ("is", "starred") in keys
        else "mentions_status" if any(k == "status" for k, _ in keys)
        else "mentions_unread" if ("is", "unread") in keys
        else "mentions_published"
    )  # fmt: skip
    return Compiled(
        " AND ".join(clauses) or "1",
        params,
        order,
        fts,
        only_fts=bool(positives) and not rest,
        walk_index=walk,
    )


def compile_query(ws: Store, query: str | Query) -> tuple[str, list[Any]]:
    """SQL selecting the ids of a search's mentions in its order (for sub-selects and exports)."""
    compiled = compile_where(ws, query)
    if as_query(query).sort == "relevance" and compiled.fts:
        sql = (
            "SELECT m.id FROM mentions_fts f JOIN mentions m ON m.id = f.rowid "
            f"WHERE mentions_fts MATCH ? AND {compiled.where} ORDER BY f.rank"
        )
        return sql, [compiled.fts, *compiled.params]
    return (
        f"SELECT m.id FROM mentions m{_plan(ws, compiled)} WHERE {compiled.where} ORDER BY {compiled.order}",
        (compiled.params),
    )


WALK_THRESHOLD = 2000


def _plan(ws: Store, compiled: Compiled) -> str:
    """For a broad full-text search in date order, walk the date index and check each mention
    against the matches (and any other filter) rather than fetch and sort every match: the
    sort touches each match's row at random, the walk reads the index in order and stops at
    the first page. A selective search is cheaper to sort. SQLite cannot tell the two apart."""
    if not compiled.fts or compiled.order not in (ORDER["newest"], ORDER["oldest"]):
        return ""
    if not ws.scalar("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (compiled.walk_index,)):
        return ""  # a bulk import is rebuilding it
    matches = ws.scalar(
        "SELECT count(*) FROM (SELECT 1 FROM mentions_fts WHERE mentions_fts MATCH ? LIMIT ?)",
        [compiled.fts, WALK_THRESHOLD + 1],
    )
    return f" INDEXED BY {compiled.walk_index}" if matches > WALK_THRESHOLD else ""


SEARCH_SECONDS = 5.0


@contextlib.contextmanager
def _bounded(ws: Store) -> Iterator[None]:
    """Stop a search that runs longer than SEARCH_SECONDS with a QueryError saying how to narrow it,
    whatever makes it slow (a search language that lets people combine terms freely can always
    be made slow; the window and the command line then answer rather than hang)."""
    seconds = SEARCH_SECONDS
    stop = time.monotonic() + seconds
    ws.conn.set_progress_handler(lambda: time.monotonic() > stop, 10_000)
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "interrupted" not in str(exc):
            raise
        raise QueryError(
            f"This search takes too long (over {seconds:.0f} s): narrow it, with more letters "
            "before a *, fewer ORs, or a filter such as after:30d",
            0,
        ) from exc
    finally:
        ws.conn.set_progress_handler(None, 0)


def mention_ids(ws: Store, query: str | Query, *, limit: int | None = None, offset: int = 0) -> list[int]:
    sql, params = compile_query(ws, query)
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    with _bounded(ws):
        return [row[0] for row in ws.execute(sql, params)]


def iter_ids(ws: Store, query: str | Query, chunk: int = 5000) -> Iterator[list[int]]:
    """The ids of a search in order, a chunk at a time (for big exports)."""
    sql, params = compile_query(ws, query)
    cursor = ws.execute(sql, params)
    while rows := cursor.fetchmany(chunk):
        yield [row[0] for row in rows]


def count(ws: Store, query: str | Query) -> int:
    compiled = compile_where(ws, query)
    with _bounded(ws):
        if compiled.only_fts:
            return int(
                ws.scalar("SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH ?", [compiled.fts])
            )
        return int(ws.scalar(f"SELECT count(*) FROM mentions m WHERE {compiled.where}", compiled.params))


def matching_ids(ws: Store, query: str | Query, among: Sequence[int] | None = None) -> list[int]:
    """Which of `among` (or of all mentions, when None) a search matches, in id order."""
    compiled = compile_where(ws, query)
    if among is None:
        sql = f"SELECT m.id FROM mentions m WHERE {compiled.where} ORDER BY m.id"
        return [row[0] for row in ws.execute(sql, compiled.params)]
    found: list[int] = []
    ordered = sorted(set(among))
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        sql = (
            f"SELECT m.id FROM mentions m WHERE m.id IN ({','.join('?' * len(chunk))}) "
            f"AND {_within(compiled.where, chunk[0], chunk[-1])} ORDER BY m.id"
        )
        found.extend(row[0] for row in ws.execute(sql, [*chunk, *compiled.params]))
    return found


def _within(where: str, first: int, last: int) -> str:
    """`where` with its full-text conditions asked only for the ids from `first` to `last` (as
    numbers in the text, so the parameters stay as they are). Asked for every match, the index
    read all of a broad word's matches for each 500 mentions: a rule run on 500 new mentions of a
    workspace of a million took 316 ms, now 1 ms."""
    return where.replace(_FTS_IN, f"{_FTS_IN[:-1]} AND rowid BETWEEN {int(first)} AND {int(last)})")


def highlight_terms(query: str | Query) -> list[str]:
    """Free-text terms of a search (for highlighting); [] for a malformed one."""
    try:
        return list(as_query(query).terms)
    except QueryError:
        return []


def completions(ws: Store, text: str, cursor: int | None = None) -> list[str]:
    """Completions for the word under the cursor: filter keys, then values for a key."""
    cursor = len(text) if cursor is None else cursor
    start = max(text.rfind(" ", 0, cursor), text.rfind("(", 0, cursor)) + 1
    word = text[start:cursor]
    negated = word.startswith("-")
    word = word[1:] if negated else word
    sign = "-" if negated else ""
    if ":" not in word:
        keys = [f"{k}:" for k in (*FILTERS, "reach>") if k.startswith(word.lower())]
        return [sign + k for k in keys]
    key, _, partial = word.partition(":")
    values = _values_for(ws, key.lower())
    partial_folded = partial.strip('"').lower()
    return [
        f"{sign}{key}:{_quoted(v)}"
        for v in values
        if v.lower().startswith(partial_folded) and v.lower() != partial_folded
    ][:50]


def _quoted(value: str) -> str:
    return f'"{value}"' if " " in value else value


def _values_for(ws: Store, key: str) -> list[str]:
    static = {
        "status": STATUSES,
        "sentiment": SENTIMENTS,
        "intent": INTENTS,
        "is": IS_VALUES,
        "has": HAS_VALUES,
        "sort": SORTS,
        "after": ("today", "yesterday", "7d", "30d"),
        "before": ("today", "yesterday"),
    }
    if key in static:
        return list(static[key])
    if key == "tag":
        return [r[0] for r in ws.execute("SELECT name FROM tags ORDER BY name COLLATE NOCASE")]
    if key == "tracker":
        return [r[0] for r in ws.execute("SELECT name FROM trackers ORDER BY name COLLATE NOCASE")]
    if key == "source":
        kinds = {r[0] for r in ws.execute("SELECT kind FROM sources")}
        kinds |= {r[0] for r in ws.execute("SELECT DISTINCT source FROM mentions LIMIT 50")}
        return sorted(kinds)
    if key == "lang":
        return [
            r[0] for r in ws.execute("SELECT DISTINCT lang FROM mentions WHERE lang IS NOT NULL LIMIT 50")
        ]
    return []

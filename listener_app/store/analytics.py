"""Aggregations for the dashboard and the digest, over any search.

Most charts come from one pass over `mentions_hourly`, a covering index keyed by the hour a
mention was published (see schema.READ_INDEXES): grouping by its leading columns needs no sort,
so counting a million mentions by hour, sentiment, source and intent takes a few hundred
milliseconds; the rest (days, weeks, the activity grid, the intent mix) is folded in Python.
Every figure is exact: no sampling. Each count can be reproduced by a search, which is what
the dashboard's clicks run (the activity grid's cells with `weekday:` and `time:`).
"""

from __future__ import annotations

import json
import re
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

from listener_app.domain.query import WEEKDAYS
from listener_app.store.connection import Store
from listener_app.store.search import Compiled, compile_where, highlight_terms, mention_ids

HOURLY_INDEX = "mentions_hourly"
AUTHOR_INDEX = "mentions_author_sentiment"
# Columns each covering index holds (besides the id): a search that only reads these is
# answered from the index alone.
_COVERED = {
    HOURLY_INDEX: {
        "published_at",
        "sentiment",
        "source",
        "intent",
        "status",
        "lang",
        "author_id",
        "ours",
        "id",
    },
    AUTHOR_INDEX: {
        "author_id",
        "sentiment",
        "published_at",
        "source",
        "status",
        "intent",
        "lang",
        "ours",
        "id",
    },
}
_COLUMN = re.compile(r"\bm\.(\w+)")
TOKENIZER = "porter unicode61 remove_diacritics 2"  # the same as mentions_fts
_WORD = re.compile(r"[^\W\d_]{3,}")
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are aren as at be because been before being
    below between both but by can cannot could did didn do does doesn doing don down during each even ever
    every few for from further get gets got had has have having he her here hers herself him himself his how
    i if in into is isn it its itself just let like ll me more most much must my myself no nor not now of
    off on once one only or other our ours ourselves out over own re really same she should so some still
    such than that the their theirs them themselves then there these they this those through to too under
    until up upon us ve very was wasn we were what when where which while who whom why will with won would
    you your yours yourself yourselves yet via per amp http https www com also another any anything around
    back bit come comes came day days either else even example first go going gone know lot make made many
    maybe need next nothing something everything thing things think say said see since take took time times
    today tomorrow use used want way week weeks well year years yesterday""".split()
)


# ---------------------------------------------------------------- scope


def _scope(ws: Store, query: str) -> tuple[str, list[Any]]:
    compiled = compile_where(ws, query)
    return compiled.where, compiled.params


def _indexed(ws: Store, compiled: Compiled, index: str) -> str:
    """`INDEXED BY index` when the search reads only columns the index holds (SQLite's planner
    would otherwise often pick a narrower index and sort a million rows), and it exists (a bulk
    import may be rebuilding it)."""
    if not set(_COLUMN.findall(compiled.where)) <= _COVERED[index]:
        return ""
    if not ws.scalar("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (index,)):
        return ""
    return f" INDEXED BY {index}"


# ---------------------------------------------------------------- the hourly pass


@dataclass
class Hourly:
    """Mentions of a search counted by hour (UTC, 'YYYY-MM-DDTHH'), sentiment, source and intent."""

    rows: list[tuple[str, str | None, str, str | None, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r[4] for r in self.rows)

    def by_day(self, key: int | None = None) -> dict[str, Counter[Any]]:
        """{day: Counter(key value: mentions)}; key is a column of `rows` (1 sentiment, 2 source,
        3 intent) or None for the day's total under the key None."""
        days: dict[str, Counter[Any]] = defaultdict(Counter)
        for hour, *values, count in self.rows:
            days[hour[:10]][None if key is None else values[key - 1]] += count
        return dict(sorted(days.items()))

    def by(self, key: int) -> Counter[Any]:
        totals: Counter[Any] = Counter()
        for row in self.rows:
            totals[row[key]] += row[4]
        return totals

    def grid(self) -> dict[tuple[str, int], int]:
        """{(weekday, hour): mentions}."""
        cells: Counter[tuple[str, int]] = Counter()
        for hour, *_values, count in self.rows:
            cells[WEEKDAYS[date.fromisoformat(hour[:10]).weekday()], int(hour[11:13])] += count
        return dict(cells)


def hourly(ws: Store, query: str = "") -> Hourly:
    compiled = compile_where(ws, query)
    rows = ws.execute(
        "SELECT substr(m.published_at, 1, 13), m.sentiment, m.source, m.intent, count(*) "
        f"FROM mentions m{_indexed(ws, compiled, HOURLY_INDEX)} WHERE {compiled.where} GROUP BY 1, 2, 3, 4",
        compiled.params,
    )
    return Hourly([tuple(r) for r in rows])  # type: ignore[misc]


def volume_by_day(ws: Store, query: str = "", counts: Hourly | None = None) -> list[dict[str, Any]]:
    """Per day: mentions, and how many were positive, neutral and negative."""
    days = (counts or hourly(ws, query)).by_day(1)
    return [
        {"day": day, "mentions": sum(c.values()), **{s: c[s] for s in ("positive", "neutral", "negative")}}
        for day, c in days.items()
    ]


def intent_mix(ws: Store, query: str = "", counts: Hourly | None = None) -> dict[str, int]:
    mix = (counts or hourly(ws, query)).by(3)
    return {(intent or "unscored"): n for intent, n in mix.items()}


# ---------------------------------------------------------------- trackers


def tracker_days(ws: Store, query: str = "") -> list[dict[str, Any]]:
    """Per day, tracker and sentiment: mentions (a mention counts once for each of its trackers).
    A full-text search reads its matches' rows instead of the whole hourly index."""
    compiled = compile_where(ws, query)
    rows = ws.execute(
        "SELECT substr(m.published_at, 1, 10) AS day, k.name, k.role, m.sentiment, count(*) AS mentions "
        f"FROM mentions m{'' if compiled.fts else _indexed(ws, compiled, HOURLY_INDEX)} "
        "JOIN mention_trackers mk ON mk.mention_id = m.id JOIN trackers k ON k.id = mk.tracker_id "
        f"WHERE {compiled.where} GROUP BY 1, mk.tracker_id, 4",
        compiled.params,
    )
    return [dict(r) for r in rows]


def share_of_voice(
    ws: Store, query: str = "", days: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Each brand and competitor tracker: mentions, positive and negative ones, most first."""
    totals: dict[str, dict[str, Any]] = {}
    for row in days if days is not None else tracker_days(ws, query):
        if row["role"] not in ("brand", "competitor"):
            continue
        entry = totals.setdefault(
            row["name"],
            {"name": row["name"], "role": row["role"], "mentions": 0, "positive": 0, "negative": 0},
        )
        entry["mentions"] += row["mentions"]
        if row["sentiment"] in ("positive", "negative"):
            entry[row["sentiment"]] += row["mentions"]
    return sorted(totals.values(), key=lambda e: -e["mentions"])


# ---------------------------------------------------------------- authors


def scoped_authors(ws: Store, query: str = "", *, limit: int = 10) -> dict[str, list[dict[str, Any]]]:
    """The authors with the most mentions in a search ("top"), and those with the most positive
    ones ("advocates"), each with mentions, positive and negative counts."""
    compiled = compile_where(ws, query)
    rows = ws.execute(
        f"""
        WITH g AS MATERIALIZED (
            SELECT m.author_id, count(*) AS mentions, sum(m.sentiment = 'positive') AS positive,
                   sum(m.sentiment = 'negative') AS negative
            FROM mentions m{_indexed(ws, compiled, AUTHOR_INDEX)}
            WHERE m.author_id IS NOT NULL AND {compiled.where} GROUP BY m.author_id
        )
        SELECT * FROM (SELECT 'top' AS list, * FROM g ORDER BY mentions DESC, author_id LIMIT ?)
        UNION ALL
        SELECT * FROM (SELECT 'advocates', * FROM g WHERE positive > 0 ORDER BY positive DESC, author_id LIMIT ?)
        """,
        [*compiled.params, limit, limit],
    ).fetchall()
    ids = sorted({r["author_id"] for r in rows})
    people = {
        r["id"]: dict(r)
        for r in ws.execute(
            f"SELECT id, platform, handle, display_name FROM authors WHERE id IN ({','.join('?' * len(ids))})",
            ids,
        )
    }
    lists: dict[str, list[dict[str, Any]]] = {"top": [], "advocates": []}
    for r in rows:
        lists[r["list"]].append(
            {**people[r["author_id"]], **{k: r[k] for k in ("mentions", "positive", "negative")}}
        )
    return lists


# ---------------------------------------------------------------- terms


def _stems(ws: Store, words: list[str]) -> dict[str, str]:
    """Each word's FTS5 term (the same tokenizer as mentions_fts: lower case, no diacritics,
    Porter-stemmed), from a scratch FTS5 table in the connection's temp schema."""
    ws.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.stemmer USING fts5(w, tokenize='{TOKENIZER}')")
    ws.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.stemmer_terms USING fts5vocab(temp, stemmer, instance)"
    )
    ws.execute("DELETE FROM temp.stemmer")
    ws.conn.executemany("INSERT INTO temp.stemmer (rowid, w) VALUES (?, ?)", enumerate(words, 1))
    stems = {words[doc - 1]: term for term, doc in ws.execute("SELECT term, doc FROM temp.stemmer_terms")}
    ws.execute("DELETE FROM temp.stemmer")
    return stems


def _excluded_terms(ws: Store, searched: list[str]) -> set[str]:
    """Stop words, the brand and competitor names themselves and the searched words, as FTS5
    terms."""
    names = [r[0] for r in ws.execute("SELECT name FROM trackers WHERE role IN ('brand', 'competitor')")]
    brand = ws.scalar("SELECT value FROM settings WHERE key = 'brand'") or ""
    named = {w.lower() for name in [*names, brand.strip('"'), *searched] for w in _WORD.findall(name)}
    words = sorted(STOP_WORDS | named)
    return set(_stems(ws, words).values()) | set(words)


def top_terms(ws: Store, query: str = "", *, limit: int = 20, candidates: int = 30) -> list[dict[str, Any]]:
    """The words in the most mentions of a search, from the full-text index's own vocabulary
    (stop words, numbers, the brand names and the search's own words left out):
    {term, word, mentions}. `word` is the commonest spelling of the term; searching for it
    finds exactly `mentions` mentions.

    Candidates are the vocabulary's most frequent terms and the terms of the search's newest
    mentions; each candidate's count within the search is exact (see _counts_within)."""
    stamp = _stamp(ws)
    compiled = compile_where(ws, query)
    excluded = _excluded_terms(ws, highlight_terms(query))
    spelled: Counter[str] = Counter(
        w.lower() for text in _newest_texts(ws, query) for w in _WORD.findall(text)
    )
    stems = _stems(ws, sorted(spelled))
    spelling: dict[str, str] = {}
    local: Counter[str] = Counter()
    for word, n in spelled.most_common():
        term = stems.get(word)
        if term and term not in excluded:
            spelling.setdefault(term, word)
            local[term] += n
    overall = {t: n for t, n in _vocabulary(ws, stamp).items() if t in spelling}
    ranked = sorted(overall, key=lambda t: -overall[t])
    if compiled.where == "1":
        counted = {t: overall[t] for t in ranked[:limit]}
    else:
        pool = dict.fromkeys([*ranked[:candidates], *(t for t, _ in local.most_common(candidates))])
        found = _counts_within(ws, compiled, [(spelling[t], overall.get(t, 0)) for t in pool], limit)
        counted = {t: found[spelling[t]] for t in pool if spelling[t] in found}
    _VOCABULARIES[ws] = (_stamp(ws), _VOCABULARIES[ws][1])  # only scratch tables changed since
    best = sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [{"term": term, "word": spelling[term], "mentions": n} for term, n in best if n]


_TOKEN = re.compile(r"\w+")


def top_phrases(ws: Store, query: str = "", *, limit: int = 10, candidates: int = 15) -> list[dict[str, Any]]:
    """Two-word phrases in the most mentions of a search ("battery life", "customer service"):
    {phrase, mentions}; searching for the quoted phrase finds exactly `mentions` mentions.

    Candidates are the commonest adjacent word pairs of the search's newest mentions (neither a
    stop word, a number or a brand name); each candidate's count within the search is exact."""
    compiled = compile_where(ws, query)
    named = _excluded_terms(ws, highlight_terms(query))
    local: Counter[str] = Counter()
    for text in _newest_texts(ws, query):
        tokens = _TOKEN.findall(text.lower())
        local.update(
            {
                f"{first} {second}"
                for first, second in pairwise(tokens)
                if _WORD.fullmatch(first) and _WORD.fullmatch(second) and not {first, second} & named
            }
        )
    pool = [(phrase, 10**12) for phrase, n in local.most_common(candidates) if n >= 3]
    counted = _counts_within(ws, compiled, pool, len(pool))
    best = sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [{"phrase": phrase, "mentions": n} for phrase, n in best if n]


def _counts_within(ws: Store, compiled: Compiled, words: list[tuple[str, int]], limit: int) -> dict[str, int]:
    """How many of a search's mentions hold each word (as a search finds it: stemmed), for the
    `limit` words held by the most: each word's postings in the full-text index (narrowed by
    the search's own words, when it has some) intersected with the search's ids. `words` come
    with their count in all mentions, an upper bound that lets the words no longer able to
    reach the top be skipped."""

    def match(word: str) -> str:
        return f'({compiled.fts}) AND "{word}"' if compiled.fts else f'"{word}"'

    def ids(sql: str, params: list[Any]) -> list[int]:  # as one JSON array: 2-3x faster than rows
        return json.loads(ws.scalar(f"SELECT json_group_array(id) FROM ({sql})", params))  # type: ignore[no-any-return]

    everything = compiled.where == "1"  # no filter: the full-text index alone counts
    scope = None if compiled.only_fts or everything else _ids_within(ws, compiled, ids)
    counts: dict[str, int] = {}
    for word, bound in sorted(words, key=lambda wb: -wb[1]):
        if len(counts) >= limit and bound <= sorted(counts.values())[-limit]:
            break
        if scope is None:
            counts[word] = ws.scalar(
                "SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH ?", (match(word),)
            )
        else:
            postings = ids("SELECT rowid AS id FROM mentions_fts WHERE mentions_fts MATCH ?", [match(word)])
            counts[word] = len(scope.intersection(postings))
    return counts


SAMPLE = 2000  # the newest mentions of a search whose words and word pairs are the candidates


def _kept(ws: Store, what: str, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """`compute()`, kept on a read-only connection for the next ask with the same key while no
    other connection wrote: the dashboard's reader counts the terms, then the phrases, of one
    search, and both start from its newest mentions and the ids it holds."""
    if not ws.readonly:
        return compute()
    key = (what, *key, ws.scalar("PRAGMA data_version"))
    kept = _KEPT.setdefault(ws, {})
    if what not in kept or kept[what][0] != key:
        kept[what] = (key, compute())
    return kept[what][1]


def _newest_texts(ws: Store, query: str) -> list[str]:
    """Title and text of a search's SAMPLE newest mentions (a broad search walks the date index
    rather than sorting all its matches)."""

    def read() -> list[str]:
        rows = ws.execute(
            "SELECT m.title, m.text FROM mentions m WHERE m.id IN (SELECT value FROM json_each(?))",
            [json.dumps(mention_ids(ws, query, limit=SAMPLE))],
        )
        return [f"{title or ''}\n{text}" for title, text in rows]

    return _kept(ws, "newest", (query,), read)  # type: ignore[no-any-return]


def _ids_within(ws: Store, compiled: Compiled, ids: Callable[[str, list[Any]], list[int]]) -> set[int]:
    """The ids a search holds."""
    return _kept(  # type: ignore[no-any-return]
        ws,
        "ids",
        (compiled.where, tuple(compiled.params)),
        lambda: set(ids(f"SELECT m.id FROM mentions m WHERE {compiled.where}", compiled.params)),
    )


def _stamp(ws: Store) -> tuple[int, int]:
    """Changes by other connections (PRAGMA data_version) and by this one (total_changes)."""
    return ws.scalar("PRAGMA data_version"), ws.conn.total_changes


def _vocabulary(ws: Store, stamp: tuple[int, int]) -> dict[str, int]:
    """Every term of the full-text index with the number of mentions holding it, kept per
    connection while the workspace is unchanged since `stamp` (see top_terms), so always exact."""
    cached = _VOCABULARIES.get(ws)
    if cached and cached[0] == stamp:
        return cached[1]
    ws.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_rows USING fts5vocab(main, mentions_fts, row)")
    terms = {term: docs for term, docs in ws.execute("SELECT term, doc FROM temp.fts_rows")}
    _VOCABULARIES[ws] = (stamp, terms)
    return terms


_KEPT: weakref.WeakKeyDictionary[Store, dict[str, tuple[tuple[Any, ...], Any]]] = weakref.WeakKeyDictionary()
_VOCABULARIES: weakref.WeakKeyDictionary[Store, tuple[tuple[int, int], dict[str, int]]] = (
    weakref.WeakKeyDictionary()
)


# ---------------------------------------------------------------- spikes


def spikes(
    days: list[dict[str, Any]], *, window: int = 14, factor: float = 2.0, minimum: int = 10
) -> list[str]:
    """Days with more than `factor` times the median of the `window` days before (and at least
    `minimum` mentions): a burst worth a look."""
    flagged = []
    for index, day in enumerate(days):
        before = sorted(d["mentions"] for d in days[max(0, index - window) : index])
        if len(before) >= 3:
            median = before[len(before) // 2]
            if day["mentions"] >= minimum and day["mentions"] > factor * max(1, median):
                flagged.append(day["day"])
    return flagged

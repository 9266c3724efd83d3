"""Authors: profiles, per-author counts, VIP list and the conditions behind is:advocate etc."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from listener_app.domain import people
from listener_app.domain.changes import Changes
from listener_app.domain.dates import month_after, next_day, week_of
from listener_app.domain.errors import UserError
from listener_app.domain.models import MAX_NOTE_CHARS
from listener_app.domain.normalize import utc_now
from listener_app.domain.people import MONTHLY_AFTER_DAYS, Period, SentimentSeries
from listener_app.store.chunks import chunked, in_list
from listener_app.store.connection import Store

# SQL conditions on an `authors` row (alias a), used by the search language's is: filters.
ADVOCATE_SQL = f"(a.positive_count >= {people.ADVOCATE_MIN} AND a.positive_count >= {people.ROLE_SHARE} * a.scored_count)"
DETRACTOR_SQL = f"(a.negative_count >= {people.ADVOCATE_MIN} AND a.negative_count >= {people.ROLE_SHARE} * a.scored_count)"
_REFRESH = """
    UPDATE authors SET
        (mention_count, positive_count, negative_count, scored_count, engagement, first_seen, last_seen) = (
        SELECT count(*), coalesce(sum(m.sentiment = 'positive'), 0), coalesce(sum(m.sentiment = 'negative'), 0),
               count(m.sentiment), avg(m.engagement), min(m.published_at), max(m.published_at)
        FROM mentions m WHERE m.author_id = authors.id
    )
"""
# Every author at once: one pass over the covering index by author (mentions_author_sentiment),
# already in author order: 0.5 s at 1M mentions, against 1.5 s scanning the table and sorting.
_REFRESH_ALL = """
    UPDATE authors SET
        (mention_count, positive_count, negative_count, scored_count, engagement, first_seen, last_seen) =
        (g.n, g.positive, g.negative, g.scored, g.engagement, g.first_seen, g.last_seen)
    FROM (
        SELECT m.author_id AS id, count(*) AS n, coalesce(sum(m.sentiment = 'positive'), 0) AS positive,
               coalesce(sum(m.sentiment = 'negative'), 0) AS negative, count(m.sentiment) AS scored,
               avg(m.engagement) AS engagement, min(m.published_at) AS first_seen, max(m.published_at) AS last_seen
        FROM mentions m WHERE m.author_id IS NOT NULL GROUP BY m.author_id
    ) AS g
    WHERE authors.id = g.id
"""
_REFRESH_SILENT = """
    UPDATE authors SET (mention_count, positive_count, negative_count, scored_count, engagement, first_seen,
        last_seen) = (0, 0, 0, 0, NULL, NULL, NULL)
    WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.author_id = authors.id)
"""
_INFLUENCE = """
    UPDATE authors SET influence = CAST(round(100 * (
        {w_reach} * min(1.0, log10(1 + max(coalesce(reach, 0), 0)) / log10(1 + {f_reach}))
      + {w_eng} * min(1.0, log10(1 + max(coalesce(engagement, 0), 0)) / log10(1 + {f_eng}))
      + {w_act} * min(1.0, log10(1 + mention_count) / log10(1 + {f_act}))
    )) AS INTEGER)
""".format(
    w_reach=people.WEIGHTS["reach"], w_eng=people.WEIGHTS["engagement"], w_act=people.WEIGHTS["activity"],
    f_reach=people.FULL_MARKS["reach"], f_eng=people.FULL_MARKS["engagement"], f_act=people.FULL_MARKS["activity"],
)  # fmt: skip


def refresh_authors(ws: Store, author_ids: Iterable[int] | None = None) -> None:
    """Recompute counts, first/last seen and influence (all authors when `author_ids` is None).

    Runs inside the caller's transaction when there is one.
    """
    if author_ids is None:
        ws.execute(_REFRESH_ALL)
        ws.execute(_REFRESH_SILENT)
        ws.execute(_INFLUENCE)
        return
    ids = sorted({i for i in author_ids if i is not None})
    for chunk in chunked(ids):
        ws.execute(f"{_REFRESH} WHERE id {in_list(chunk)}", chunk)
        ws.execute(f"{_INFLUENCE} WHERE id {in_list(chunk)}", chunk)


def authors_of(ws: Store, mention_ids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for chunk in chunked(mention_ids):
        rows = ws.execute(
            f"SELECT DISTINCT author_id FROM mentions WHERE id {in_list(chunk)} AND author_id IS NOT NULL",
            chunk,
        )
        found.update(r[0] for r in rows)
    return found


def author_profile(ws: Store, author_id: int) -> dict[str, Any] | None:
    """Everything the author panel shows: identity, counts, role, influence (their sentiment over
    time is `sentiment_over_time`)."""
    row = ws.execute("SELECT * FROM authors WHERE id = ?", (author_id,)).fetchone()
    if row is None:
        return None
    profile = dict(row)
    profile["role"] = people.role(
        profile["positive_count"], profile["negative_count"], profile["scored_count"]
    )
    return profile


# ---------------------------------------------------------------- sentiment over time


def sentiment_over_time(ws: Store, author_id: int) -> SentimentSeries:
    """An author's negative, neutral, positive and unscored mentions per week, or per month when
    their history spans more than MONTHLY_AFTER_DAYS, from first to last seen with no gaps.

    One query over the covering index mentions_author_sentiment counts them by day; the days
    are folded into periods here.
    """
    days: dict[str, Counter[str]] = {}
    for sentiment, day, count in ws.execute(
        "SELECT sentiment, substr(published_at, 1, 10), count(*) FROM mentions "
        "WHERE author_id = ? GROUP BY 1, 2",
        (author_id,),
    ):
        days.setdefault(day, Counter())[sentiment or "unscored"] += count
    if not days:
        return SentimentSeries("week", [])
    first, last = min(days), max(days)
    monthly = (date.fromisoformat(last) - date.fromisoformat(first)).days > MONTHLY_AFTER_DAYS
    start_of = (lambda day: day[:7] + "-01") if monthly else week_of
    end_of = month_after if monthly else (lambda start: next_day(start, 7))
    periods: dict[str, Period] = {}
    start = start_of(first)
    while start <= last:
        periods[start] = Period(start, end_of(start))
        start = periods[start].end
    for day, counts in days.items():
        periods[start_of(day)].counts.update(counts)
    return SentimentSeries("month" if monthly else "week", list(periods.values()), first)


def author_mention_ids(ws: Store, author_id: int, *, limit: int = 200) -> list[int]:
    rows = ws.execute(
        "SELECT id FROM mentions WHERE author_id = ? ORDER BY published_at DESC, id DESC LIMIT ?",
        (author_id, limit),
    )
    return [r[0] for r in rows]


def set_vip(ws: Store, author_id: int, vip: bool) -> Changes:
    """Add to or take off the VIP list (is:vip searches change: the window refreshes)."""
    with ws.transaction():
        ws.execute("UPDATE authors SET vip = ? WHERE id = ?", (1 if vip else 0, author_id))
    return Changes(authors=True, all_mentions=True)


def author_note(ws: Store, author_id: int) -> str:
    """The strategist's note on an author ('' when there is none)."""
    body = ws.scalar(
        "SELECT body FROM notes WHERE author_id = ? ORDER BY updated_at DESC, id DESC LIMIT 1", (author_id,)
    )
    return str(body or "")


def set_author_note(ws: Store, author_id: int, body: str) -> None:
    """Keep one note per author: write it, replace it, or (empty text) remove it."""
    body = body.strip()
    if len(body) > MAX_NOTE_CHARS:
        raise UserError(f"Notes are at most {MAX_NOTE_CHARS:,} characters")
    with ws.transaction():
        note_id = ws.scalar(
            "SELECT id FROM notes WHERE author_id = ? ORDER BY updated_at DESC, id DESC LIMIT 1", (author_id,)
        )
        if not body:
            ws.execute("DELETE FROM notes WHERE author_id = ?", (author_id,))
        elif note_id is None:
            now = utc_now()
            ws.execute(
                "INSERT INTO notes (author_id, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
                (author_id, body, now, now),
            )
        else:
            ws.execute("UPDATE notes SET body = ?, updated_at = ? WHERE id = ?", (body, utc_now(), note_id))


def top_authors(ws: Store, *, role: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Most influential authors; `role` narrows to 'advocate', 'detractor' or 'vip'."""
    where = {
        None: "1",
        "advocate": ADVOCATE_SQL,
        "detractor": DETRACTOR_SQL,
        "vip": "a.vip = 1",
    }[role]
    rows = ws.execute(
        "SELECT a.*, EXISTS (SELECT 1 FROM notes n WHERE n.author_id = a.id) AS has_note "
        f"FROM authors a WHERE {where} AND a.mention_count > 0 "
        "ORDER BY a.influence DESC, a.mention_count DESC LIMIT ?",
        (limit,),
    )
    return [
        {**dict(r), "role": people.role(r["positive_count"], r["negative_count"], r["scored_count"])}
        for r in rows
    ]


def role_counts(ws: Store) -> dict[str, int]:
    """How many authors each People tab lists: advocates, detractors, VIPs."""
    row = ws.execute(
        f"SELECT coalesce(sum({ADVOCATE_SQL}), 0), coalesce(sum({DETRACTOR_SQL}), 0), coalesce(sum(a.vip), 0) "
        "FROM authors a WHERE a.mention_count > 0"
    ).fetchone()
    return {"advocate": row[0], "detractor": row[1], "vip": row[2]}

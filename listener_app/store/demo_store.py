"""Writes only the demo builder needs: its tags, views, trackers and a lived-in triage state.

Demo triage is written directly, without undo events: it is the starting point, not history.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from listener_app.domain.models import SCORE_OF
from listener_app.domain.normalize import utc_now
from listener_app.store import search
from listener_app.store.authors import authors_of, refresh_authors
from listener_app.store.connection import Store
from listener_app.store.trackers import create_tracker, rerun_trackers

# Which demo mentions the strategist has tagged: a search per tag.
TAG_QUERIES = {
    "billing": "refund OR charged OR invoice OR billing",
    "shipping": "shipping OR arrived OR tracking OR ship",
    "battery": "battery OR charging OR charge",
    "bug": 'crash* OR bluetooth OR "won\'t load" OR update',
    "feature-request": "intent:suggestion",
    "support": "support OR hold OR ticket OR repair",
    "praise": "intent:praise",
    "spam": "giveaway OR hiring",
}
NOTES = (
    "Asked billing to check the double charge; waiting on finance.",
    "Escalated to the Android team: same crash as ticket #4471.",
    "Influencer: loop in the PR team before replying.",
    "Offered a replacement, customer accepted by DM.",
    "Known issue, fix in firmware 12.3 next week.",
)


def setup(
    ws: Store,
    *,
    tags: Sequence[tuple[str, str, str | None, str]],
    views: Sequence[tuple[str, str]],
    trackers: Sequence[tuple[str, str, str]],
    brand: str,
) -> None:
    now = utc_now()
    with ws.transaction():
        ws.conn.executemany(
            "INSERT OR IGNORE INTO tags (name, color, grp, shortcut, created_at) VALUES (?, ?, ?, ?, ?)",
            [(*tag, now) for tag in tags],
        )
        ws.conn.executemany(
            "INSERT OR IGNORE INTO views (name, query, position, created_at) VALUES (?, ?, ?, ?)",
            [(name, query, i, now) for i, (name, query) in enumerate(views)],
        )
        ws.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('brand', json_quote(?))", (brand,))
        ws.conn.executemany(
            "INSERT OR IGNORE INTO sources (name, kind, settings, created_at) VALUES (?, ?, '{}', ?)",
            [(f"Demo {kind}", kind, now) for kind in _demo_kinds(ws)],
        )
    for name, query, role in trackers:
        if not ws.scalar("SELECT 1 FROM trackers WHERE name = ?", (name,)):
            create_tracker(ws, name, query, role)
    rerun_trackers(ws)


def _demo_kinds(ws: Store) -> list[str]:
    return [r[0] for r in ws.execute("SELECT DISTINCT source FROM mentions ORDER BY source")]


def apply_plan(ws: Store, plan: dict[str, list[int]], *, rng: random.Random, now: str) -> None:
    """Statuses, stars, read marks, tags, notes and a few manual labels on the planned mentions."""
    triaged = [m for key in ("done", "needs_response", "monitoring", "responded") for m in plan.get(key, [])]
    with ws.transaction():
        for status in ("done", "needs_response", "monitoring", "responded"):
            ids = plan.get(status, [])
            ws.conn.executemany(
                "UPDATE mentions SET status = ?, read = 1 WHERE id = ?", [(status, i) for i in ids]
            )
        ws.conn.executemany(
            "UPDATE mentions SET responded_at = strftime('%Y-%m-%dT%H:%M:%SZ', published_at, ?) WHERE id = ?",
            [(f"+{rng.randint(1, 30)} hours", i) for i in plan.get("responded", [])],
        )
        ws.conn.executemany(
            "UPDATE mentions SET starred = 1 WHERE id = ?", [(i,) for i in plan.get("star", [])]
        )
        ws.conn.executemany("UPDATE mentions SET read = 1 WHERE id = ?", [(i,) for i in plan.get("read", [])])
        triaged_set = set(triaged)
        for tag, query in TAG_QUERIES.items():
            tag_id = ws.scalar("SELECT id FROM tags WHERE name = ?", (tag,))
            matched = [i for i in search.matching_ids(ws, query) if i in triaged_set or rng.random() < 0.15]
            ws.conn.executemany(
                "INSERT OR IGNORE INTO mention_tags (tag_id, mention_id, origin) VALUES (?, ?, 'manual')",
                [(tag_id, i) for i in matched],
            )
        noted = rng.sample(triaged, min(len(triaged), 40))
        ws.conn.executemany(
            "INSERT INTO notes (mention_id, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [(i, rng.choice(NOTES), now, now) for i in noted],
        )
        _correct_labels(ws, triaged, plan, rng)
        urgent = ws.scalar("SELECT id FROM tags WHERE name = 'urgent'")
        ws.conn.executemany(
            "INSERT OR IGNORE INTO mention_tags (tag_id, mention_id, origin) VALUES (?, ?, 'manual')",
            [(urgent, i) for i in search.matching_ids(ws, "sentiment:negative reach>40000")],
        )


def _correct_labels(ws: Store, triaged: list[int], plan: dict[str, list[int]], rng: random.Random) -> None:
    """Sentiment and intent set by hand on some triaged mentions, to what the generator meant:
    mostly where the automatic labels got it wrong (what a strategist corrects), and some where
    they were right (confirmed in passing)."""
    meant: dict[str, dict[int, str]] = {"sentiment": {}, "intent": {}}
    for key, ids in plan.items():
        kind, _, label = key.partition(":")
        if kind in meant:
            meant[kind].update(dict.fromkeys(ids, label))
    marks = ",".join("?" * len(triaged))
    current = {
        r[0]: (r[1], r[2])
        for r in ws.execute(f"SELECT id, sentiment, intent FROM mentions WHERE id IN ({marks})", triaged)
    }
    known = [m for m in triaged if m in meant["sentiment"] and m in current]
    wrong = [m for m in known if current[m][0] != meant["sentiment"][m]]
    right = [m for m in known if current[m][0] == meant["sentiment"][m]]
    chosen = rng.sample(wrong, min(len(wrong), 45)) + rng.sample(right, min(len(right), 45))
    ws.conn.executemany(
        "UPDATE mentions SET sentiment = ?, sentiment_score = ?, sentiment_origin = 'manual', intent = ?, "
        "intent_origin = 'manual' WHERE id = ?",
        [
            (meant["sentiment"][m], SCORE_OF[meant["sentiment"][m]], meant["intent"].get(m, current[m][1]), m)
            for m in chosen
        ],
    )
    refresh_authors(ws, authors_of(ws, chosen))  # their counts by sentiment changed with the labels

"""Workspace-wide counts for `listener stats` and the status bar."""

from __future__ import annotations

from typing import Any

from listener_app.store.connection import Store


def _grouped(ws: Store, column: str) -> dict[str, int]:
    rows = ws.execute(
        f"SELECT coalesce({column}, 'unscored'), count(*) FROM mentions GROUP BY 1 ORDER BY 2 DESC"
    )
    return {r[0]: r[1] for r in rows}


def workspace_stats(ws: Store) -> dict[str, Any]:
    return {
        "mentions": int(ws.scalar("SELECT count(*) FROM mentions")),
        "authors": int(ws.scalar("SELECT count(*) FROM authors")),
        "by_status": _grouped(ws, "status"),
        "by_source": _grouped(ws, "source"),
        "by_sentiment": _grouped(ws, "sentiment"),
        "by_intent": _grouped(ws, "intent"),
        "tags": int(ws.scalar("SELECT count(*) FROM tags")),
        "notes": int(ws.scalar("SELECT count(*) FROM notes")),
        "first": ws.scalar("SELECT min(published_at) FROM mentions"),
        "last": ws.scalar("SELECT max(published_at) FROM mentions"),
    }


def source_counts(ws: Store) -> list[tuple[str, int]]:
    """Source kinds with their number of mentions, most first."""
    return [
        (r[0], r[1])
        for r in ws.execute("SELECT source, count(*) FROM mentions GROUP BY source ORDER BY 2 DESC")
    ]


def thread_of(ws: Store, mention_id: int) -> list[dict[str, Any]]:
    """The conversation a mention belongs to, oldest first: its root, every post that names
    the root as its thread, and the replies that name only the root as their parent (an X
    reply, a review's answer). `ours` marks what the brand wrote."""
    row = ws.execute(
        "SELECT source, external_id, thread_external_id, parent_external_id FROM mentions WHERE id = ?",
        (mention_id,),
    ).fetchone()
    if row is None:
        return []
    root = row["thread_external_id"] or row["parent_external_id"] or row["external_id"]
    columns = (
        "SELECT id, author_name, text, published_at, parent_external_id, ours FROM mentions WHERE source = ?1"
    )
    rows = ws.execute(  # one indexed lookup each (an OR of the three scans the source's mentions)
        f"{columns} AND external_id = ?2 UNION {columns} AND thread_external_id = ?2 "
        f"UNION {columns} AND parent_external_id = ?2 ORDER BY published_at, id LIMIT 200",
        (row["source"], root),
    )
    return [{**dict(r), "ours": bool(r["ours"])} for r in rows]

"""Workspace-wide counts for `listener stats` and the status bar."""

from __future__ import annotations

from typing import Any

from listener_app.db.workspace import Workspace


def _grouped(ws: Workspace, column: str) -> dict[str, int]:
    rows = ws.execute(
        f"SELECT coalesce({column}, 'unscored'), count(*) FROM mentions GROUP BY 1 ORDER BY 2 DESC"
    )
    return {r[0]: r[1] for r in rows}


def workspace_stats(ws: Workspace) -> dict[str, Any]:
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

"""Saved views: named searches shown in the sidebar (a view marked `notify` raises alerts)."""

from __future__ import annotations

from typing import Any

from listener_app.domain.errors import UserError
from listener_app.domain.normalize import utc_now
from listener_app.store.connection import Store


def save_view(ws: Store, name: str, query: str, *, notify: bool = False) -> int:
    """Create or replace the view called `name` (the caller has checked that `query` parses)."""
    name = " ".join(name.split())
    if not name:
        raise UserError("A view needs a name")
    with ws.transaction():
        existing = ws.scalar("SELECT id FROM views WHERE name = ?", (name,))
        if existing:
            ws.execute("UPDATE views SET query = ?, notify = ? WHERE id = ?", (query, int(notify), existing))
            return int(existing)
        position = int(ws.scalar("SELECT coalesce(max(position), 0) + 1 FROM views"))
        cursor = ws.execute(
            "INSERT INTO views (name, query, notify, position, created_at) VALUES (?, ?, ?, ?, ?)",
            (name, query, int(notify), position, utc_now()),
        )
    return int(cursor.lastrowid or 0)


def delete_view(ws: Store, view_id: int) -> None:
    with ws.transaction():
        ws.execute("DELETE FROM views WHERE id = ?", (view_id,))


def list_views(ws: Store) -> list[dict[str, Any]]:
    return [dict(r) for r in ws.execute("SELECT id, name, query, notify FROM views ORDER BY position, id")]

"""The event log behind undo and redo (it lives in the workspace, so it survives a restart).

An event is one triage action: what was done (`action`, `params`), by whom (`origin`: 'user'
or 'rule:NAME') and, per mention, the value it had before (`event_items.before`). Undo puts
the before values back; redo applies the action again. A new action forgets what was undone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from listener_app.domain.changes import Changes
from listener_app.domain.models import SCORE_OF
from listener_app.domain.normalize import utc_now
from listener_app.store.chunks import chunked, in_list
from listener_app.store.connection import Store

LABELS = {
    "set_status": "set status to {status}",
    "add_tags": "add tag",
    "remove_tags": "remove tag",
    "set_starred": "star",
    "set_sentiment": "set sentiment",
    "set_intent": "set intent",
    "add_note": "add note",
    "update_note": "edit note",
    "delete_note": "delete note",
}


def record(ws: Store, action: str, params: dict[str, Any], origin: str, before: dict[int, str]) -> int:
    """Log an action (inside the caller's transaction); forgets the redo stack."""
    ws.execute("DELETE FROM events WHERE undone = 1")
    cursor = ws.execute(
        "INSERT INTO events (at, action, params, origin) VALUES (?, ?, ?, ?)",
        (utc_now(), action, json.dumps(params), origin),
    )
    event_id = int(cursor.lastrowid or 0)
    ws.conn.executemany(
        "INSERT INTO event_items (event_id, mention_id, before) VALUES (?, ?, ?)",
        [(event_id, mention_id, value) for mention_id, value in before.items()],
    )
    return event_id


def apply(ws: Store, action: str, params: dict[str, Any], ids: Sequence[int]) -> None:
    """Do an action on mentions (first time or redo)."""
    for chunk in chunked(ids):
        if action == "set_status":
            ws.execute(
                "UPDATE mentions SET status = ?, responded_at = CASE WHEN ? = 'responded' "
                f"THEN coalesce(responded_at, ?) ELSE responded_at END WHERE id {in_list(chunk)}",
                [params["status"], params["status"], utc_now(), *chunk],
            )
        elif action == "add_tags":
            ws.conn.executemany(
                "INSERT OR IGNORE INTO mention_tags (tag_id, mention_id, origin) VALUES (?, ?, 'manual')",
                [(t, m) for t in params["tag_ids"] for m in chunk],
            )
            ws.execute(
                f"UPDATE mention_tags SET origin = 'manual' WHERE mention_id {in_list(chunk)} AND tag_id "
                f"{in_list(params['tag_ids'])} AND origin <> 'manual'",
                [*chunk, *params["tag_ids"]],
            )
        elif action == "remove_tags":
            ws.execute(
                f"DELETE FROM mention_tags WHERE mention_id {in_list(chunk)} AND tag_id {in_list(params['tag_ids'])}",
                [*chunk, *params["tag_ids"]],
            )
        elif action == "set_starred":
            ws.execute(
                f"UPDATE mentions SET starred = ? WHERE id {in_list(chunk)}", [int(params["starred"]), *chunk]
            )
        elif action == "set_sentiment":
            value = params["value"]
            ws.execute(
                "UPDATE mentions SET sentiment = ?, sentiment_score = ?, sentiment_origin = ? "
                f"WHERE id {in_list(chunk)}",
                [value, SCORE_OF.get(value) if value else None, "manual" if value else None, *chunk],
            )
        elif action == "set_intent":
            value = params["value"]
            ws.execute(
                f"UPDATE mentions SET intent = ?, intent_origin = ? WHERE id {in_list(chunk)}",
                [value, "manual" if value else None, *chunk],
            )
        elif action in ("add_note", "update_note"):
            now = utc_now()
            ws.execute(
                "INSERT INTO notes (id, mention_id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
                (params["note_id"], chunk[0], params["body"], params.get("at", now), now),
            )
        elif action == "delete_note":
            ws.execute("DELETE FROM notes WHERE id = ?", (params["note_id"],))
        else:  # pragma: no cover - every recorded action is listed above
            raise ValueError(f"unknown action {action}")


def _restore(ws: Store, action: str, params: dict[str, Any], items: list[tuple[int, str]]) -> None:
    if action in RESTORED_COLUMNS:
        _restore_columns(ws, RESTORED_COLUMNS[action], items)
    elif action in ("add_tags", "remove_tags"):
        tag_ids = params["tag_ids"]
        pairs_to_delete = [(m, t) for m, before in items for t in tag_ids if t not in json.loads(before)]
        pairs_to_add = [(t, m) for m, before in items for t in json.loads(before)]
        ws.conn.executemany("DELETE FROM mention_tags WHERE mention_id = ? AND tag_id = ?", pairs_to_delete)
        ws.conn.executemany(
            "INSERT OR IGNORE INTO mention_tags (tag_id, mention_id, origin) VALUES (?, ?, 'manual')",
            pairs_to_add,
        )
    elif action == "add_note":
        ws.execute("DELETE FROM notes WHERE id = ?", (params["note_id"],))
    elif action in ("update_note", "delete_note"):
        (mention_id, before), now = items[0], utc_now()
        ws.execute(
            "INSERT INTO notes (id, mention_id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
            (params["note_id"], mention_id, json.loads(before), params.get("at", now), now),
        )


LABEL_ACTIONS = ("add_tags", "remove_tags", "set_sentiment", "set_intent")
# The columns an undo puts back, per action: each item's `before` holds their values.
RESTORED_COLUMNS = {
    "set_status": ("status", "responded_at"),
    "set_starred": ("starred",),
    "set_sentiment": ("sentiment", "sentiment_score", "sentiment_origin"),
    "set_intent": ("intent", "intent_origin"),
}


def _restore_columns(ws: Store, columns: tuple[str, ...], items: list[tuple[int, str]]) -> None:
    """Put values back with one UPDATE per distinct earlier value (a bulk action usually changed
    mentions that had one or two): ids in order, as the action itself wrote them."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for mention_id, before in items:
        value = json.loads(before)
        groups.setdefault(tuple(value) if isinstance(value, list) else (value,), []).append(mention_id)
    assignments = ", ".join(f"{column} = ?" for column in columns)
    for values, ids in groups.items():
        ids.sort()
        for chunk in chunked(ids):
            ws.execute(f"UPDATE mentions SET {assignments} WHERE id {in_list(chunk)}", [*values, *chunk])


def _event(ws: Store, where: str) -> Any:
    return ws.execute(f"SELECT id, action, params FROM events WHERE {where}").fetchone()


def _items(ws: Store, event_id: int) -> list[tuple[int, str]]:
    return [
        (r[0], r[1])
        for r in ws.execute("SELECT mention_id, before FROM event_items WHERE event_id = ?", (event_id,))
    ]


def _changes(action: str, event_id: int, ids: list[int]) -> Changes:
    return Changes.of(
        ids,
        tags=action in ("add_tags", "remove_tags"),
        labels=action in LABEL_ACTIONS,
        event_id=event_id,
    )


def undo(ws: Store) -> Changes | None:
    """Undo the most recent action not yet undone; None when there is nothing to undo."""
    with ws.transaction():
        event = _event(ws, "undone = 0 ORDER BY id DESC LIMIT 1")
        if event is None:
            return None
        items = _items(ws, event["id"])
        _restore(ws, event["action"], json.loads(event["params"]), items)
        ws.execute("UPDATE events SET undone = 1 WHERE id = ?", (event["id"],))
        ids = [m for m, _ in items]
    return _changes(event["action"], event["id"], ids)


def redo(ws: Store) -> Changes | None:
    """Do again the most recently undone action; None when there is nothing to redo."""
    with ws.transaction():
        event = _event(ws, "undone = 1 ORDER BY id ASC LIMIT 1")
        if event is None:
            return None
        ids = [m for m, _ in _items(ws, event["id"])]
        apply(ws, event["action"], json.loads(event["params"]), ids)
        ws.execute("UPDATE events SET undone = 0 WHERE id = ?", (event["id"],))
    return _changes(event["action"], event["id"], ids)


def describe(ws: Store, event_id: int) -> str:
    row = ws.execute(
        "SELECT e.action, e.params, e.origin, count(i.mention_id) AS n FROM events e "
        "LEFT JOIN event_items i ON i.event_id = e.id WHERE e.id = ? GROUP BY e.id",
        (event_id,),
    ).fetchone()
    params = json.loads(row["params"])
    text = LABELS.get(row["action"], row["action"]).format(**params)
    if row["action"] in ("add_tags", "remove_tags"):
        names = [
            r[0]
            for r in ws.execute(
                f"SELECT name FROM tags WHERE id {in_list(params['tag_ids'])}", params["tag_ids"]
            )
        ]
        text = f"{text} {', '.join(names)}"
    elif row["action"] == "set_starred" and not params["starred"]:
        text = "unstar"
    elif row["action"] in ("set_sentiment", "set_intent"):
        text = f"{text} to {params['value'] or 'automatic'}"
    count = row["n"]
    by_rule = f", rule {row['origin'].removeprefix('rule:')}" if row["origin"].startswith("rule:") else ""
    return f"{text} ({count} mention{'s' if count != 1 else ''}{by_rule})"


def last_event_label(ws: Store) -> str | None:
    event = _event(ws, "undone = 0 ORDER BY id DESC LIMIT 1")
    return describe(ws, event["id"]) if event else None


def next_redo_label(ws: Store) -> str | None:
    event = _event(ws, "undone = 1 ORDER BY id ASC LIMIT 1")
    return describe(ws, event["id"]) if event else None


def history(ws: Store, mention_id: int, limit: int = 50) -> list[dict[str, Any]]:
    """What was done to a mention, newest first: when, what, and by whom."""
    rows = ws.execute(
        "SELECT e.id, e.at, e.origin, e.undone FROM events e JOIN event_items i ON i.event_id = e.id "
        "WHERE i.mention_id = ? ORDER BY e.id DESC LIMIT ?",
        (mention_id, limit),
    ).fetchall()
    return [
        {"at": r["at"], "origin": r["origin"], "undone": bool(r["undone"]), "what": describe(ws, r["id"])}
        for r in rows
    ]

"""Notes on mentions. Adding, editing and deleting a note are undoable; the
window autosaves as the user types, so edits of one note within NOTE_MERGE_SECONDS of each
other are one undo step."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from listener_app.domain.changes import Changes
from listener_app.domain.errors import UserError
from listener_app.domain.models import MAX_NOTE_CHARS
from listener_app.domain.normalize import utc_now
from listener_app.store import events
from listener_app.store.connection import Store

NOTE_MERGE_SECONDS = 60


def _body(body: str) -> str:
    body = body.strip()
    if not body:
        raise UserError("A note needs some text")
    if len(body) > MAX_NOTE_CHARS:
        raise UserError(f"Notes are at most {MAX_NOTE_CHARS:,} characters")
    return body


def add_note(ws: Store, mention_id: int, body: str, *, origin: str = "user") -> tuple[int, Changes]:
    body = _body(body)
    with ws.transaction():
        now = utc_now()
        cursor = ws.execute(
            "INSERT INTO notes (mention_id, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (mention_id, body, now, now),
        )
        note_id = int(cursor.lastrowid or 0)
        event_id = events.record(
            ws, "add_note", {"note_id": note_id, "body": body, "at": now}, origin, {mention_id: "null"}
        )
    return note_id, Changes.of([mention_id], event_id=event_id, created_id=note_id)


def update_note(ws: Store, note_id: int, body: str, *, origin: str = "user") -> Changes:
    body = _body(body)
    row = ws.execute("SELECT mention_id, body FROM notes WHERE id = ?", (note_id,)).fetchone()
    if row is None:
        raise UserError("That note no longer exists")
    if row["body"] == body:
        return Changes()
    with ws.transaction():
        ws.execute("UPDATE notes SET body = ?, updated_at = ? WHERE id = ?", (body, utc_now(), note_id))
        last = ws.execute(
            "SELECT id, action, params, at FROM events WHERE undone = 0 ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if (
            last is not None
            and last["action"] in ("update_note", "add_note")
            and _same_note_recently(last, note_id)
        ):
            params = json.loads(last["params"])
            params["body"] = body
            ws.execute("UPDATE events SET params = ? WHERE id = ?", (json.dumps(params), last["id"]))
            return Changes.of([row["mention_id"]], event_id=last["id"])
        event_id = events.record(
            ws,
            "update_note",
            {"note_id": note_id, "body": body},
            origin,
            {row["mention_id"]: json.dumps(row["body"])},
        )
    return Changes.of([row["mention_id"]], event_id=event_id)


def _same_note_recently(event: Any, note_id: int) -> bool:
    if json.loads(event["params"]).get("note_id") != note_id:
        return False
    at = datetime.strptime(event["at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return (datetime.now(UTC) - at).total_seconds() <= NOTE_MERGE_SECONDS


def delete_note(ws: Store, note_id: int, *, origin: str = "user") -> Changes:
    row = ws.execute("SELECT mention_id, body, created_at FROM notes WHERE id = ?", (note_id,)).fetchone()
    if row is None:
        return Changes()
    with ws.transaction():
        ws.execute("DELETE FROM notes WHERE id = ?", (note_id,))
        event_id = events.record(
            ws, "delete_note", {"note_id": note_id, "at": row["created_at"]}, origin,
            {row["mention_id"]: json.dumps(row["body"])},
        )  # fmt: skip
    return Changes.of([row["mention_id"]], event_id=event_id)


def notes_for(ws: Store, mention_id: int) -> list[dict[str, Any]]:
    rows = ws.execute(
        "SELECT id, body, created_at, updated_at FROM notes WHERE mention_id = ? ORDER BY created_at, id",
        (mention_id,),
    )
    return [dict(r) for r in rows]

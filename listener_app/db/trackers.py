"""Trackers and the mention-tracker links behind `tracker:`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from listener_app.core.errors import UserError
from listener_app.core.models import TRACKER_ROLES
from listener_app.core.normalize import utc_now
from listener_app.core.tasks import TaskState
from listener_app.core.trackers import compile_tracker
from listener_app.db.workspace import Workspace

_CHUNK = 500


def create_tracker(
    ws: Workspace, name: str, query: str, role: str = "brand", languages: Sequence[str] | None = None
) -> int:
    name = " ".join(name.split())
    if not name:
        raise UserError("A tracker needs a name")
    if role not in TRACKER_ROLES:
        raise UserError(f"A tracker's role is one of {', '.join(TRACKER_ROLES)}, not {role!r}")
    compile_tracker(query)  # raises TrackerQueryError with the position of a mistake
    if ws.scalar("SELECT 1 FROM trackers WHERE name = ?", (name,)):
        raise UserError(f"There is already a tracker named {name!r}")
    with ws.transaction():
        cursor = ws.execute(
            "INSERT INTO trackers (name, query, role, languages, created_at) VALUES (?, ?, ?, ?, ?)",
            (name, query.strip(), role, json.dumps(list(languages)) if languages else None, utc_now()),
        )
    return int(cursor.lastrowid or 0)


def update_tracker(
    ws: Workspace, tracker_id: int, *, query: str | None = None, role: str | None = None
) -> None:
    if query is not None:
        compile_tracker(query)
    with ws.transaction():
        if query is not None:
            ws.execute("UPDATE trackers SET query = ? WHERE id = ?", (query.strip(), tracker_id))
        if role is not None:
            ws.execute("UPDATE trackers SET role = ? WHERE id = ?", (role, tracker_id))


def delete_tracker(ws: Workspace, name: str) -> bool:
    with ws.transaction():
        return ws.execute("DELETE FROM trackers WHERE name = ?", (name,)).rowcount > 0


def list_trackers(ws: Workspace, *, with_counts: bool = True) -> list[dict[str, Any]]:
    count = "(SELECT count(*) FROM mention_trackers mk WHERE mk.tracker_id = k.id)" if with_counts else "NULL"
    rows = ws.execute(
        f"SELECT k.id, k.name, k.query, k.role, k.languages, {count} AS count FROM trackers k ORDER BY k.role, k.name"
    )
    return [dict(r) for r in rows]


def _lang_clause(languages: str | None) -> tuple[str, list[Any]]:
    langs = json.loads(languages) if languages else []
    if not langs:
        return "", []
    return f" AND (m.lang IS NULL OR m.lang IN ({','.join('?' * len(langs))}))", list(langs)


def match_mentions(ws: Workspace, mention_ids: Sequence[int]) -> int:
    """Link the given (new) mentions to every tracker they match; returns links made."""
    made = 0
    ids = sorted(set(mention_ids))
    for tracker in ws.execute("SELECT id, query, languages FROM trackers").fetchall():
        expression = compile_tracker(tracker["query"])
        lang_sql, lang_params = _lang_clause(tracker["languages"])
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            cursor = ws.execute(
                "INSERT OR IGNORE INTO mention_trackers (tracker_id, mention_id) "
                f"SELECT ?, m.id FROM mentions m WHERE m.id IN ({','.join('?' * len(chunk))}) "
                f"AND m.id IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?){lang_sql}",
                [tracker["id"], *chunk, expression, *lang_params],
            )
            made += cursor.rowcount
    return made


def rerun_trackers(
    ws: Workspace, tracker_ids: Sequence[int] | None = None, state: TaskState | None = None
) -> int:
    """Re-match every stored mention against the trackers (after a tracker changed)."""
    trackers = ws.execute("SELECT id, name, query, languages FROM trackers").fetchall()
    if tracker_ids is not None:
        trackers = [t for t in trackers if t["id"] in set(tracker_ids)]
    links = 0
    for done, tracker in enumerate(trackers):
        if state is not None:
            state.check()
            state.progress(done, total=len(trackers), message=f"Matching tracker {tracker['name']}")
        lang_sql, lang_params = _lang_clause(tracker["languages"])
        with ws.transaction():
            ws.execute("DELETE FROM mention_trackers WHERE tracker_id = ?", (tracker["id"],))
            cursor = ws.execute(
                "INSERT INTO mention_trackers (tracker_id, mention_id) SELECT ?, m.id FROM mentions m "
                f"WHERE m.id IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?){lang_sql}",
                [tracker["id"], compile_tracker(tracker["query"]), *lang_params],
            )
            links += cursor.rowcount
    if state is not None:
        state.progress(len(trackers))
    return links

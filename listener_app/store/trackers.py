"""Trackers and the mention-tracker links behind `tracker:`.

A mention belongs to a tracker when core.trackers.matches() says so. To find those among a
million mentions, the workspace's full-text index first picks the candidates (an FTS5
expression that is never narrower than the tracker: see core.trackers.to_fts), then each
candidate's title and text are matched locally.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from listener_app.domain.errors import UserError
from listener_app.domain.models import TRACKER_ROLES
from listener_app.domain.normalize import utc_now
from listener_app.domain.tasks import TaskState
from listener_app.domain.trackers import CompiledTracker, compile_tracker, matches, to_fts
from listener_app.store.connection import Store

CHUNK = 500  # ids per statement when matching given mentions
RERUN_CHUNK = 5000  # candidates per transaction when re-matching everything
_UNSET: Any = object()
_LANG = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})?")


def _languages(languages: Sequence[str] | str | None) -> str | None:
    if isinstance(languages, str):
        languages = languages.replace(",", " ").split()
    cleaned = [lang.strip().lower().replace("_", "-") for lang in languages or () if lang.strip()]
    for lang in cleaned:
        if not _LANG.fullmatch(lang):
            raise UserError(f"'{lang}' is not a language code such as en or pt-br")
    return json.dumps(list(dict.fromkeys(cleaned))) if cleaned else None


def _role(role: str) -> str:
    if role not in TRACKER_ROLES:
        raise UserError(f"A tracker's role is one of {', '.join(TRACKER_ROLES)}, not {role!r}")
    return role


def _name(ws: Store, name: str, tracker_id: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise UserError("A tracker needs a name")
    other = ws.scalar("SELECT id FROM trackers WHERE name = ?", (name,))
    if other is not None and other != tracker_id:
        raise UserError(f"There is already a tracker named {name!r}")
    return name


def create_tracker(
    ws: Store,
    name: str,
    query: str,
    role: str = "brand",
    languages: Sequence[str] | str | None = None,
) -> int:
    """A new tracker (its mentions are linked by rerun_trackers, or as they arrive)."""
    compile_tracker(query)  # raises TrackerQueryError with the position of a mistake
    langs, role = _languages(languages), _role(role)
    with ws.transaction():
        cursor = ws.execute(
            "INSERT INTO trackers (name, query, role, languages, created_at) VALUES (?, ?, ?, ?, ?)",
            (_name(ws, name), query.strip(), role, langs, utc_now()),
        )
    return int(cursor.lastrowid or 0)


def update_tracker(
    ws: Store,
    tracker_id: int,
    *,
    name: str | None = None,
    query: str | None = None,
    role: str | None = None,
    languages: Sequence[str] | str | None = _UNSET,
) -> bool:
    """Change a tracker; returns whether its matches may have changed (then rerun it)."""
    changes: dict[str, Any] = {}
    if query is not None:
        compile_tracker(query)
        changes["query"] = query.strip()
    if role is not None:
        changes["role"] = _role(role)
    if languages is not _UNSET:
        changes["languages"] = _languages(languages)
    with ws.transaction():
        if ws.scalar("SELECT 1 FROM trackers WHERE id = ?", (tracker_id,)) is None:
            raise UserError(f"No tracker with id {tracker_id}")
        if name is not None:
            changes["name"] = _name(ws, name, tracker_id)
        for column, value in changes.items():
            ws.execute(f"UPDATE trackers SET {column} = ? WHERE id = ?", (value, tracker_id))
    return "query" in changes or "languages" in changes


def delete_tracker(ws: Store, tracker: str | int) -> bool:
    """Delete a tracker by name or id (its links go with it)."""
    column = "id" if isinstance(tracker, int) else "name"
    with ws.transaction():
        return ws.execute(f"DELETE FROM trackers WHERE {column} = ?", (tracker,)).rowcount > 0


def list_trackers(ws: Store, *, with_counts: bool = True) -> list[dict[str, Any]]:
    """Trackers by role and name; `count` is the number of linked mentions (None without)."""
    counts: dict[int, int] = {}
    if with_counts:
        counts = dict(
            ws.execute("SELECT tracker_id, count(*) FROM mention_trackers GROUP BY tracker_id").fetchall()
        )
    rows = ws.execute(
        "SELECT id, name, query, role, languages FROM trackers ORDER BY role, name COLLATE NOCASE"
    )
    return [
        dict(row)
        | {
            "languages": json.loads(row["languages"]) if row["languages"] else [],
            "count": counts.get(row["id"], 0) if with_counts else None,
        }
        for row in rows
    ]


def _compiled(ws: Store, tracker_ids: Sequence[int] | None = None) -> list[tuple[int, str, CompiledTracker]]:
    wanted = None if tracker_ids is None else set(tracker_ids)
    out = []
    for row in ws.execute("SELECT id, name, query, languages FROM trackers ORDER BY id"):
        if wanted is None or row["id"] in wanted:
            langs = json.loads(row["languages"]) if row["languages"] else None
            out.append((int(row["id"]), str(row["name"]), compile_tracker(row["query"], langs)))
    return out


def match_mentions(ws: Store, mention_ids: Sequence[int]) -> int:
    """Link the given (new) mentions to every tracker they match; returns the links made."""
    ids = sorted(set(mention_ids))
    if not ids:
        return 0
    links: list[tuple[int, int]] = []
    for tracker_id, _, compiled in _compiled(ws):
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            # The full-text index is asked only for the chunk's stretch of ids (new mentions have
            # neighbouring ids): asked for every match of a tracker, it read the whole of its
            # matches for each chunk, 0.2 s per 500 new mentions in a workspace of a million.
            rows = ws.execute(
                "SELECT m.id, m.title, m.text, m.lang FROM mentions m WHERE m.id IN (SELECT rowid "
                "FROM mentions_fts WHERE mentions_fts MATCH ? AND rowid BETWEEN ? AND ?) "
                f"AND m.id IN ({','.join('?' * len(chunk))})",
                [to_fts(compiled.node), chunk[0], chunk[-1], *chunk],
            )
            links.extend((tracker_id, r[0]) for r in rows if matches(compiled, r[1], r[2], r[3]))
    return _link(ws, links)


def _link(ws: Store, links: list[tuple[int, int]]) -> int:
    if not links:
        return 0
    before = ws.conn.total_changes
    with ws.transaction():
        ws.conn.executemany(
            "INSERT OR IGNORE INTO mention_trackers (tracker_id, mention_id) VALUES (?, ?)", links
        )
    return ws.conn.total_changes - before


def _candidates(ws: Store, compiled: CompiledTracker) -> Iterator[list[tuple[Any, ...]]]:
    """Chunks of (id, title, text, lang) of the mentions the full-text index picks, by id."""
    last = 0
    expression = to_fts(compiled.node)
    while True:
        rows = ws.execute(
            "SELECT m.id, m.title, m.text, m.lang FROM mentions m JOIN "
            "(SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ? AND rowid > ? ORDER BY rowid LIMIT ?) f "
            "ON m.id = f.rowid ORDER BY m.id",
            [expression, last, RERUN_CHUNK],
        ).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield [tuple(r) for r in rows]


def rerun_trackers(
    ws: Store, tracker_ids: Sequence[int] | None = None, state: TaskState | None = None
) -> int:
    """Re-match every stored mention against the trackers (all, or the given ones); returns
    the links there are now. Progress goes to `state`, counted in candidate mentions. A cancel
    stops between chunks: trackers already done keep their new links, the rest their old ones."""
    trackers = _compiled(ws, tracker_ids)
    totals = {
        tid: int(ws.scalar("SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH ?", [to_fts(c.node)]))
        for tid, _, c in trackers
    }
    done, links = 0, 0
    if state is not None:
        state.progress(0, total=sum(totals.values()), message="Matching trackers")
    for tracker_id, name, compiled in trackers:
        found: list[int] = []
        for chunk in _candidates(ws, compiled):
            if state is not None:
                state.check()
            found.extend(r[0] for r in chunk if matches(compiled, r[1], r[2], r[3]))
            done += len(chunk)
            if state is not None:
                state.progress(done, message=f"Matching tracker {name}")
        if state is not None:
            state.check()
        with ws.transaction():  # swap the links in one step: `tracker:` never sees half a tracker
            ws.execute("DELETE FROM mention_trackers WHERE tracker_id = ?", (tracker_id,))
            ws.conn.executemany(
                "INSERT INTO mention_trackers (tracker_id, mention_id) VALUES (?, ?)",
                ((tracker_id, mention_id) for mention_id in found),
            )
        links += len(found)
    if state is not None:
        state.progress(done, message="Trackers matched")
    return links

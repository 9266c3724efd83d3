"""Triage actions on one or many mentions, each recorded as one undoable event.

Every function takes any iterable of ids, runs in one transaction, records ONE event for the
whole selection (a bulk action is one undo step) with each mention's previous value, and
returns a Changes naming the mentions it touched. Marking read is the exception: it happens on
every selection and is not worth an undo step.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from listener_app.domain.changes import Changes
from listener_app.domain.errors import UserError
from listener_app.domain.models import INTENTS, SENTIMENTS, STATUSES
from listener_app.store import events
from listener_app.store.chunks import chunked, in_list
from listener_app.store.connection import Store


def _ids(ids: Iterable[int]) -> list[int]:
    return sorted({int(i) for i in ids})


def _rows(ws: Store, columns: str, ids: Sequence[int]) -> list[Any]:
    rows: list[Any] = []
    for chunk in chunked(ids):
        rows.extend(ws.execute(f"SELECT id, {columns} FROM mentions WHERE id {in_list(chunk)}", chunk))
    return rows


def set_status(ws: Store, ids: Iterable[int], status: str, *, origin: str = "user") -> Changes:
    if status not in STATUSES:
        raise UserError(f"Unknown status {status!r}: use one of {', '.join(STATUSES)}")
    selected = _ids(ids)
    if not selected:
        return Changes()
    with ws.transaction():
        before = {r[0]: json.dumps([r[1], r[2]]) for r in _rows(ws, "status, responded_at", selected)}
        event_id = events.record(ws, "set_status", {"status": status}, origin, before)
        events.apply(ws, "set_status", {"status": status}, list(before))
    return Changes.of(before, event_id=event_id)


def _tag_check(ws: Store, tag_ids: Sequence[int]) -> list[int]:
    known = {r[0] for r in ws.execute("SELECT id FROM tags")}
    unknown = [t for t in tag_ids if t not in known]
    if unknown:
        raise UserError(f"No tag with id {unknown[0]}")
    return list(dict.fromkeys(tag_ids))


def _current_tags(ws: Store, ids: Sequence[int], tag_ids: Sequence[int]) -> dict[int, list[int]]:
    have: dict[int, list[int]] = {i: [] for i in ids}
    tag_marks = ",".join("?" * len(tag_ids))
    for chunk in chunked(ids):
        for mention_id, tag_id in ws.execute(
            f"SELECT mention_id, tag_id FROM mention_tags WHERE mention_id {in_list(chunk)} "
            f"AND tag_id IN ({tag_marks})",
            [*chunk, *tag_ids],
        ):
            have[mention_id].append(tag_id)
    return have


def _tags_action(ws: Store, ids: Iterable[int], tag_ids: Sequence[int], action: str, origin: str) -> Changes:
    tags = _tag_check(ws, tag_ids)
    selected = _ids(ids)
    if not selected or not tags:
        return Changes()
    with ws.transaction():
        before = {m: json.dumps(t) for m, t in _current_tags(ws, selected, tags).items()}
        event_id = events.record(ws, action, {"tag_ids": tags}, origin, before)
        events.apply(ws, action, {"tag_ids": tags}, selected)
    return Changes.of(selected, tags=True, labels=True, event_id=event_id)


def add_tags(ws: Store, ids: Iterable[int], tag_ids: Sequence[int], *, origin: str = "user") -> Changes:
    return _tags_action(ws, ids, tag_ids, "add_tags", origin)


def remove_tags(ws: Store, ids: Iterable[int], tag_ids: Sequence[int], *, origin: str = "user") -> Changes:
    return _tags_action(ws, ids, tag_ids, "remove_tags", origin)


def toggle_tag(ws: Store, ids: Iterable[int], tag_id: int, *, origin: str = "user") -> Changes:
    """Like labels in a mail client: if every selected mention has the tag, remove it; else add it."""
    selected = _ids(ids)
    if not selected:
        return Changes()
    have = _current_tags(ws, selected, [tag_id])
    if all(have[m] for m in selected):
        return remove_tags(ws, selected, [tag_id], origin=origin)
    return add_tags(ws, selected, [tag_id], origin=origin)


def set_starred(ws: Store, ids: Iterable[int], starred: bool, *, origin: str = "user") -> Changes:
    selected = _ids(ids)
    if not selected:
        return Changes()
    with ws.transaction():
        before = {r[0]: str(r[1]) for r in _rows(ws, "starred", selected)}
        event_id = events.record(ws, "set_starred", {"starred": bool(starred)}, origin, before)
        events.apply(ws, "set_starred", {"starred": bool(starred)}, list(before))
    return Changes.of(before, event_id=event_id)


def set_read(ws: Store, ids: Iterable[int], read: bool) -> Changes:
    """Not an undo step: it happens on every selection."""
    selected = _ids(ids)
    if not selected:
        return Changes()
    with ws.transaction():
        for chunk in chunked(selected):
            ws.execute(
                f"UPDATE mentions SET read = ? WHERE id {in_list(chunk)} AND read <> ?",
                [int(read), *chunk, int(read)],
            )
    return Changes.of(selected)


def _label_action(ws: Store, ids: Iterable[int], kind: str, value: str | None, origin: str) -> Changes:
    allowed = SENTIMENTS if kind == "sentiment" else INTENTS
    if value is not None and value not in allowed:
        raise UserError(f"Unknown {kind} {value!r}: use one of {', '.join(allowed)}")
    selected = _ids(ids)
    if not selected:
        return Changes()
    columns = (
        "sentiment, sentiment_score, sentiment_origin" if kind == "sentiment" else "intent, intent_origin"
    )
    with ws.transaction():
        before = {r[0]: json.dumps(list(r[1:])) for r in _rows(ws, columns, selected)}
        action = f"set_{kind}"
        event_id = events.record(ws, action, {"value": value}, origin, before)
        events.apply(ws, action, {"value": value}, list(before))
    return Changes.of(before, labels=True, event_id=event_id)


def set_sentiment(ws: Store, ids: Iterable[int], label: str | None, *, origin: str = "user") -> Changes:
    """A manual sentiment (score -1, 0 or 1); None clears it so the next rescore fills it in."""
    return _label_action(ws, ids, "sentiment", label, origin)


def set_intent(ws: Store, ids: Iterable[int], intent: str | None, *, origin: str = "user") -> Changes:
    return _label_action(ws, ids, "intent", intent, origin)


def triage_counts(ws: Store) -> dict[str, int]:
    """Counts for the sidebar: per status, starred, unread and all."""
    counts = {status: 0 for status in STATUSES}
    counts.update({r[0]: r[1] for r in ws.execute("SELECT status, count(*) FROM mentions GROUP BY status")})
    counts["starred"] = int(ws.scalar("SELECT count(*) FROM mentions WHERE starred = 1"))
    counts["unread"] = int(ws.scalar("SELECT count(*) FROM mentions WHERE read = 0"))
    counts["all"] = sum(counts[s] for s in STATUSES)
    return counts

"""Triage as one unit of work: the store records the action as an undoable event, then what depends
on labels follows in the same transaction (the learned models learn the mentions whose manual
labels changed; their authors' counts are refreshed). The facade, rules and the tests all go through here,
so a label changed by any path is learned from the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from listener_app.domain.changes import Changes
from listener_app.domain.errors import UserError
from listener_app.domain.models import STATUSES
from listener_app.domain.playbook import Assessment
from listener_app.store import events, notes, playbook, tags
from listener_app.store import triage as store_triage
from listener_app.store.authors import authors_of, refresh_authors
from listener_app.store.connection import Store
from listener_app.workspace.learners import labels_changed


def resync(store: Store, changes: Changes) -> Changes:
    """After a write (inside its transaction): learning and author counts catch up with changed labels."""
    if changes.labels and changes.mentions:
        ids = sorted(changes.mentions)
        labels_changed(store, ids)
        refresh_authors(store, authors_of(store, ids))
    return changes


def set_status(store: Store, ids: Iterable[int], status: str, *, origin: str = "user") -> Changes:
    return store_triage.set_status(store, ids, status, origin=origin)


def set_starred(store: Store, ids: Iterable[int], starred: bool, *, origin: str = "user") -> Changes:
    return store_triage.set_starred(store, ids, starred, origin=origin)


def set_read(store: Store, ids: Iterable[int], read: bool) -> Changes:
    return store_triage.set_read(store, ids, read)


def set_label(
    store: Store, ids: Iterable[int], kind: str, value: str | None, *, origin: str = "user"
) -> Changes:
    """A manual sentiment or intent (`kind`) on the mentions; None: back to automatic."""
    setter = {"sentiment": store_triage.set_sentiment, "intent": store_triage.set_intent}.get(kind)
    if setter is None:
        raise UserError(f"Unknown label {kind!r}: use sentiment or intent")
    with store.transaction():
        return resync(store, setter(store, ids, value, origin=origin))


def tag_id(store: Store, tag: str | int, *, create: bool = True) -> int:
    """A tag's id from its id or name (created when missing and `create`)."""
    if isinstance(tag, int):
        return tag
    key = " ".join(tag.split()).casefold()
    if create:
        return tags.ensure_tags(store, [tag])[key]
    found = tags.tag_by_name(store, tag)
    if found is None:
        raise UserError(f"No tag named {tag!r}")
    return int(found["id"])


def add_tags(
    store: Store, ids: Iterable[int], tag_list: Iterable[str | int], *, origin: str = "user"
) -> Changes:
    with store.transaction():
        wanted = [tag_id(store, tag) for tag in tag_list]
        return resync(store, store_triage.add_tags(store, ids, wanted, origin=origin))


def remove_tags(
    store: Store, ids: Iterable[int], tag_list: Iterable[str | int], *, origin: str = "user"
) -> Changes:
    with store.transaction():
        wanted = [tag_id(store, tag, create=False) for tag in tag_list]
        return resync(store, store_triage.remove_tags(store, ids, wanted, origin=origin))


def toggle_tag(store: Store, ids: Iterable[int], tag: str | int, *, origin: str = "user") -> Changes:
    """Like labels in a mail client: every selected mention has the tag, so remove it; else add it
    (a tag named for the first time is created, and the returned Changes say so)."""
    with store.transaction():
        known = tags.tag_by_name(store, tag) if isinstance(tag, str) else True
        changes = store_triage.toggle_tag(store, ids, tag_id(store, tag), origin=origin)
        return resync(store, changes | Changes(tags=True) if not known else changes)


def accept_suggestions(store: Store, mention_id: int, guesses: Mapping[str, str]) -> Changes:
    """The labels learning suggested for one mention, set as the strategist's own: `guesses`
    maps a model ('sentiment', 'intent', 'tag:<id>') to its label."""
    changes = Changes()
    with store.transaction():
        for model, label in guesses.items():
            if model == "sentiment":
                changes |= store_triage.set_sentiment(store, [mention_id], label)
            elif model == "intent":
                changes |= store_triage.set_intent(store, [mention_id], label)
            elif model.startswith("tag:"):
                changes |= store_triage.add_tags(store, [mention_id], [int(model.removeprefix("tag:"))])
        return resync(store, changes)


def respond(store: Store, mention_id: int, status: str, assessment: Assessment | None = None) -> Changes:
    """The outcome of the response assessment: its answers kept and the status set, together."""
    if status not in STATUSES:
        raise UserError(f"Unknown status {status!r}: use one of {', '.join(STATUSES)}")
    with store.transaction():
        if assessment is not None:
            playbook.record_assessment(store, mention_id, assessment)
        return store_triage.set_status(store, [mention_id], status)


def save_note(store: Store, mention_id: int, body: str, note_id: int | None = None) -> Changes:
    """Write a mention's note: a new one (its id comes back as `created_id`), an edit, or with
    empty text the note's removal. Each is undoable; quick successive edits are one step."""
    if note_id is None:
        if not body.strip():
            return Changes()
        created, changes = notes.add_note(store, mention_id, body)
        return changes if changes.created_id else changes | Changes(created_id=created)
    if not body.strip():
        return notes.delete_note(store, note_id)
    return notes.update_note(store, note_id, body)


def undo(store: Store) -> Changes | None:
    """Undo the latest action (None: nothing to undo); labels it touches are learned from again."""
    with store.transaction():
        changes = events.undo(store)
        return None if changes is None else resync(store, changes)


def redo(store: Store) -> Changes | None:
    with store.transaction():
        changes = events.redo(store)
        return None if changes is None else resync(store, changes)

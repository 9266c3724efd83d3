"""Tags: names with a colour, an optional group (such as a department) and a shortcut key."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from listener_app.domain.errors import UserError
from listener_app.domain.normalize import utc_now
from listener_app.store.connection import Store
from listener_app.store.learning import forget_tag

# A palette that reads on light and dark backgrounds; new tags take the next free colour.
PALETTE = (
    "#e5484d", "#f76b15", "#ffc53d", "#46a758", "#12a594", "#0090ff", "#3e63dd", "#8e4ec6",
    "#d6409f", "#978365", "#687076", "#29a383",
)  # fmt: skip


def _next_color(ws: Store) -> str:
    count = int(ws.scalar("SELECT count(*) FROM tags"))
    return PALETTE[count % len(PALETTE)]


def _free_shortcut(ws: Store) -> str | None:
    """The first number key no tag has (1-9), for a new tag; None when all are taken."""
    taken = {r[0] for r in ws.execute("SELECT shortcut FROM tags WHERE shortcut IS NOT NULL")}
    return next((key for key in "123456789" if key not in taken), None)


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise UserError("A tag needs a name")
    if len(cleaned) > 60:
        raise UserError(f"Tag names are at most 60 characters: {cleaned[:20]}…")
    return cleaned


def create_tag(
    ws: Store,
    name: str,
    *,
    color: str | None = None,
    group: str | None = None,
    shortcut: str | None = None,
) -> int:
    """A new tag. Without a `shortcut` it takes the first free number key ('' for none)."""
    name = _clean_name(name)
    if ws.scalar("SELECT 1 FROM tags WHERE name = ?", (name,)):
        raise UserError(f"There is already a tag named {name!r}")
    with ws.transaction():
        if shortcut:
            ws.execute("UPDATE tags SET shortcut = NULL WHERE shortcut = ?", (shortcut,))
        cursor = ws.execute(
            "INSERT INTO tags (name, color, grp, shortcut, created_at) VALUES (?, ?, ?, ?, ?)",
            (
                name,
                color or _next_color(ws),
                group,
                _free_shortcut(ws) if shortcut is None else shortcut or None,
                utc_now(),
            ),
        )
    return int(cursor.lastrowid or 0)


def update_tag(ws: Store, tag_id: int, **fields: Any) -> None:
    """Change name, color, group or shortcut of a tag (a shortcut moves from any other tag)."""
    allowed = {"name": "name", "color": "color", "group": "grp", "shortcut": "shortcut"}
    with ws.transaction():
        for key, value in fields.items():
            if key not in allowed:
                raise ValueError(f"unknown tag field {key}")
            if key == "name":
                value = _clean_name(value)
                if ws.scalar("SELECT 1 FROM tags WHERE name = ? AND id <> ?", (value, tag_id)):
                    raise UserError(f"There is already a tag named {value!r}")
            if key == "shortcut" and value:
                ws.execute("UPDATE tags SET shortcut = NULL WHERE shortcut = ? AND id <> ?", (value, tag_id))
            ws.execute(f"UPDATE tags SET {allowed[key]} = ? WHERE id = ?", (value, tag_id))


def delete_tag(ws: Store, tag_id: int) -> None:
    """Delete a tag: it comes off every mention, and what learning learned of it is forgotten."""
    with ws.transaction():
        ws.execute("DELETE FROM tags WHERE id = ?", (tag_id,))
        forget_tag(ws, tag_id)


def list_tags(ws: Store, *, with_counts: bool = False) -> list[dict[str, Any]]:
    count = "(SELECT count(*) FROM mention_tags mt WHERE mt.tag_id = t.id)" if with_counts else "NULL"
    rows = ws.execute(
        f'SELECT t.id, t.name, t.color, t.grp AS "group", t.shortcut, {count} AS count '
        "FROM tags t ORDER BY t.grp IS NOT NULL, t.grp, t.name COLLATE NOCASE"
    )
    return [dict(r) for r in rows]


def tag_by_name(ws: Store, name: str) -> dict[str, Any] | None:
    row = ws.execute(
        'SELECT id, name, color, grp AS "group", shortcut FROM tags WHERE name = ?', (name,)
    ).fetchone()
    return dict(row) if row else None


def ensure_tags(ws: Store, names: Iterable[str]) -> dict[str, int]:
    """Ids of the named tags (case-insensitive), creating any that do not exist yet (each new
    one with the next colour and the first free number key).

    Must run inside the caller's transaction.
    """
    result: dict[str, int] = {}
    for raw in names:
        name = _clean_name(raw)
        key = name.casefold()
        if key in result:
            continue
        row = ws.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()
        if row is None:
            cursor = ws.execute(
                "INSERT INTO tags (name, color, shortcut, created_at) VALUES (?, ?, ?, ?)",
                (name, _next_color(ws), _free_shortcut(ws), utc_now()),
            )
            result[key] = int(cursor.lastrowid or 0)
        else:
            result[key] = row[0]
    return result

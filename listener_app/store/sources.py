"""Configured sources: kind, settings (never secrets: those live in the OS keyring), fetch
state (the high-water mark) and health (last success, last error, items fetched)."""

from __future__ import annotations

import json
from typing import Any

from listener_app.domain.errors import UserError
from listener_app.domain.normalize import utc_now
from listener_app.store.connection import Store
from listener_app.store.settings import workspace_id


def _row(row: Any, workspace: str | None) -> dict[str, Any]:
    """A source as a dict. Its settings carry the workspace's id as `__workspace__`: a source
    keeps its secrets under it (sources.credentials), and a fetch passes the settings on."""
    record = dict(row)
    record["settings"] = json.loads(record["settings"] or "{}") | {"__workspace__": workspace}
    record["state"] = json.loads(record["state"] or "{}")
    return record


def add_source(
    ws: Store, kind: str, name: str, settings: dict[str, str], *, interval_minutes: int = 60
) -> int:
    name = " ".join(name.split())
    if not name:
        raise UserError("A source needs a name")
    if ws.scalar("SELECT 1 FROM sources WHERE name = ?", (name,)):
        raise UserError(f"There is already a source named {name!r}")
    with ws.transaction():
        cursor = ws.execute(
            "INSERT INTO sources (name, kind, settings, interval_minutes, created_at) VALUES (?, ?, ?, ?, ?)",
            (name, kind, json.dumps(settings), interval_minutes, utc_now()),
        )
    return int(cursor.lastrowid or 0)


def list_sources(ws: Store) -> list[dict[str, Any]]:
    workspace = workspace_id(ws)
    return [_row(r, workspace) for r in ws.execute("SELECT * FROM sources ORDER BY name COLLATE NOCASE")]


def get_source(ws: Store, name: str) -> dict[str, Any]:
    row = ws.execute("SELECT * FROM sources WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise UserError(f"No source named {name!r}")
    return _row(row, workspace_id(ws))


def remove_source(ws: Store, name: str) -> bool:
    with ws.transaction():
        return ws.execute("DELETE FROM sources WHERE name = ?", (name,)).rowcount > 0


def save_state(ws: Store, source_id: int, state: dict[str, Any], items: int) -> None:
    """Adopt a page's high-water mark (inside the transaction that stored the page)."""
    ws.execute(
        "UPDATE sources SET state = ?, items_fetched = items_fetched + ? WHERE id = ?",
        (json.dumps(state), items, source_id),
    )


def record_run(ws: Store, source_id: int, *, error: str | None) -> None:
    now = utc_now()
    with ws.transaction():
        if error is None:
            ws.execute(
                "UPDATE sources SET last_run_at = ?, last_success_at = ?, last_error = NULL WHERE id = ?",
                (now, now, source_id),
            )
        else:
            ws.execute(
                "UPDATE sources SET last_run_at = ?, last_error = ? WHERE id = ?", (now, error, source_id)
            )

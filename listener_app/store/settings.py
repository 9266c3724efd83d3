"""Workspace settings (JSON values): the brand name, the strategist's name, preferences."""

from __future__ import annotations

import json
from typing import Any

from listener_app.store.connection import WORKSPACE_ID_KEY, Store


def get_setting(ws: Store, key: str, default: Any = None) -> Any:
    value = ws.scalar("SELECT value FROM settings WHERE key = ?", (key,))
    return default if value is None else json.loads(value)


def set_setting(ws: Store, key: str, value: Any) -> None:
    with ws.transaction():
        ws.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, json.dumps(value)))


def workspace_id(ws: Store) -> str | None:
    """The workspace's own random id (None for a read-only file from before ids were given)."""
    return get_setting(ws, WORKSPACE_ID_KEY)

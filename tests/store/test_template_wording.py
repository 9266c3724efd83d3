"""Workspaces made before the templates were reworded for any trade get the new wording, unless
the strategist edited the template."""

from __future__ import annotations

import sqlite3

from listener_app.domain.templates import DEFAULT_TEMPLATES, FORMER_DEFAULTS
from listener_app.workspace import Workspace


def test_unchanged_seeded_templates_are_reworded_and_edited_ones_kept(tmp_path):
    path = tmp_path / "old.listener.db"
    Workspace.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE templates SET body = ? WHERE key = 'restore'", (FORMER_DEFAULTS["restore"],))
    conn.execute("UPDATE templates SET body = 'My own answer {author}' WHERE key = 'answer'")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm010_generic_reply_templates'")
    conn.commit()
    conn.close()
    with Workspace.open(path) as ws:
        bodies = {t["key"]: t["body"] for t in ws.templates.list()}
    assert bodies["restore"] == DEFAULT_TEMPLATES["restore"][1] and "order number" not in bodies["restore"]
    assert bodies["answer"] == "My own answer {author}"

"""Putting a workspace file back in a consistent state after a killed writer, before anyone reads it."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def recover_interrupted_write(path: Path) -> None:
    """Roll back what a killed writer left in a rollback journal (a bulk import on the command
    line runs with one), when this process may write there: only such a connection can, and a
    read-only one would fail with "attempt to write a readonly database" instead."""
    if (
        not Path(f"{path}-journal").exists()
        or not os.access(path, os.W_OK)
        or not os.access(path.parent, os.W_OK)
    ):
        return
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a first read rolls it back
    finally:
        conn.close()

"""Recognising a full disk, whichever layer reports it (SQLite, the operating system)."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from listener_app.domain.errors import DiskFull


def is_disk_full(exc: BaseException) -> bool:
    """Whether `exc` says a disk (or quota) is full: SQLite's SQLITE_FULL or ENOSPC/EDQUOT."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return isinstance(exc, sqlite3.Error) and (
        getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc)
    )


def disk_full(path: Path, what: str = "the last change") -> DiskFull:
    return DiskFull(f"The disk holding {path} is full: {what} was not saved. Free some space and try again")

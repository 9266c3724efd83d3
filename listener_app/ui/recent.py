"""The workspaces this user opened lately (File → Recent workspaces), kept in the window settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

RECENT_KEY = "workspaces/recent"
LAST_KEY = "workspaces/last"
MAX_RECENT = 10


def _recent(settings: QSettings) -> list[str]:
    # type=list: a list of one is stored as a plain string, which would be read back letter by letter
    return [str(p) for p in settings.value(RECENT_KEY, [], type=list)]


def remember(path: Path) -> None:
    """`path` is the workspace opened now: first in the recent list, and the one to open next time."""
    settings = QSettings()
    recent = [p for p in _recent(settings) if p != str(path)]
    settings.setValue(RECENT_KEY, [str(path), *recent][:MAX_RECENT])
    settings.setValue(LAST_KEY, str(path))


def recent_workspaces() -> list[str]:
    return [p for p in _recent(QSettings()) if Path(p).exists()]


def last_workspace() -> Path | None:
    last = QSettings().value(LAST_KEY)
    return Path(last) if last and Path(last).exists() else None

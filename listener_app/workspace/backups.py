"""The Workspace's backups: rolling copies in the data folder, the integrity check, and restore
(which replaces the file, so it is a function of paths, run with every connection closed)."""

from __future__ import annotations

from pathlib import Path

from listener_app.store import backup
from listener_app.store.backup import BUDGET_TIMES, KEEP, Backup
from listener_app.store.connection import Store

__all__ = ["BUDGET_TIMES", "KEEP", "Backup", "Backups", "back_up", "backups_of", "check", "restore"]


class Backups:
    def __init__(self, store: Store) -> None:
        self._store = store

    def list(self) -> list[Backup]:
        """This workspace's backups, newest first."""
        return backups_of(self._store.path)

    def create(self, reason: str = "manual") -> Backup:
        """A consistent copy of the workspace now (safe while it is open)."""
        return backup.describe_backup(backup.backup_workspace(self._store.path, reason=reason))

    def backed_up_today(self) -> bool:
        return backup.backed_up_today(self._store.path)

    def integrity_problems(self) -> list[str]:
        """What a check of the file finds wrong ([] when it is sound)."""
        return backup.integrity_problems(self._store.path)


def restore(chosen: Path, workspace: Path) -> Path | None:
    """Put the backup `chosen` in place of the workspace file (every connection to it closed);
    returns the backup taken of the replaced file. UserError when the backup is unusable."""
    return backup.restore_backup(chosen, workspace)


def backups_of(workspace: Path) -> list[Backup]:
    """A workspace's backups, newest first, without opening it (a damaged file cannot be)."""
    return [backup.describe_backup(path) for path in backup.list_backups(workspace)]


def back_up(workspace: Path, reason: str = "manual") -> Backup:
    """A backup of a workspace file that is not open here."""
    return backup.describe_backup(backup.backup_workspace(workspace, reason=reason))


def check(workspace: Path) -> list[str]:
    """What an integrity check of a workspace file finds wrong ([] when it is sound)."""
    return backup.integrity_problems(workspace)

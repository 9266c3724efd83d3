"""Rolling backups with SQLite's online backup API, restore, and the integrity check.

Backups live in the data folder (`backups/<workspace name>-<path hash>/<UTC time>-<reason>.listener.db`:
two clients' files that share a name never share backups). The last KEEP of each workspace are
kept, fewer for a big workspace (they take at most BUDGET_TIMES its size). A restore first backs up the current file, then copies the
backup beside the workspace and renames it into place, so a failed restore changes nothing.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from listener_app.domain.errors import UserError
from listener_app.paths import WORKSPACE_SUFFIX, backups_dir
from listener_app.store.recovery import recover_interrupted_write

KEEP = 10
# Backups of one workspace take at most this many times its size (and at least the newest two are
# kept): ten copies of a 1 GB workspace would quietly fill a laptop's disk.
BUDGET_TIMES = 3
MIN_KEPT = 2


STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime  # UTC
    reason: str  # daily, manual, before-upgrade, before-restore, ...
    size: int  # bytes


def _folder(workspace: Path) -> Path:
    name = workspace.name.removesuffix(WORKSPACE_SUFFIX).removesuffix(".db")
    where = hashlib.sha1(str(workspace.resolve()).encode()).hexdigest()[:8]
    return backups_dir() / f"{name}-{where}"


def describe_backup(path: Path) -> Backup:
    """When a backup was taken and why, read from its name (the file's time when the name is not ours)."""
    stamp, _, reason = path.name.removesuffix(WORKSPACE_SUFFIX).partition("-")
    try:
        taken = datetime.strptime(stamp, STAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        taken, reason = datetime.fromtimestamp(path.stat().st_mtime, UTC), reason or "copy"
    return Backup(path, taken, reason or "manual", path.stat().st_size)


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def backup_workspace(workspace: Path, *, keep: int = KEEP, reason: str = "manual") -> Path:
    """A consistent copy of the workspace (safe while it is open), then prune old copies."""
    if not workspace.exists():
        raise UserError(f"No workspace at {workspace}")
    folder = _folder(workspace)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime(STAMP_FORMAT)
    target = folder / f"{stamp}-{reason}{WORKSPACE_SUFFIX}"
    _copy(workspace, target)
    _prune(workspace, keep)
    return target


def _prune(workspace: Path, keep: int) -> None:
    """Keep the newest `keep` backups, fewer when they would take more than BUDGET_TIMES the
    workspace's size (never fewer than MIN_KEPT)."""
    budget = BUDGET_TIMES * workspace.stat().st_size
    used = 0
    for number, old in enumerate(list_backups(workspace)):
        used += old.stat().st_size
        if number >= keep or (number >= MIN_KEPT and used > budget):
            old.unlink(missing_ok=True)


def list_backups(workspace: Path) -> list[Path]:
    """Newest first."""
    folder = _folder(workspace)
    return sorted(folder.glob(f"*{WORKSPACE_SUFFIX}"), reverse=True) if folder.exists() else []


def backed_up_today(workspace: Path) -> bool:
    today = datetime.now(UTC).strftime("%Y%m%d")
    return any(p.name.startswith(today) for p in list_backups(workspace))


def restore_backup(backup: Path, workspace: Path) -> Path | None:
    """Put `backup` in place of `workspace`; returns the backup made of the replaced file."""
    if not backup.exists():
        raise UserError(f"No backup at {backup}")
    problems = integrity_problems(backup)
    if problems:
        raise UserError(f"{backup.name} is damaged itself: {problems[0]}")
    saved = backup_workspace(workspace, reason="before-restore") if workspace.exists() else None
    tmp = workspace.with_name(workspace.name + ".restoring")
    tmp.unlink(missing_ok=True)
    _copy(backup, tmp)
    for suffix in ("-wal", "-shm"):
        Path(f"{workspace}{suffix}").unlink(missing_ok=True)
    os.replace(tmp, workspace)
    return saved


def integrity_problems(path: Path, *, quick: bool | None = None) -> list[str]:
    """What PRAGMA integrity_check (quick_check for big files) and foreign_key_check report."""
    quick = path.stat().st_size > 200 * 1024 * 1024 if quick is None else quick
    try:
        recover_interrupted_write(path)  # a killed bulk import is not damage
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check")]
            problems = [r for r in rows if r != "ok"]
            problems += [
                f"broken link in {r[0]} (row {r[1]})" for r in conn.execute("PRAGMA foreign_key_check")
            ]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return problems

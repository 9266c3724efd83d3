"""Rolling backups with SQLite's online backup API, checked before they are listed; restore; the
integrity check.

Backups live in the data folder (`backups/<workspace name>-<path hash>/<UTC time>-<reason>.listener.db`:
two clients' files that share a name never share backups). The last KEEP of each workspace are
kept, fewer for a big workspace (they take at most BUDGET_TIMES its size).

A backup is written under a temporary name (`<name>.partial`), checked (SQLite's integrity check,
and every table's row count against the workspace at the moment it was copied) and only then
renamed into the list, with those counts beside it (`<name>.json`): a backup killed half-way or
cut short by a full disk is never listed. Pruning never deletes the newest checked backup, nor
the one being restored.

A restore checks the backup (and refuses a damaged one, or one that holds no workspace), copies
it beside the workspace (`<workspace>.restoring`) and checks the copy, backs up the current file,
and only then renames the copy into place: a restore that fails or is killed changes nothing.
What killed backups and restores leave behind is removed once it is STALE_SECONDS old.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from listener_app.domain.errors import UserError
from listener_app.paths import WORKSPACE_SUFFIX, backups_dir
from listener_app.store.disk import is_disk_full
from listener_app.store.locks import if_idle, one_at_a_time
from listener_app.store.recovery import recover_interrupted_write

KEEP = 10
# Backups of one workspace take at most this many times its size (and at least the newest two are
# kept): ten copies of a 1 GB workspace would quietly fill a laptop's disk.
BUDGET_TIMES = 3
MIN_KEPT = 2
# A temporary file of a backup or restore untouched for this long was left by a killed process
# (a running copy writes to it continuously; checking a 1 GB copy takes under a minute).
STALE_SECONDS = 15 * 60
PARTIAL = ".partial"
RECORD = ".json"
RESTORING = ".restoring"

STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"


class BackupError(UserError):
    """A backup or restore did not happen (nothing was changed); the message says why."""


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime  # UTC
    reason: str  # daily, manual, before-upgrade, before-restore, ...
    size: int  # bytes
    rows: dict[str, int] | None = None  # each table's rows, checked when taken; None: not checked

    @property
    def checked(self) -> bool:
        """Whether the copy was checked against the workspace when it was taken (older
        versions of Listener did not; such a backup is checked when it is restored)."""
        return self.rows is not None

    @property
    def mentions(self) -> int | None:
        return None if self.rows is None else self.rows.get("mentions")


def _folder(workspace: Path) -> Path:
    name = workspace.name.removesuffix(WORKSPACE_SUFFIX).removesuffix(".db")
    where = hashlib.sha1(str(workspace.resolve()).encode()).hexdigest()[:8]
    return backups_dir() / f"{name}-{where}"


def _record_path(backup: Path) -> Path:
    return backup.with_name(backup.name + RECORD)


def _read_record(backup: Path) -> dict[str, int] | None:
    try:
        rows = json.loads(_record_path(backup).read_text(encoding="utf-8"))["rows"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return rows if isinstance(rows, dict) else None


def describe_backup(path: Path) -> Backup:
    """When a backup was taken and why, read from its name (the file's time when the name is not
    ours), and the row counts it was checked against."""
    stamp, _, reason = path.name.removesuffix(WORKSPACE_SUFFIX).partition("-")
    try:
        taken = datetime.strptime(stamp, STAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        taken, reason = datetime.fromtimestamp(path.stat().st_mtime, UTC), reason or "copy"
    return Backup(path, taken, reason or "manual", path.stat().st_size, _read_record(path))


# ---------------------------------------------------------------- copying, checked


def _row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows of every ordinary table (the full-text index's own tables included)."""
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        )
    ]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def _remove(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; Windows has no directory handles for this)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_space(needed: int, folder: Path, what: str) -> None:
    free = shutil.disk_usage(folder).free
    if free < needed:
        raise BackupError(
            f"Not enough free disk space {what}: it needs {needed / 1e6:,.1f} MB and "
            f"{free / 1e6:,.1f} MB are free in {folder}"
        )


def _copy_checked(source: Path, target: Path, expected: dict[str, int] | None = None) -> dict[str, int]:
    """Copy `source` to `target` (which must not be listed anywhere yet) and check the copy:
    SQLite's integrity check, and each table's rows against the source's in the snapshot that
    was copied (and against `expected`, when given). Returns the counts; raises BackupError
    (and removes the copy) when anything is wrong."""
    _remove(target, Path(f"{target}-journal"))
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        try:
            src.execute("BEGIN")  # one snapshot for the counts and the copy
            rows = _row_counts(src)
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")  # one file: opening it read-only leaves nothing
            finally:
                dst.close()
            src.execute("COMMIT")
        finally:
            src.close()
        # What can go wrong with a copy SQLite made is a short or torn file: the quick check
        # (structure, 0.4 s at 200k mentions) and the counts find it; the full check takes 5 s.
        problems = integrity_problems(target, quick=True)
        if not problems:
            conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)
            try:
                copied = _row_counts(conn)
            finally:
                conn.close()
            if copied != rows:
                problems = [f"the copy has {_difference(rows, copied)}"]
        if not problems and expected is not None and rows != expected:
            problems = [f"it has {_difference(expected, rows)} (it was changed after it was taken)"]
        if problems:
            raise BackupError(f"The copy of {source.name} failed its check: {problems[0]}")
    except BaseException as exc:
        _remove(target, Path(f"{target}-journal"))
        if is_disk_full(exc):
            raise BackupError(
                f"The disk is full: {source.name} could not be copied to {target.parent}"
            ) from exc
        if isinstance(exc, sqlite3.Error | OSError):
            raise BackupError(f"{source.name} could not be copied: {exc}") from exc
        raise
    return rows


def _difference(expected: dict[str, int], found: dict[str, int]) -> str:
    for table in sorted(set(expected) | set(found)):
        if expected.get(table) != found.get(table):
            return f"{found.get(table, 0):,} rows in {table} instead of {expected.get(table, 0):,}"
    return "different tables"  # pragma: no cover - only called when the counts differ


# ---------------------------------------------------------------- backing up


def backup_workspace(
    workspace: Path, *, keep: int = KEEP, reason: str = "manual", protect: Path | None = None
) -> Path:
    """A consistent, checked copy of the workspace (safe while it is open), then prune old
    copies (never `protect`). Raises BackupError, with nothing listed, when it cannot be made."""
    if not workspace.exists():
        raise UserError(f"No workspace at {workspace}")
    with one_at_a_time(workspace, "backup"):
        return _backup(workspace, keep, reason, protect)


def _backup(workspace: Path, keep: int, reason: str, protect: Path | None) -> Path:
    folder = _folder(workspace)
    folder.mkdir(parents=True, exist_ok=True)
    with if_idle(workspace, "restore") as no_restore:  # this process holds the backup lock
        _remove_leftovers(workspace, backups=True, restores=no_restore, older_than=STALE_SECONDS)
    _check_space(workspace.stat().st_size, folder, f"to back up {workspace.name}")
    stamp = datetime.now(UTC).strftime(STAMP_FORMAT)
    target = folder / f"{stamp}-{reason}{WORKSPACE_SUFFIX}"
    partial = target.with_name(target.name + PARTIAL)
    record = _record_path(target)
    rows = _copy_checked(workspace, partial)
    try:
        record.write_text(json.dumps({"rows": rows}), encoding="utf-8")
        os.replace(partial, target)
        _sync_folder(folder)
    except OSError as exc:
        _remove(partial, record)
        if is_disk_full(exc):
            raise BackupError(f"The disk is full: {workspace.name} could not be backed up") from exc
        raise BackupError(f"{workspace.name} could not be backed up: {exc}") from exc
    _prune(workspace, keep, protect)
    return target


def _prune(workspace: Path, keep: int, protect: Path | None) -> None:
    """Keep the newest `keep` backups, fewer when they would take more than BUDGET_TIMES the
    workspace's size (never fewer than MIN_KEPT), and always: `protect`, the newest checked
    backup, and the newest of those holding the most mentions (a workspace that lost its
    mentions, by mistake or a bad restore, keeps its last full copy however many follow)."""
    budget = BUDGET_TIMES * workspace.stat().st_size
    backups = [describe_backup(p) for p in list_backups(workspace)]
    checked = [b for b in backups if b.checked]
    kept = {protect} | {b.path for b in checked[:1]}
    if checked:
        kept.add(max(checked, key=lambda b: b.mentions or 0).path)  # the newest of equals
    used = 0
    for number, old in enumerate(backups):
        used += old.size
        if old.path in kept:
            continue
        if number >= keep or (number >= MIN_KEPT and used > budget):
            _remove(old.path, _record_path(old.path))


def list_backups(workspace: Path) -> list[Path]:
    """Newest first."""
    folder = _folder(workspace)
    return sorted(folder.glob(f"*{WORKSPACE_SUFFIX}"), reverse=True) if folder.exists() else []


def backed_up_today(workspace: Path) -> bool:
    today = datetime.now(UTC).strftime("%Y%m%d")
    return any(p.name.startswith(today) for p in list_backups(workspace))


def remove_leftovers(workspace: Path, *, older_than: float = STALE_SECONDS) -> list[Path]:
    """Delete what killed backups and restores of `workspace` left: unfinished copies in its
    backups folder, records of backups that are gone, and an unfinished `.restoring` copy
    beside it. What a backup or restore running now (in any process: each holds the workspace's
    lock for it) may still be writing is left, unless untouched for `older_than` seconds.
    Returns what was removed."""
    restoring, partial = _leftovers(workspace)
    if not restoring and not partial:
        return []
    with if_idle(workspace, "backup") as no_backup, if_idle(workspace, "restore") as no_restore:
        return _remove_leftovers(workspace, backups=no_backup, restores=no_restore, older_than=older_than)


def _leftovers(workspace: Path) -> tuple[list[Path], list[Path]]:
    """(what restores left beside the workspace, what backups left in its backups folder)."""
    folder = _folder(workspace)
    restoring = list(workspace.parent.glob(f"{glob.escape(workspace.name)}{RESTORING}*"))
    partial: list[Path] = []
    if folder.exists():
        partial += folder.glob(f"*{PARTIAL}*")  # with its -journal, -wal and -shm
        partial += (r for r in folder.glob(f"*{WORKSPACE_SUFFIX}{RECORD}") if not r.with_suffix("").exists())
    return restoring, partial


def _remove_leftovers(workspace: Path, *, backups: bool, restores: bool, older_than: float) -> list[Path]:
    """Leftovers of backups (when `backups`: none is running) and of restores (when `restores`),
    and any untouched for `older_than` seconds."""
    limit = time.time() - older_than
    restoring, partial = _leftovers(workspace)
    removed = []
    for paths, idle in ((restoring, restores), (partial, backups)):
        for path in paths:
            with contextlib.suppress(OSError):
                if idle or path.stat().st_mtime < limit:
                    path.unlink()
                    removed.append(path)
    return removed


# ---------------------------------------------------------------- restoring


def backup_problems(backup: Path) -> list[str]:
    """Why `backup` cannot be restored, in sentences: damage, no workspace in it (an empty or
    unfinished copy), or rows that differ from those it was checked with when it was taken."""
    problems = integrity_problems(backup)
    if problems:
        return [f"{backup.name} is damaged: {problem}" for problem in problems]
    try:
        conn = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"mentions", "_sqlite_migrations"} <= tables:
                return [f"{backup.name} holds no workspace (an empty or unfinished copy)"]
            rows = _row_counts(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [f"{backup.name} is damaged: {exc}"]
    expected = _read_record(backup)
    if expected is not None and rows != expected:
        return [f"{backup.name} has changed since it was taken: {_difference(expected, rows)}"]
    return []


def restore_backup(backup: Path, workspace: Path) -> Path | None:
    """Put `backup` in place of `workspace`; returns the backup made of the replaced file.
    Raises BackupError (or UserError), with nothing changed, when it cannot be done."""
    if not backup.exists():
        raise UserError(f"No backup at {backup}")
    with one_at_a_time(workspace, "restore"):
        return _restore(backup, workspace)


def _restore(backup: Path, workspace: Path) -> Path | None:
    with if_idle(workspace, "backup") as no_backup:  # this process holds the restore lock
        _remove_leftovers(workspace, backups=no_backup, restores=True, older_than=STALE_SECONDS)
    problems = backup_problems(backup)
    if problems:
        raise BackupError(problems[0])
    _check_space(backup.stat().st_size, workspace.parent, f"to restore {backup.name}")
    copy = workspace.with_name(workspace.name + RESTORING)
    # The backup is copied first: even if pruning removed it, what is put in place is its copy.
    _copy_checked(backup, copy, expected=_read_record(backup))
    try:
        saved = (
            backup_workspace(workspace, reason="before-restore", protect=backup)
            if workspace.exists()
            else None
        )
        for suffix in ("-wal", "-shm"):  # the current file's; its backup holds what they held
            Path(f"{workspace}{suffix}").unlink(missing_ok=True)
        os.replace(copy, workspace)
        _sync_folder(workspace.parent)
    except BaseException as exc:
        _remove(copy, Path(f"{copy}-journal"))
        if isinstance(exc, OSError):
            raise BackupError(f"Nothing was restored: {exc}") from exc
        raise
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

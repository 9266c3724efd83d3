"""Backups that cannot lose data: a killed or disk-full backup is never listed, a restore checks
the backup first, pruning keeps what a restore needs, and leftovers are cleaned up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from listener_app.cli import main
from listener_app.domain.errors import UserError
from listener_app.domain.models import Item
from listener_app.store import open_store
from listener_app.store.backup import (
    STALE_SECONDS,
    BackupError,
    backup_workspace,
    describe_backup,
    integrity_problems,
    list_backups,
    remove_leftovers,
    restore_backup,
)
from listener_app.workspace.ingest import ingest_items

# Runs `listener backup` in a process that is killed (SIGKILL) half-way through writing the
# copy: SQLite copies a few pages at a time, and the process dies after the first ones.
KILLED_BACKUP = """
import os, signal, sqlite3, sys

class DiesHalfWay(sqlite3.Connection):
    def backup(self, target, *, pages=-1, progress=None, name="main", sleep=0.25):
        def die(status, remaining, total):
            if total - remaining >= 4:
                os.kill(os.getpid(), signal.SIGKILL)
        super().backup(target, pages=2, progress=die, name=name, sleep=0)

connect = sqlite3.connect
sqlite3.connect = lambda *args, **kwargs: connect(*args, factory=DiesHalfWay, **kwargs)
from listener_app.cli import main
main(["backup", "--db", sys.argv[1]])
"""


def _workspace(path, n):
    with open_store(path) as ws:
        ingest_items(
            ws,
            [
                Item(source="rss", external_id=str(i), text=f"post {i} " * 20, published_at="2026-01-01")
                for i in range(n)
            ],
            score=False,
        )


def _mentions(path) -> int:
    with open_store(path) as ws:
        return int(ws.scalar("SELECT count(*) FROM mentions"))


def _age(path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_backup_killed_half_way_is_never_listed_nor_restored(tmp_path):
    path = tmp_path / "acme.listener.db"
    _workspace(path, 400)
    killed = subprocess.run([sys.executable, "-c", KILLED_BACKUP, str(path)], capture_output=True)
    assert killed.returncode == -9  # it really died half-way
    assert list_backups(path) == []  # the unfinished copy is not a backup
    assert main(["restore", "1", "--db", str(path)]) == 1
    assert _mentions(path) == 400

    # What it left is removed once it is stale (a running backup's file is fresh).
    folder = tmp_path / "listener-home"
    leftovers = [p for p in folder.rglob("*") if p.is_file()]
    assert leftovers and not remove_leftovers(path)
    for leftover in leftovers:
        _age(leftover, STALE_SECONDS + 60)
    backup_workspace(path)
    assert sorted(p.name for p in list_backups(path)[0].parent.iterdir()) == sorted(
        [list_backups(path)[0].name, list_backups(path)[0].name + ".json"]
    )


def test_an_unfinished_copy_an_older_version_listed_is_refused(tmp_path):
    path = tmp_path / "acme.listener.db"
    _workspace(path, 300)
    subprocess.run([sys.executable, "-c", KILLED_BACKUP, str(path)], capture_output=True)
    partial = next(tmp_path.joinpath("listener-home").rglob("*.partial"))
    legacy = partial.with_name("20260101T000000000000Z-daily.listener.db")  # as 1282dcc named it
    partial.rename(legacy)
    assert list_backups(path) == [legacy]
    with pytest.raises(BackupError, match=r"holds no workspace|is damaged"):
        restore_backup(legacy, path)
    assert _mentions(path) == 300  # nothing was replaced
    assert not path.with_name(path.name + ".restoring").exists()


def test_restoring_the_oldest_backup_keeps_it(tmp_path):
    path = tmp_path / "acme.listener.db"
    _workspace(path, 3)
    for _ in range(10):
        backup_workspace(path)
    oldest = list_backups(path)[-1]
    _workspace(path, 8)
    saved = restore_backup(oldest, path)
    assert _mentions(path) == 3
    assert oldest.exists() and oldest in list_backups(path)  # not pruned by the before-restore backup
    assert saved is not None and describe_backup(saved).mentions == 8
    assert restore_backup(saved, path) and _mentions(path) == 8  # and the restore can be undone


def test_a_backup_is_checked_and_says_what_it_holds(tmp_path):
    path = tmp_path / "acme.listener.db"
    _workspace(path, 12)
    backup = describe_backup(backup_workspace(path))
    assert backup.checked and backup.mentions == 12
    assert integrity_problems(backup.path) == []


def test_a_backup_changed_after_it_was_taken_is_refused(tmp_path):
    path = tmp_path / "acme.listener.db"
    _workspace(path, 5)
    backup = backup_workspace(path)
    with open_store(backup) as copy, copy.transaction():
        copy.execute("DELETE FROM mentions")
    with pytest.raises(BackupError, match="changed since it was taken"):
        restore_backup(backup, path)
    assert _mentions(path) == 5


def test_pruning_keeps_the_last_full_copy_of_a_workspace_that_lost_its_mentions(tmp_path):
    path = tmp_path / "acme.listener.db"
    _workspace(path, 400)
    full = backup_workspace(path)
    with open_store(path) as ws, ws.transaction():
        ws.execute("DELETE FROM mentions")  # a mistake, or a bad restore
    for _ in range(12):  # many days of backups of the emptied workspace
        backup_workspace(path)
    assert full in list_backups(path)
    assert len(list_backups(path)) <= 10 + 1


def test_pruning_keeps_the_newest_checked_backup(tmp_path):
    path = tmp_path / "acme.listener.db"
    _workspace(path, 4)
    good = backup_workspace(path)
    # Newer copies that were never checked (an older Listener's, or copied in by hand).
    for hour in range(3):
        shutil.copy(good, good.with_name(f"2099010{hour}T000000000000Z-manual.listener.db"))
    newest = backup_workspace(path, keep=2)
    assert newest in list_backups(path)  # behind the newer-named copies, still kept


def test_a_killed_restores_leftover_is_removed_when_the_workspace_opens(tmp_path):
    from listener_app.store.locks import one_at_a_time

    path = tmp_path / "acme.listener.db"
    _workspace(path, 2)
    leftover = path.with_name(path.name + ".restoring")
    leftover.write_bytes(b"x" * 1000)
    with one_at_a_time(path, "restore"):  # a restore running now (in another process) writes it
        open_store(path).close()
        assert leftover.exists()
        _age(leftover, STALE_SECONDS + 60)  # unless it is older than any restore takes
        open_store(path).close()
        assert not leftover.exists()
    leftover.write_bytes(b"x" * 1000)  # its restore was killed: nothing holds the lock
    open_store(path).close()
    assert not leftover.exists()


def test_a_full_disk_leaves_no_backup_and_no_partial_file(tmp_path, small_disk, monkeypatch):
    monkeypatch.setenv("LISTENER_HOME", str(small_disk))
    path = tmp_path / "acme.listener.db"
    _workspace(path, 3000)
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (shutil.disk_usage(small_disk).free - path.stat().st_size // 2))
    with pytest.raises(BackupError, match="disk"):
        backup_workspace(path)
    assert list_backups(path) == []
    assert [p for p in small_disk.rglob("*") if p.is_file() and p.parent.name != "locks"] == [filler]
    assert main(["backup", "--db", str(path)]) == 1  # one clear line, not a traceback


def test_a_full_disk_during_a_restore_changes_nothing(tmp_path, small_disk):
    path = small_disk / "acme.listener.db"
    _workspace(path, 200)
    backup = backup_workspace(path)
    _workspace(path, 300)
    filler = small_disk / "filler"
    free = shutil.disk_usage(small_disk).free
    filler.write_bytes(b"\0" * max(0, free - backup.stat().st_size // 2))
    with pytest.raises(UserError, match="disk"):
        restore_backup(backup, path)
    assert _mentions(path) == 300
    assert not path.with_name(path.name + ".restoring").exists()

from __future__ import annotations

import sqlite3

import pytest

from listener_app.cli import main
from listener_app.domain.errors import UserError
from listener_app.domain.models import Item
from listener_app.store import open_store
from listener_app.store.backup import backup_workspace, integrity_problems, list_backups, restore_backup
from listener_app.workspace.ingest import ingest_items


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("LISTENER_HOME", str(tmp_path / "home"))
    return tmp_path


def _workspace(path, n):
    with open_store(path) as ws:
        ingest_items(
            ws,
            [
                Item(source="rss", external_id=str(i), text=f"post {i}", published_at="2026-01-01")
                for i in range(n)
            ],
            score=False,
        )


def test_backups_rotate_and_restore(home):
    path = home / "acme.listener.db"
    _workspace(path, 3)
    first = backup_workspace(path, keep=2)
    _workspace(path, 5)  # two more mentions
    backup_workspace(path, keep=2)
    backup_workspace(path, keep=2)
    assert len(list_backups(path)) == 2 and first not in list_backups(path)
    oldest = list_backups(path)[-1]
    with open_store(path) as ws, ws.transaction():
        ws.execute("DELETE FROM mentions")
    saved = restore_backup(oldest, path)
    assert saved is not None and saved.exists()
    with open_store(path) as ws:
        assert ws.scalar("SELECT count(*) FROM mentions") == 5


def test_integrity_check_flags_a_damaged_file(home):
    path = home / "acme.listener.db"
    _workspace(path, 50)
    assert integrity_problems(path) == []
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 3 + 200] = b"\xff" * 200
    damaged = home / "damaged.listener.db"
    damaged.write_bytes(bytes(data))
    assert integrity_problems(damaged)
    with pytest.raises(UserError, match="is damaged"):
        restore_backup(damaged, path)


def test_cli_backup_restore_check(home, capsys):
    db = str(home / "w.listener.db")
    _workspace(home / "w.listener.db", 2)
    assert main(["backup", "--db", db]) == 0
    assert main(["restore", "--db", db]) == 0
    assert "1  " in capsys.readouterr().out
    assert main(["restore", "1", "--db", db]) == 0
    assert main(["check", "--db", db]) == 0
    assert main(["restore", "9", "--db", db]) == 1


def test_upgrade_is_backed_up_first(home):
    path = home / "old.listener.db"
    _workspace(path, 1)
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_rule_runs'")  # as if before it
    conn.execute("ALTER TABLE rules DROP COLUMN last_run_at")
    conn.execute("ALTER TABLE rules DROP COLUMN last_matched")
    conn.commit()
    conn.close()
    open_store(path).close()
    assert any("before-upgrade" in p.name for p in list_backups(path))


def test_backups_of_a_big_workspace_stay_within_three_times_its_size(home, monkeypatch):
    from listener_app.store import backup

    path = home / "big.listener.db"
    _workspace(path, 20)
    size = path.stat().st_size
    for _ in range(6):
        backup_workspace(path)
    assert len(list_backups(path)) == 3  # the budget: three times the workspace
    assert sum(b.stat().st_size for b in list_backups(path)) <= backup.BUDGET_TIMES * size
    monkeypatch.setattr(backup, "BUDGET_TIMES", 0)
    backup_workspace(path)
    assert len(list_backups(path)) == backup.MIN_KEPT  # never fewer than the newest two

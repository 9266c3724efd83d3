"""A full disk during import, export, `rule add`, backup and restore: one clear line, nothing
half-written, and the work can be done again once there is room. The workspace lives on a
8 MB filesystem of its own (see the small_disk fixture; skipped where mounting is not allowed)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from listener_app.cli import main
from listener_app.domain.errors import DiskFull
from listener_app.store import open_store
from listener_app.store.backup import integrity_problems
from listener_app.store.staging import COLUMNS, write_rows
from listener_app.workspace.importing import import_file


def _fill(folder: Path, leave: int) -> Path:
    """Take all the room in `folder`'s filesystem but `leave` bytes."""
    filler = folder / "filler"
    free = shutil.disk_usage(folder).free
    filler.write_bytes(b"\0" * max(0, free - leave))
    return filler


def _csv(path: Path, rows: int) -> Path:
    lines = ["id,text,author,date\r\n"]
    lines += [f"{n},post number {n} about the Acme phone and its battery life {'x' * 60},u{n % 50},2026-01-01\r\n"
              for n in range(rows)]  # fmt: skip
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def _count(path: Path) -> int:
    with open_store(path) as ws:
        return int(ws.scalar("SELECT count(*) FROM mentions"))


def test_an_import_that_fills_the_disk_stops_cleanly_and_can_be_run_again(tmp_path, small_disk, capsys):
    db = small_disk / "acme.listener.db"
    open_store(db).close()
    source = _csv(tmp_path / "big.csv", 3000)  # about 2 MB in the workspace, as much in its WAL
    filler = _fill(small_disk, 600_000)
    assert main(["import", str(source), "--no-score", "--db", str(db)]) == 1
    assert "is full" in _one_line(capsys)
    assert integrity_problems(db) == []
    assert _count(db) == 0  # the chunk that hit the full disk was rolled back whole
    filler.unlink()
    with open_store(db) as ws:
        import_file(ws, source, score=False)
    assert _count(db) == 3000


def test_an_export_to_a_full_disk_leaves_no_file(ws, small_disk, capsys):
    with open_store(ws.path) as store:
        import_file(store, _csv(small_disk.parent / "rows.csv", 3000), score=False)
    _fill(small_disk, 20_000)
    out = small_disk / "export.jsonl"
    assert main(["export", "--out", str(out), "--db", str(ws.path)]) == 1
    assert "disk is full" in _one_line(capsys)
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_a_rule_added_on_a_full_disk_is_one_line_and_not_half_saved(small_disk, capsys):
    db = small_disk / "acme.listener.db"
    open_store(db).close()
    filler = _fill(small_disk, 0)
    assert main(["rule", "add", "Billing", "--when", "refund", "--do", "tag:billing", "--db", str(db)]) == 1
    assert "is full" in _one_line(capsys)
    filler.unlink()
    with open_store(db) as ws:
        assert ws.scalar("SELECT count(*) FROM rules") == 0
    assert integrity_problems(db) == []


def test_a_staging_file_on_a_full_disk_is_one_clear_error(small_disk):
    _fill(small_disk, 50_000)
    rows = [{c: f"value {n} " * 20 if c == "text" else None for c in COLUMNS} for n in range(5000)]
    with pytest.raises(DiskFull, match="is full"):
        write_rows(small_disk / "stage-1.db", rows, [])


@pytest.mark.skipif(os.name != "posix", reason="small_disk mounts a tmpfs")
def test_a_backup_and_a_restore_on_a_full_disk_are_one_line(tmp_path, small_disk, capsys, monkeypatch):
    monkeypatch.setenv("LISTENER_HOME", str(small_disk / "home"))
    db = tmp_path / "acme.listener.db"
    with open_store(db) as ws:
        import_file(ws, _csv(tmp_path / "rows.csv", 8000), score=False)
    _fill(small_disk, 500_000)
    assert main(["backup", "--db", str(db)]) == 1
    assert "disk" in _one_line(capsys)
    assert main(["restore", "--db", str(db)]) == 0 and "No backups" in capsys.readouterr().out

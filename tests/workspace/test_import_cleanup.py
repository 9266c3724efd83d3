"""A killed import leaves nothing running and nothing behind for long: its worker processes end
with it, and the next import removes the staging folder it left in the temporary folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from listener_app.store import open_store, staging
from listener_app.workspace.importing import import_file

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
CLI = "import sys; from listener_app.cli import main; sys.exit(main(sys.argv[1:]))"


def _alive(pid: int) -> bool:
    """Running (a zombie nobody reaped counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.02)
    raise AssertionError(f"gave up waiting for {what}")


def _posts(path: Path, count: int) -> Path:
    words = ("battery", "refund", "screen", "support", "delivery", "update", "price", "camera")
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            text = f"Post {n}: the {words[n % 8]} is {'great' if n % 3 else 'awful'}, {words[n * 7 % 8]} {n % 97}?"
            out.write(json.dumps({"id": f"p-{n}", "source": "reddit", "text": text, "author": f"u{n % 500}",
                                  "date": "2026-03-01T10:00:00Z"}) + "\n")  # fmt: skip
    return path


@linux_only
def test_a_killed_import_leaves_no_worker_and_the_next_import_removes_its_folder(tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    db = tmp_path / "ws.listener.db"
    posts = _posts(tmp_path / "posts.jsonl", 80_000)  # scored: big enough for worker processes
    env = {**os.environ, "TMPDIR": str(scratch)}
    process = subprocess.Popen(
        [sys.executable, "-c", CLI, "import", str(posts), "--db", str(db)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        folder = _wait_for(
            lambda: next((f for f in scratch.glob(f"{staging.FOLDER_PREFIX}*") if any(f.glob("*.db"))), None),
            60,
            "a staged chunk",
        )
        children = _wait_for(lambda: _children(process.pid), 10, "the worker processes")
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == -signal.SIGTERM
    finally:
        process.kill()
    _wait_for(lambda: not any(map(_alive, children)), 10, f"worker processes {children} to end")
    assert folder.exists()  # nothing could remove it: the import was killed

    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with open_store(db) as ws:  # what the killed import committed is consistent
        ws.execute("INSERT INTO mentions_fts (mentions_fts, rank) VALUES ('integrity-check', 1)")
        assert ws.scalar("PRAGMA integrity_check") == "ok"
        report = import_file(ws, _posts(tmp_path / "few.jsonl", 20), score=False)
        assert report.plan is not None and report.plan.workers == 0
    assert not folder.exists()
    assert list(scratch.iterdir()) == []


@linux_only
def test_a_killed_rescore_leaves_no_worker(tmp_path):
    db = tmp_path / "ws.listener.db"
    with open_store(db) as ws:
        import_file(ws, _posts(tmp_path / "posts.jsonl", 40_000), score=False)
    process = subprocess.Popen(
        [sys.executable, "-c", CLI, "rescore", "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        children = _wait_for(
            lambda: len(_children(process.pid)) >= 2 and _children(process.pid), 30, "workers"
        )
        time.sleep(0.5)  # scoring
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == -signal.SIGTERM
    finally:
        process.kill()
    _wait_for(lambda: not any(map(_alive, children)), 10, f"worker processes {children} to end")


def test_only_folders_of_imports_no_longer_running_are_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    unlocked = tmp_path / f"{staging.FOLDER_PREFIX}unlocked"
    unlocked.mkdir()
    (unlocked / staging.OWNER_FILE).touch()  # its import held the lock and died
    (unlocked / "3.db").write_bytes(b"staged")
    old = tmp_path / f"{staging.FOLDER_PREFIX}old"  # from before owner files
    old.mkdir()
    hours_ago = time.time() - 3 * 3600
    os.utime(old, (hours_ago, hours_ago))
    fresh = tmp_path / f"{staging.FOLDER_PREFIX}fresh"  # an import that is just starting
    fresh.mkdir()
    other = tmp_path / "someone-else"
    other.mkdir()
    with staging.staging_folder() as running:  # an import starts
        assert running.parent == tmp_path
        assert not unlocked.exists() and not old.exists()
        assert staging.remove_abandoned_folders() == []  # another one starts: the first one's stays
        assert running.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [fresh.name, other.name]


def test_a_worker_ends_when_its_parent_does(tmp_path):
    """The portable guard (on Linux the kernel ends workers first): a process watching its
    parent ends soon after the parent does."""
    pid_file = tmp_path / "pid"
    watcher = (
        "import os, sys; from listener_app.domain.processes import watch_parent; "
        "open(sys.argv[1], 'w').write(str(os.getpid())); watch_parent(os.getppid(), every=0.05)"
    )
    # The shell starts the watcher in the background and ends a moment later.
    subprocess.run(
        ["sh", "-c", f'"{sys.executable}" -c "$0" "$1" & sleep 1', watcher, str(pid_file)], check=True
    )
    pid = int(_wait_for(lambda: pid_file.exists() and pid_file.read_text(), 10, "the watcher"))
    _wait_for(lambda: not _alive(pid) if Path("/proc").exists() else True, 10, "the watcher to end")

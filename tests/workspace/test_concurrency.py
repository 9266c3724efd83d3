"""Two processes on one workspace: imports wait for each other, and a write that meets a busy file
waits its turn instead of failing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from bench.gen_jsonl import write_jsonl
from listener_app.domain.errors import WorkspaceBusy
from listener_app.domain.tasks import Cancelled, TaskState
from listener_app.store.locks import one_at_a_time
from listener_app.workspace import Workspace


def _import(db, path, env):
    return subprocess.Popen(
        [sys.executable, "-m", "listener_app", "--db", str(db), "import", str(path), "--no-score"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_two_imports_into_one_file_at_once_both_finish(tmp_path):
    db = tmp_path / "both.listener.db"
    Workspace.open(db).close()
    first, second = (
        write_jsonl(tmp_path / "a.jsonl", 6000, seed=3),
        write_jsonl(tmp_path / "b.jsonl", 6000, seed=4),
    )
    env = {**os.environ, "LISTENER_HOME": str(tmp_path / "home"), "TMPDIR": str(tmp_path)}
    runs = [_import(db, first, env), _import(db, second, env)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _out, err in outputs]
    assert "Traceback" not in "".join(err for _out, err in outputs)
    with Workspace.open(db) as ws:
        expected = {json_id for path in (first, second) for json_id in _ids(path)}
        assert ws.count("") == len(expected)
        assert ws.integrity_problems() == []


def _ids(path):
    import json

    return {
        (r["source"], r["external_id"])
        for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())
    }


def test_a_second_import_waits_and_says_so_and_can_be_cancelled(tmp_path):
    db = tmp_path / "w.listener.db"
    seen = []
    state = TaskState(on_progress=lambda s: seen.append(s.message))
    with Workspace.open(db) as ws, one_at_a_time(db, "import"):  # another import holds the workspace
        threading.Timer(1.2, state.cancel).start()
        with pytest.raises(Cancelled):
            ws.import_file(write_jsonl(tmp_path / "x.jsonl", 10), state=state)
    assert any("Waiting for another import into w to finish" in m for m in seen)


def test_a_write_meeting_a_busy_file_says_busy_and_then_goes_through(tmp_path):
    db = tmp_path / "busy.listener.db"
    with Workspace.open(db) as ws:
        other = sqlite3.connect(db, timeout=0, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")  # a writer in another process holds the lock
        ws.store.conn.execute("PRAGMA busy_timeout = 100")
        with pytest.raises(WorkspaceBusy):
            ws.views.save("Later", "status:new")
        release = threading.Timer(0.3, other.rollback)
        release.start()
        deadline = time.monotonic() + 5
        while True:  # what the window's writer does with WorkspaceBusy: wait and try again
            try:
                ws.views.save("Later", "status:new")
                break
            except WorkspaceBusy:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert [v["name"] for v in ws.views.list()] == ["Later"]
        other.close()

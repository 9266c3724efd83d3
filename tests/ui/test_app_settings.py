"""Where the window keeps its settings, and the recent-workspaces list."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from listener_app.ui.app import application
from listener_app.ui.recent import recent_workspaces, remember


def test_recent_workspaces_survive_a_list_of_one(tmp_path):
    application()
    first, second = tmp_path / "acme.listener.db", tmp_path / "zenith.listener.db"
    for path in (first, second):
        path.write_bytes(b"")
    remember(first)
    assert recent_workspaces() == [str(first)]  # stored as one string, read back as one path
    remember(second)
    remember(first)
    assert recent_workspaces() == [str(first), str(second)]


def test_a_portable_home_keeps_the_window_settings_in_it(tmp_path, monkeypatch):
    monkeypatch.setenv("LISTENER_HOME", str(tmp_path / "portable"))
    application()
    QSettings().setValue("workspaces/last", "x")
    QSettings().sync()
    assert (tmp_path / "portable" / "settings").is_dir()


def test_the_app_starts_on_the_demo_and_closes_its_workspace_cleanly(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "LISTENER_HOME": str(tmp_path), "LISTENER_EXIT_AFTER_PAINT": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "listener_app"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "first_paint_ms" in done.stdout
    workspaces = sorted(p.name for p in (tmp_path / "workspaces").iterdir())
    assert workspaces == ["demo.listener.db"]  # no -wal or -shm left behind: closed cleanly

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QSettings

from listener_app.workspace import Workspace


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("LISTENER_HOME", str(tmp_path / "home"))


@pytest.fixture
def demo_ws(tmp_path):
    """The demo workspace, read-write: what a test sets up or checks behind the window's back
    (the window reads through a read-only Workspace of the same file and writes through its ops)."""
    ws = Workspace.open(tmp_path / "demo.listener.db")
    ws.build_demo(count=150, now=datetime(2026, 11, 1, 12, tzinfo=UTC))
    yield ws
    ws.close()


@pytest.fixture
def window(qtbot, demo_ws):
    from listener_app.ui.app import application, make_window, open_for_window

    application()
    win = make_window(open_for_window(demo_ws.path))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    win.ws.close()


@pytest.fixture
def written(qtbot, window):
    """`with written(initiator):` waits until a write that `initiator` made has ended (and its
    callbacks ran): other writes the window makes meanwhile (marking a mention read) do not count."""

    def wait(initiator, timeout=5000):
        return qtbot.waitSignal(
            window.ops.done, timeout=timeout, check_params_cb=lambda who, *_rest: who is initiator
        )

    return wait

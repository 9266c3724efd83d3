"""The window while another process holds its workspace: no key press is lost."""

from __future__ import annotations

import sqlite3
import threading

from PySide6.QtCore import Qt, QTimer


def test_stars_pressed_while_another_process_writes_are_all_kept(qtbot, window, demo_ws, monkeypatch):
    import listener_app.ui.operations as operations

    monkeypatch.setattr(operations, "BUSY_RETRY_SECONDS", 0.05)
    window.ops._writer.busy_wait = 0.05  # meet the lock at once rather than after a second
    other = sqlite3.connect(demo_ws.path, timeout=0, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # an import in another process, mid-transaction
    ids = [window.model.id_at(row) for row in range(6)]
    failures = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning", lambda *a: failures.append(a[2]))
    for row in range(6):
        window.select_row(row)
        qtbot.keyClick(window.table, Qt.Key.Key_S)
    qtbot.wait(400)  # the writes are waiting their turn: nothing stored yet, nothing failed
    assert not any(demo_ws.mention(i)["starred"] for i in ids) and failures == []
    threading.Timer(0, other.rollback).start()
    qtbot.waitUntil(lambda: all(demo_ws.mention(i)["starred"] for i in ids), timeout=10_000)
    assert failures == []
    other.close()


def test_the_window_opens_a_workspace_an_import_is_writing_to(qtbot, demo_ws):
    """An import in another process holds the import lock, has dropped the read indexes and
    is mid-transaction: the window opens the workspace at once (it used to fail and show the
    demo instead)."""
    from listener_app.store.locks import one_at_a_time
    from listener_app.ui.app import application, open_for_window

    application()
    with one_at_a_time(demo_ws.path, "import"):
        other = sqlite3.connect(demo_ws.path, timeout=0)
        other.execute("BEGIN IMMEDIATE")
        other.execute("DROP INDEX mentions_published")
        opened = open_for_window(demo_ws.path)
        assert opened is not None and opened.count("") == demo_ws.count("")
        opened.close()
        other.rollback()
        other.close()


def test_a_busy_workspace_is_waited_for_with_a_cancel(qtbot, demo_ws, monkeypatch):
    """When the workspace cannot be opened yet (another process writes to it and it needs a
    write to open), a dialog says why and the window opens it once it is free; Cancel gives up."""
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    import listener_app.ui.app as app_module
    from listener_app.domain.errors import WorkspaceBusy

    app_module.application()
    monkeypatch.setattr(app_module, "BUSY_RETRY_SECONDS", 0.05)
    real_open = app_module.Workspace.open
    busy_for = {"tries": 5}

    def open_busy(*args, **kwargs):
        if busy_for["tries"] > 0:
            busy_for["tries"] -= 1
            raise WorkspaceBusy("demo.listener.db is busy: another Listener process is writing to it")
        return real_open(*args, **kwargs)

    monkeypatch.setattr(app_module.Workspace, "open", open_busy)
    opened = app_module.open_for_window(demo_ws.path)
    assert opened is not None and busy_for["tries"] == 0
    opened.close()

    busy_for["tries"] = 10**9
    seen = []

    def press_cancel():
        dialogs = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()
        ]
        if not dialogs:
            QTimer.singleShot(50, press_cancel)
            return
        seen.append(dialogs[0].labelText())
        qtbot.mouseClick(dialogs[0].findChild(QPushButton), Qt.MouseButton.LeftButton)

    QTimer.singleShot(50, press_cancel)
    assert app_module.open_for_window(demo_ws.path) is None
    assert "is busy" in seen[0] and "Waiting" in seen[0]

"""The window while another process holds its workspace: no key press is lost."""

from __future__ import annotations

import sqlite3
import threading

from PySide6.QtCore import Qt


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

"""File → Backups and restore…: back up from the window, restore a backup in place of the open
workspace (the window reopens on the restored file), and the offer to restore after a failed
integrity check."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox

from listener_app.ui.backup_dialog import BackupDialog
from listener_app.ui.main_window import MainWindow
from listener_app.workspace import Workspace
from listener_app.workspace.backups import backups_of


def _open_windows() -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


def test_back_up_then_restore_from_the_window(qtbot, demo_ws, monkeypatch):
    from shiboken6 import isValid

    from listener_app.ui.app import application, make_window, open_for_window

    application()
    path = demo_ws.path
    window = make_window(open_for_window(path))  # its own: the restore closes and deletes it
    window.show()
    qtbot.waitExposed(window)
    dialog = BackupDialog(window.ws, window.ops, window)
    qtbot.addWidget(dialog)
    assert not dialog.backups and not dialog.empty.isHidden() and not dialog.restore_button.isEnabled()
    dialog.backup_now()
    qtbot.waitUntil(lambda: len(dialog.backups) == 1, timeout=10_000)
    assert dialog.table.item(0, 1).text() == "By hand" and dialog.restore_button.isEnabled()
    new = window.ws.count("status:new")
    window.select_row(0)
    window.set_status("done")  # what the e key does, after the backup
    qtbot.waitUntil(lambda: window.ws.count("status:new") == new - 1)

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(BackupDialog, "exec", lambda self: (self.restore_selected(), self.result())[1])
    window.show_backups()

    qtbot.waitUntil(lambda: not isValid(window), timeout=20_000)  # closed, connections closed, deleted
    (restored,) = _open_windows()
    qtbot.addWidget(restored)
    assert restored.ws.path == path
    assert restored.ws.count("status:new") == new
    assert "Restored the backup" in restored.toast.text
    reasons = sorted(b.reason for b in backups_of(path))
    assert reasons == ["before-restore", "manual"]  # the replaced file is kept
    restored.close()


def test_a_damaged_workspace_offers_its_backups(qtbot, window, monkeypatch):
    damage = "*** in database main *** Page 7: btreeInitPage() returns error code 11"
    monkeypatch.setattr(Workspace, "integrity_problems", lambda self: [damage])  # what the check finds
    shown = []
    monkeypatch.setattr(BackupDialog, "exec", lambda self: shown.append(self) or 0)
    window.check_workspace()  # what the app does after the first paint
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    (dialog,) = shown
    qtbot.addWidget(dialog)
    warning = dialog.findChild(type(dialog.empty), "error")
    assert warning is not None and "damaged" in warning.text() and "Page 7" in warning.text()
    assert window.isVisible()  # nothing is restored until the user chooses a backup

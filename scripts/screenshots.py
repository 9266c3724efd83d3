"""Screenshots of the real app on the demo workspace, for the README (`make screenshots`).

Runs on whatever Qt platform is set (Xvfb via `make screenshots`, or QT_QPA_PLATFORM=offscreen),
with a throw-away data folder so it never touches the user's own workspaces.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="listener-shots-"))
    os.environ["LISTENER_HOME"] = str(home)
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "settings"))
    from listener_app.ui.app import application, ensure_demo, make_window, open_for_window
    from listener_app.ui.dialogs import ShortcutSheet, TagPicker

    app = application()
    window = make_window(open_for_window(ensure_demo()))
    window.resize(1280, 720)
    window.show()
    OUT.mkdir(parents=True, exist_ok=True)

    def settle() -> None:
        for _ in range(5):
            QApplication.processEvents()

    def readable() -> None:
        """A mention worth reading, with a suggestion learned from the demo's labels."""
        for row in range(60):
            window.select_row(row)
            if window.detail.guesses and len(window.detail.text.toPlainText()) > 100:
                break
        settle()

    def at(width: int, height: int) -> None:
        window.resize(width, height)
        window.panes.reset()  # as a first window of that size opens
        settle()

    def shoot() -> None:
        settle()
        readable()
        window.grab().save(str(OUT / "first-run.png"))  # the demo's welcome note, at 1280x720
        window.banner.dismiss()
        settle()
        window.grab().save(str(OUT / "inbox-1280x720.png"))
        at(1920, 1080)
        readable()
        window.set_status("done")  # e: the toast says what happened, with Undo
        QTimer.singleShot(600, shoot_wide)

    def shoot_wide() -> None:
        readable()  # the toast stays while the next mention is read
        window.grab().save(str(OUT / "inbox-1920x1080.png"))
        window.toast.hide()
        at(1600, 1000)
        window.run_search("sentiment:negative battery -tag:spam")
        window.select_row(1)
        settle()
        window.grab().save(str(OUT / "search.png"))
        window.search_bar.edit.setText("stauts:new battery")
        window.search_bar.submitted.emit("stauts:new battery")
        settle()
        window.grab().save(str(OUT / "search-error.png"))
        sheet = ShortcutSheet(window)
        sheet.show()
        settle()
        sheet.grab().save(str(OUT / "shortcuts.png"))
        sheet.close()
        picker = TagPicker(window.tags, window)
        picker.filter.setText("b")
        picker.show()
        settle()
        picker.grab().save(str(OUT / "tag-picker.png"))
        picker.close()
        from listener_app.ui.respond_dialog import RespondDialog

        window.run_search("intent:complaint sentiment:negative")
        mention = window.ws.mention(window.model.id_at(0))
        profile = window.ws.authors.profile(mention["author_id"]) if mention.get("author_id") else None
        respond = RespondDialog(mention, profile, window.ws.templates.list(), brand="Acme", parent=window)
        respond.show()
        settle()
        respond.grab().save(str(OUT / "respond-confirm.png"))  # "Looks like an unhappy customer. Right?"
        respond.answer(True)
        settle()
        respond.grab().save(str(OUT / "respond.png"))
        respond.close()
        shoot_dialogs()
        window.run_search("", title="All mentions")
        window.show_dashboard()
        wait_for_dashboard()

    def shoot_dialogs() -> None:
        """The Respond menu's dialogs and the report dialog, each as a user first sees it."""
        from listener_app.ui.backup_dialog import BackupDialog
        from listener_app.ui.learning_dialog import LearningDialog
        from listener_app.ui.people_dialog import PeopleDialog
        from listener_app.ui.report_dialog import ReportDialog
        from listener_app.ui.rules_dialog import RulesDialog
        from listener_app.ui.templates_dialog import TemplatesDialog
        from listener_app.workspace.backups import back_up

        back_up(window.ws.path, "daily")  # as the window makes on its first day
        for name, dialog in (
            ("people", PeopleDialog(window.ws, window.ops, "", window)),
            ("rules", RulesDialog(window.ws, window.ops, window)),
            ("templates", TemplatesDialog(window.ws, window.ops, window.model.id_at(0), window)),
            ("report", ReportDialog(window.ws, "intent:complaint", window)),
            ("learning", LearningDialog(window.ws, window.ops, window)),
            ("backups", BackupDialog(window.ws, window.ops, window)),
        ):
            dialog.show()
            settle()
            dialog.grab().save(str(OUT / f"{name}.png"))
            dialog.close()

    def wait_for_dashboard() -> None:
        if not window.dashboard.ready:
            QTimer.singleShot(100, wait_for_dashboard)
            return
        settle()
        window.grab().save(str(OUT / "dashboard.png"))
        window.close()
        app.quit()

    QTimer.singleShot(1500, shoot)
    app.exec()
    print(f"Screenshots in {OUT}")
    window.deleteLater()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""File → Backups…: the workspace's rolling backups (when, why, how big), a backup now, and
restoring one in place of the open workspace (the replaced file is backed up first)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from listener_app.ui.operations import Operations
from listener_app.ui.screen_fit import resize_within_screen
from listener_app.ui.widgets import confirm, dialog_button, record_table, warn_failure
from listener_app.workspace import Workspace
from listener_app.workspace.backups import BUDGET_TIMES, KEEP, Backup

REASONS = {
    "daily": "Daily, when the window opened",
    "manual": "By hand",
    "before-upgrade": "Before a schema upgrade",
    "before-restore": "Before a restore (the file that was replaced)",
}


def _size(size: int) -> str:
    return f"{size / 1e6:,.1f} MB" if size >= 100_000 else f"{size / 1e3:,.0f} kB"


class BackupDialog(QDialog):
    """Accepted with `chosen` set once the user confirmed a restore; the window does the rest
    (it must close the workspace before the file is replaced)."""

    def __init__(
        self, ws: Workspace, ops: Operations, parent: QWidget | None = None, *, problem: str | None = None
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops
        self.chosen: Path | None = None
        self.setWindowTitle("Backups")
        intro = QLabel(
            f"Listener keeps the last {KEEP} backups of <b>{ws.path.name}</b> (fewer for a big workspace: "
            f"they take at most {BUDGET_TIMES} times its size): one a day when the window opens, one "
            "before every schema upgrade and any you make here. Restoring one replaces the "
            "workspace; the current file is backed up first, so a restore can be undone too."
        )
        intro.setWordWrap(True)
        column = QVBoxLayout(self)
        if problem:
            warning = QLabel(
                f"<b>This workspace is damaged:</b> {problem}<br>Restore the newest good backup."
            )
            warning.setObjectName("error")
            warning.setWordWrap(True)
            column.addWidget(warning)
        column.addWidget(intro)
        self.table = record_table(("Taken", "Why", "Size"), "Backups", stretch=1, widths=(170, 0, 90))
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        column.addWidget(self.table, 1)
        self.empty = QLabel("No backups yet. “Back up now” makes one.")
        self.empty.setObjectName("muted")
        column.addWidget(self.empty)
        row = QHBoxLayout()
        self.backup_button = dialog_button("Back up now", self.backup_now)
        self.restore_button = dialog_button("Restore…", self.restore_selected)
        self.folder_button = dialog_button("Open backups folder", self.open_folder)
        for button in (self.backup_button, self.restore_button, self.folder_button):
            row.addWidget(button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        column.addLayout(row)
        resize_within_screen(self, 620, 380)
        self.backups: list[Backup] = []
        self.reload()

    def reload(self) -> None:
        self.backups = self.ws.backups.list()
        self.table.setRowCount(len(self.backups))
        for row, backup in enumerate(self.backups):
            cells = (
                backup.taken_at.astimezone().strftime("%a %d %b %Y, %H:%M"),
                REASONS.get(backup.reason, backup.reason.replace("-", " ").capitalize()),
                _size(backup.size),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(backup.path))
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.empty.setVisible(not self.backups)
        if self.backups:
            self.table.selectRow(0)
        self._selection_changed()

    def selected(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def backup_now(self) -> None:
        """A consistent copy while the workspace is open (SQLite's online backup API), on the
        writer: a big workspace takes a few seconds and the window keeps answering."""
        self.backup_button.setEnabled(False)
        self.backup_button.setText("Backing up…")
        warn = warn_failure(self)
        self.ops.write(
            lambda ws: ws.backups.create(),
            initiator=self,
            success=lambda _backup: self._backed_up(),
            failure=lambda message: (self._backed_up(), warn(message)),
        )

    def _backed_up(self) -> None:
        self.backup_button.setText("Back up now")
        self.backup_button.setEnabled(True)
        self.reload()

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None:
            return
        taken = backup.taken_at.astimezone().strftime("%d %b %Y, %H:%M")
        if confirm(
            self,
            "Restore backup",
            f"Replace {self.ws.path.name} with the backup of {taken}?\n\n"
            "Everything done since then is replaced; the current file is backed up first.",
        ):
            self.chosen = backup.path
            self.accept()

    def open_folder(self) -> bool:
        folder = self.backups[0].path.parent if self.backups else self.ws.path.parent
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

"""Edit → Tags…: every tag's name, colour, number key and group (a department, for feedback
packets), and deleting a tag. Each change is saved through the window's writer at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from listener_app.domain.changes import Changes
from listener_app.ui.operations import Operations
from listener_app.ui.screen_fit import resize_within_screen
from listener_app.ui.widgets import confirm, dialog_button, key_on, record_table
from listener_app.workspace import Workspace

KEYS = ("", *"123456789")
COLUMNS = ("Tag", "Key", "Group", "Mentions")


class TagsDialog(QDialog):
    def __init__(self, ws: Workspace, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.ops = ws, ops
        self.setWindowTitle("Tags")
        self.tags: list[dict[str, Any]] = []
        self.table = record_table(COLUMNS, "Tags", stretch=0, widths=(0, 60, 140, 90))
        self.table.itemActivated.connect(lambda _item: self.rename())
        key_on(self.table, QKeySequence.StandardKey.Delete, self.delete)
        key_on(self.table, Qt.Key.Key_F2, self.rename)
        self.key = QComboBox()
        self.key.setAccessibleName("Number key")
        self.key.addItems(["none", *KEYS[1:]])
        self.key.activated.connect(lambda index: self._update(shortcut=KEYS[index] or None))
        self.group = QComboBox()
        self.group.setEditable(True)
        self.group.setAccessibleName("Group")
        self.group.setPlaceholderText("no group")
        self.group.lineEdit().editingFinished.connect(self._group_edited)
        buttons = QHBoxLayout()
        buttons.addWidget(dialog_button("Rename…", self.rename))
        buttons.addWidget(dialog_button("Colour…", self.recolour))
        buttons.addWidget(QLabel("Key"))
        buttons.addWidget(self.key)
        buttons.addWidget(QLabel("Group"))
        buttons.addWidget(self.group, 1)
        buttons.addWidget(dialog_button("Delete", self.delete))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        hint = QLabel(
            "A tag's number key toggles it on the selected mentions in the inbox. "
            "Tags in a group (Product, Support, Billing…) make a feedback packet for that team."
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.table.currentCellChanged.connect(lambda *_: self._show_current())
        ops.changes_applied.connect(self._changed)
        resize_within_screen(self, 620, 440)
        self.reload()

    def reload(self) -> None:
        current = self.current()
        self.tags = self.ws.tags.list(with_counts=True)
        self.table.setRowCount(len(self.tags))
        for row, tag in enumerate(self.tags):
            name = QTableWidgetItem(tag["name"])
            name.setForeground(QColor(tag["color"]))
            cells = (name, QTableWidgetItem(tag["shortcut"] or ""), QTableWidgetItem(tag["group"] or ""),
                     QTableWidgetItem(f"{tag['count']:,}"))  # fmt: skip
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        groups = sorted({t["group"] for t in self.tags if t["group"]})
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItems(groups)
        self.group.blockSignals(False)
        ids = [t["id"] for t in self.tags]
        self.table.setCurrentCell(ids.index(current["id"]) if current and current["id"] in ids else 0, 0)
        self._show_current()

    def current(self) -> dict[str, Any] | None:
        row = self.table.currentRow()
        return self.tags[row] if 0 <= row < len(self.tags) else None

    def _show_current(self) -> None:
        tag = self.current()
        self.key.setCurrentIndex(KEYS.index(tag["shortcut"] or "") if tag else 0)
        self.group.setEditText(tag["group"] or "" if tag else "")

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.tags:
            self.reload()

    def _update(self, **fields: Any) -> None:
        tag = self.current()
        if tag is not None:
            self.ops.write(
                lambda ws: ws.tags.update(tag["id"], **fields), initiator=self, failure=self._failed
            )

    def _group_edited(self) -> None:
        tag = self.current()
        text = " ".join(self.group.currentText().split()) or None
        if tag is not None and text != tag["group"]:
            self._update(group=text)

    def rename(self) -> None:
        tag = self.current()
        if tag is None:
            return
        name, ok = QInputDialog.getText(self, "Rename tag", "New name:", text=tag["name"])
        if ok and name.strip() and name.strip() != tag["name"]:
            self._update(name=name)

    def recolour(self) -> None:
        tag = self.current()
        if tag is None:
            return
        colour = QColorDialog.getColor(QColor(tag["color"]), self, f"Colour of {tag['name']}")
        if colour.isValid():
            self._update(color=colour.name())

    def delete(self) -> None:
        tag = self.current()
        if tag is None:
            return
        question = f"Delete the tag {tag['name']!r}? It comes off {tag['count']:,} mentions."
        if confirm(self, "Delete tag", question):
            self.ops.write(lambda ws: ws.tags.delete(tag["id"]), initiator=self, failure=self._failed)

    def _failed(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, "Tags", message)

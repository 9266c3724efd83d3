"""Small dialogs: the tag picker (type-ahead), the shortcut sheet, and saving a view."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from listener_app.ui.screen_fit import resize_within_screen

SHORTCUTS = (
    ("j / k", "next / previous mention"),
    ("Enter / o", "open the original post"),
    ("e", "done"),
    ("r", "needs response"),
    ("m", "monitoring"),
    ("i", "ignore"),
    ("s", "star / unstar"),
    ("a", "respond: assess, draft a reply, copy it and open the post"),
    ("y", "accept the suggestions learned from your labels"),
    ("1 – 9", "toggle the tag bound to that key"),
    ("t", "tag picker"),
    ("n", "write a note"),
    ("/", "search"),
    ("u / Ctrl+Z", "undo"),
    ("Shift+U", "mark unread"),
    ("Ctrl+Shift+Z", "redo"),
    ("Ctrl+A", "select all, then any action for all of them"),
    ("?", "this sheet"),
)


class TagPicker(QDialog):
    """Type to filter, Enter to toggle the highlighted tag (a new name creates the tag)."""

    def __init__(self, tags: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tag")
        self.choice: str | None = None
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type a tag name…")
        self.filter.setAccessibleName("Tag name")
        self.list = QListWidget()
        self.list.setAccessibleName("Tags")
        for tag in tags:
            item = QListWidgetItem(tag["name"])
            item.setData(Qt.ItemDataRole.UserRole, tag["name"])
            self.list.addItem(item)
        self.filter.textChanged.connect(self._filter)
        self.filter.returnPressed.connect(self._accept)
        self.list.itemActivated.connect(lambda item: self._accept(item.text()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        resize_within_screen(self, 320, 360)
        self._filter("")

    def _filter(self, text: str) -> None:
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hidden = text.lower() not in item.text().lower()
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        self.list.setCurrentItem(first)

    def _accept(self, name: str | None = None) -> None:
        current = self.list.currentItem()
        self.choice = name or (
            current.text() if current and not current.isHidden() else self.filter.text().strip()
        )
        if self.choice:
            self.accept()


class ShortcutSheet(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = "".join(
            f"<tr><td style='padding:3px 16px 3px 0'><b>{k}</b></td><td>{v}</td></tr>" for k, v in SHORTCUTS
        )
        label = QLabel(f"<table>{rows}</table>")
        label.setTextFormat(Qt.TextFormat.RichText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(buttons)

"""The search bar: the search language with completion, and its errors shown in place."""

from __future__ import annotations

import html

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from listener_app.domain.query import QueryError
from listener_app.workspace import Workspace


class SearchBar(QWidget):
    submitted = Signal(str)
    save_requested = Signal(str)

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.edit = QLineEdit()
        self.edit.setObjectName("search")
        self.edit.setPlaceholderText(
            'Search:  battery -tag:spam sentiment:negative  "wrong charge"  after:7d   ( / )'
        )
        self.edit.setAccessibleName("Search")
        self.edit.setClearButtonEnabled(True)
        self._words = QStringListModel(self)
        completer = QCompleter(self._words, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setWidget(self.edit)  # popup completion needs its widget (complete() crashes without)
        completer.activated.connect(self._complete)
        self.completer = completer
        self.edit.textEdited.connect(self._suggest)
        self.edit.returnPressed.connect(lambda: self.submitted.emit(self.edit.text()))
        self.save = QPushButton("Save as view")
        self.save.setAccessibleName("Save this search as a view")
        self.save.clicked.connect(lambda: self.save_requested.emit(self.edit.text()))
        self.message = ""
        self.error = QLabel()
        self.error.setObjectName("searchError")
        self.error.setTextFormat(Qt.TextFormat.RichText)
        self.error.setWordWrap(True)
        # However long the query, the message wraps in the width the list has: never wider.
        self.error.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.error.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 4)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)
        self.clear_error()

    def show_error(self, error: QueryError) -> None:
        """The message, and the query with a caret under the problem."""
        text = self.edit.text()
        position = min(max(error.position, 0), len(text))
        before, at, after = text[:position], text[position : position + 1] or " ", text[position + 1 :]

        def esc(value: str) -> str:
            return (
                value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(" ", "&nbsp;")
            )

        self.message = error.message
        self.error.setText(
            f"⚠ {html.escape(error.message)} — <code>{esc(before)}<u style='background:#e5484d;color:white'>{esc(at)}</u>"
            f"{esc(after)}</code>"
        )
        self.error.show()
        self.edit.setCursorPosition(position)

    def clear_error(self) -> None:
        self.message = ""
        self.error.hide()

    def _suggest(self, text: str) -> None:
        cursor = self.edit.cursorPosition()
        options = self.ws.completions(text, cursor)
        start = max(text.rfind(" ", 0, cursor), text.rfind("(", 0, cursor)) + 1
        self._prefix = text[:start]
        self._suffix = text[cursor:]
        self.completer.setCompletionPrefix(text[start:cursor])
        self._words.setStringList(options)
        if options:
            self.completer.complete()

    def _complete(self, value: str) -> None:
        new = f"{getattr(self, '_prefix', '')}{value}"
        self.edit.setText(new + ("" if value.endswith(":") else " ") + getattr(self, "_suffix", ""))
        self.edit.setCursorPosition(len(new) + (0 if value.endswith(":") else 1))

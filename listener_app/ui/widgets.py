"""Pieces the management dialogs share: a read-only table of records, a yes/no question,
focus-bound shortcuts, buttons that Enter does not press, and the callbacks of their writes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMessageBox, QPushButton, QTableWidget, QWidget
from shiboken6 import isValid

from listener_app import APP_NAME


def record_table(
    columns: Sequence[str], name: str, *, stretch: int, widths: Sequence[int] = ()
) -> QTableWidget:
    """One record per row, selected whole, never edited in place; column `stretch` takes the
    spare width and `widths` (0: leave as is) sizes the others."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(30)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for column, width in enumerate(widths):
        if width:
            table.setColumnWidth(column, width)
    return table


def confirm(parent: QWidget, title: str, question: str) -> bool:
    """Ask before something destructive; No is the default."""
    answer = QMessageBox.question(
        parent,
        title,
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def key_on(widget: QWidget, key: QKeySequence | Qt.Key | str, slot: Any) -> QShortcut:
    """A shortcut that works only while `widget` has the focus (Delete in a list, not in a field)."""
    shortcut = QShortcut(QKeySequence(key), widget, slot)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    return shortcut


def dialog_button(text: str, slot: Any) -> QPushButton:
    """A button that Enter elsewhere in the dialog does not press (lists and tables use Enter)."""
    button = QPushButton(text)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


def while_open(widget: QWidget, callback: Callable[[Any], None]) -> Callable[[Any], None]:
    """`callback` for a write's result, skipped once `widget` is gone: a write asked for as a
    dialog closes (a note saved on Close) finishes after the dialog was deleted."""

    def call(result: Any) -> None:
        if isValid(widget):
            callback(result)

    return call


def warn_failure(widget: QWidget) -> Callable[[str], None]:
    """A write's failure callback: the message in a warning over `widget`, or over the window
    it was opened from once it has closed (what was not saved is still said)."""
    owner = widget.parentWidget()

    def warn(message: str) -> None:
        shown_over = widget if isValid(widget) else owner if owner is not None and isValid(owner) else None
        QMessageBox.warning(shown_over, APP_NAME, message)

    return warn

"""Toasts: a short message at the bottom of the window naming what just happened, with Undo
(as Superhuman and Front confirm every action), gone after a few seconds or at the next one."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

SHOW_MS = 6000
MARGIN = 24

# An undo step's label (store.events.describe) as a toast says it.
_PHRASES = (
    (re.compile(r"^set status to (\w+)"), lambda m: "Marked " + m.group(1).replace("_", " ")),
    (re.compile(r"^add tag "), lambda m: "Tagged "),
    (re.compile(r"^remove tag "), lambda m: "Removed the tag "),
    (re.compile(r"^star\b"), lambda m: "Starred"),
    (re.compile(r"^unstar\b"), lambda m: "Unstarred"),
    (re.compile(r"^add note\b"), lambda m: "Note added"),
    (re.compile(r"^edit note\b"), lambda m: "Note saved"),
    (re.compile(r"^delete note\b"), lambda m: "Note deleted"),
    (re.compile(r"^set (sentiment|intent) to "), lambda m: f"{m.group(1).title()} set to "),
)


def phrase(label: str) -> str:
    """'set status to needs_response (3 mentions)' -> 'Marked needs response (3 mentions)'."""
    for pattern, replacement in _PHRASES:
        if pattern.search(label):
            return pattern.sub(replacement, label, count=1)
    return label[:1].upper() + label[1:]


class Toast(QFrame):
    """Floats over the bottom centre of `host` (a window); one at a time."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.host = host
        self.setObjectName("toast")
        self.setAccessibleName("Notification")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.message = QLabel()
        self.message.setObjectName("toastText")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.button = QPushButton()
        self.button.setObjectName("toastAction")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the list
        self.button.clicked.connect(self._act)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 8, 8, 8)
        row.setSpacing(12)
        row.addWidget(self.message)
        row.addWidget(self.button)
        self._action: Callable[[], Any] | None = None
        self._timer = QTimer(self, singleShot=True, interval=SHOW_MS)
        self._timer.timeout.connect(self.hide)
        host.installEventFilter(self)
        self.hide()

    def show_message(
        self, text: str, action: str | None = None, on_action: Callable[[], Any] | None = None
    ) -> None:
        """Say `text`; with `action`, a button that calls `on_action` (and closes the toast)."""
        self.message.setText(text)
        self._action = on_action
        self.button.setText(action or "")
        self.button.setVisible(bool(action))
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()
        self._timer.start()

    @property
    def text(self) -> str:
        return self.message.text() if self.isVisible() else ""

    def _act(self) -> None:
        action, self._action = self._action, None
        self.hide()
        if action is not None:
            action()

    def _place(self) -> None:
        width = min(self.sizeHint().width(), self.host.width() - 2 * MARGIN)
        self.resize(width, self.sizeHint().height())
        self.move((self.host.width() - width) // 2, self.host.height() - self.height() - MARGIN - 24)

    def enterEvent(self, event: Any) -> None:
        self._timer.stop()  # kept while the pointer is on it
        super().enterEvent(event)

    def leaveEvent(self, event: Any) -> None:
        self._timer.start()
        super().leaveEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.host and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False
